// Signing in and getting in: login, accepting an invitation, resetting a password.
import { useMutation } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { unwrap } from '@/lib/api/problem';
import { BROWSER_SESSION } from '@/lib/session';

export function useLogin() {
  return useMutation({
    mutationFn: async (body: Schemas['LoginRequest']) =>
      unwrap(await api.POST('/api/v1/auth/login', { body, params: { header: BROWSER_SESSION } })),
  });
}

export function useAcceptInvitation() {
  return useMutation({
    mutationFn: async (body: Schemas['AcceptInvitationRequest']) =>
      unwrap(await api.POST('/api/v1/auth/invitations/accept', { body, params: { header: BROWSER_SESSION } })),
  });
}

export function useRequestReset() {
  return useMutation({
    mutationFn: async (email: string) => unwrap(await api.POST('/api/v1/auth/password-reset', { body: { email } })),
  });
}

export function useConfirmReset() {
  return useMutation({
    mutationFn: async (body: Schemas['PasswordResetConfirmRequest']) =>
      unwrap(await api.POST('/api/v1/auth/password-reset/confirm', { body })),
  });
}

// The caller's own profile, password and notifications.
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { session } from '@/lib/session';

export type Preference = Schemas['NotificationPreference'];

export const notificationsQuery = () =>
  queryOptions({
    queryKey: keys.notifications.list({}),
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications', { params: { query: { limit: 100 } } })),
  });

export const unreadCountQuery = () =>
  queryOptions({
    queryKey: keys.notifications.unread,
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications/unread-count')),
  });

export const preferencesQuery = () =>
  queryOptions({
    queryKey: keys.notifications.preferences,
    queryFn: async () => unwrap(await api.GET('/api/v1/me/notification-preferences')),
  });

export function useNotificationActions() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: keys.notifications.all });
  return {
    read: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
      onSuccess: done,
    }),
    readAll: useMutation({
      mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/read-all')),
      onSuccess: done,
    }),
    savePreferences: useMutation({
      mutationFn: async (body: Preference[]) => unwrap(await api.PUT('/api/v1/me/notification-preferences', { body })),
      onSuccess: (p) => qc.setQueryData(keys.notifications.preferences, p),
    }),
  };
}

export function useUpdateMe() {
  return useMutation({
    mutationFn: async (body: Schemas['UpdateMeRequest']) => unwrap(await api.PATCH('/api/v1/me', { body })),
    onSuccess: (m) => session.setMe(m),
  });
}

export type Device = Schemas['SessionResponse'];

/** The caller's signed-in devices, a page at a time (most recently used first). */
export const mySessionsQuery = () =>
  infiniteQueryOptions({
    queryKey: keys.sessions.mine,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/me/sessions', { params: { query: { limit: 50, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useSessionActions() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: keys.sessions.all });
  return {
    end: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } })),
      onSuccess: done,
    }),
    endOthers: useMutation({
      mutationFn: async () => unwrap(await api.DELETE('/api/v1/me/sessions')),
      onSuccess: done,
    }),
  };
}

/** The caller's two-factor sign-in: on or off, required or not, recovery codes left. */
export const twoFactorQuery = () =>
  queryOptions({
    queryKey: keys.twoFactor,
    queryFn: async () => unwrap(await api.GET('/api/v1/me/two-factor')),
    // Not on focus: while recovery codes are on screen the access token has been moved on, and
    // the refresh a refetch would set off must wait until the user has saved them.
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

export function useTwoFactorActions() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: keys.twoFactor });
  return {
    setup: useMutation({
      mutationFn: async (password: string) =>
        unwrap(await api.POST('/api/v1/me/two-factor/setup', { body: { password } })),
    }),
    confirm: useMutation({
      mutationFn: async (code: string) => unwrap(await api.POST('/api/v1/me/two-factor/confirm', { body: { code } })),
    }),
    newCodes: useMutation({
      mutationFn: async (body: Schemas['PasswordAndCode']) =>
        unwrap(await api.POST('/api/v1/me/two-factor/recovery-codes', { body })),
      onSuccess: done,
    }),
    disable: useMutation({
      mutationFn: async (body: Schemas['PasswordAndCode']) =>
        unwrap(await api.POST('/api/v1/me/two-factor/disable', { body })),
      onSuccess: async () => {
        await done();
        await session.refresh();
      },
    }),
  };
}

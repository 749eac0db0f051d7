// Users and roles (admins).
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { PAGE_SIZE, pagedQuery } from '@/lib/api/paging';

export type Role = Schemas['RoleResponse'];
export type Perm = Role['permissions'][number];

export const rolesQuery = () =>
  queryOptions({ queryKey: keys.roles.list(), queryFn: async () => unwrap(await api.GET('/api/v1/roles')) });

export const usersQuery = () =>
  pagedQuery(keys.users.list({}), async (cursor) =>
    unwrap(await api.GET('/api/v1/users', { params: { query: { limit: PAGE_SIZE, cursor } } })),
  );

export const userQuery = (id: string) =>
  queryOptions({
    queryKey: [...keys.users.all, id],
    queryFn: async () => unwrap(await api.GET('/api/v1/users/{id}', { params: { path: { id } } })),
  });

/** Where the user is signed in. */
export const userSessionsQuery = (id: string) =>
  pagedQuery([...keys.users.all, id, 'sessions'], async (cursor) =>
    unwrap(
      await api.GET('/api/v1/users/{id}/sessions', {
        params: { path: { id }, query: { limit: PAGE_SIZE, cursor } },
      }),
    ),
  );

/** What the audit log holds of what the user did (admins with `audit.read`), newest first. */
export const userActivityQuery = (id: string) =>
  pagedQuery([...keys.audit.all, 'actor', id], async (cursor) =>
    unwrap(await api.GET('/api/v1/audit-log', { params: { query: { actor_id: id, limit: 20, cursor } } })),
  );

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: Schemas['UpdateUserRequest'] }) =>
      unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users.all }),
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateUserRequest']) => unwrap(await api.POST('/api/v1/users', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users.all }),
  });
}

export function useCreateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateRoleRequest']) => unwrap(await api.POST('/api/v1/roles', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.roles.all }),
  });
}

export function useUpdateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, ...body }: { id: string } & Schemas['UpdateRoleRequest']) =>
      unwrap(await api.PATCH('/api/v1/roles/{id}', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.roles.all }),
  });
}

export function useDeleteRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/roles/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.roles.all }),
  });
}

/** Signs a user out on every device (an admin's: a lost laptop, a leaver). */
export function useSignOutEverywhere() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/users/{id}/sessions', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users.all }),
  });
}

/** Clears a user's second factor (their phone lost with their recovery codes). */
export function useResetTwoFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/api/v1/users/{id}/two-factor/reset', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users.all }),
  });
}

/** Resending (a new link, the old one retired) and revoking an invited user's invitation. */
export function useUserInvitation() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: keys.users.all });
  return {
    resend: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.POST('/api/v1/users/{id}/invitation', { params: { path: { id } } })),
      onSuccess: done,
    }),
    revoke: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.DELETE('/api/v1/users/{id}/invitation', { params: { path: { id } } })),
      onSuccess: done,
    }),
  };
}

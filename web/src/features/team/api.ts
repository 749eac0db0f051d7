// A Client Admin's own account's team (`team.manage`): its people, its contacts, and the
// client roles the caller may hand out.
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';

export type Member = Schemas['TeamMember'];
export type Contact = Schemas['ContactResponse'];
export type GrantableRole = Schemas['GrantableRole'];

/** The account's people, a page at a time (by name). */
export const membersQuery = () =>
  infiniteQueryOptions({
    queryKey: keys.team.members,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/team/members', { params: { query: { limit: 100, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export const contactsQuery = () =>
  infiniteQueryOptions({
    queryKey: keys.team.contacts,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/team/contacts', { params: { query: { limit: 100, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export const grantableRolesQuery = () =>
  queryOptions({ queryKey: keys.team.roles, queryFn: async () => unwrap(await api.GET('/api/v1/team/roles')) });

/** Every change to the team: inviting, changing a role or status, resending and revoking. */
export function useTeamActions() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: keys.team.all });
  return {
    invite: useMutation({
      mutationFn: async (body: Schemas['InviteMemberRequest']) =>
        unwrap(await api.POST('/api/v1/team/members', { body })),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: async ({ id, body }: { id: string; body: Schemas['UpdateMemberRequest'] }) =>
        unwrap(await api.PATCH('/api/v1/team/members/{id}', { params: { path: { id } }, body })),
      onSuccess: done,
    }),
    resend: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.POST('/api/v1/team/members/{id}/invitation', { params: { path: { id } } })),
      onSuccess: done,
    }),
    revoke: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.DELETE('/api/v1/team/members/{id}/invitation', { params: { path: { id } } })),
      onSuccess: done,
    }),
  };
}

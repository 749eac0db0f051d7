// Client accounts and their contacts (staff): invitations to the portal and View as.
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { PAGE_SIZE, pagedQuery } from '@/lib/api/paging';

export type ClientStatus = Schemas['ClientResponse']['status'];

export const clientsQuery = (status: ClientStatus | '') =>
  pagedQuery(keys.clients.list({ status }), async (cursor) =>
    unwrap(
      await api.GET('/api/v1/clients', {
        params: { query: { limit: PAGE_SIZE, cursor, ...(status ? { status } : {}) } },
      }),
    ),
  );

export const clientQuery = (id: string) =>
  queryOptions({
    queryKey: keys.clients.one(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/clients/{id}', { params: { path: { id } } })),
  });

export const contactsQuery = (clientId: string) =>
  pagedQuery(keys.clients.contacts(clientId), async (cursor) =>
    unwrap(
      await api.GET('/api/v1/clients/{id}/contacts', {
        params: { path: { id: clientId }, query: { limit: PAGE_SIZE, cursor } },
      }),
    ),
  );

export const clientRolesQuery = () =>
  queryOptions({
    queryKey: keys.roles.list('client'),
    queryFn: async () => unwrap(await api.GET('/api/v1/roles', { params: { query: { kind: 'client' } } })),
  });

export const clientProjectsQuery = (clientId: string) =>
  pagedQuery(keys.projects.list({ client_id: clientId }), async (cursor) =>
    unwrap(await api.GET('/api/v1/projects', { params: { query: { client_id: clientId, limit: PAGE_SIZE, cursor } } })),
  );

export function useCreateClient() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['CreateClientRequest']) => unwrap(await api.POST('/api/v1/clients', { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.clients.all }),
  });
}

export function useUpdateClient(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: Schemas['UpdateClientRequest']) =>
      unwrap(await api.PATCH('/api/v1/clients/{id}', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.clients.all }),
  });
}

/** Deletes a client account (the server refuses one with users, keys, projects or invoices). */
export function useDeleteClient(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/clients/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.clients.all }),
  });
}

/** Everything staff do to a client's contacts; each refreshes the contact list. */
export function useContactActions(clientId: string) {
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: keys.clients.contacts(clientId) });
  return {
    add: useMutation({
      mutationFn: async (body: Schemas['CreateContactRequest']) =>
        unwrap(await api.POST('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId } }, body })),
      onSuccess: refresh,
    }),
    invite: useMutation({
      mutationFn: async ({ id, role }: { id: string; role: string }) =>
        unwrap(await api.POST('/api/v1/contacts/{id}/invite', { params: { path: { id } }, body: { role } })),
      onSuccess: refresh,
    }),
    revoke: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.POST('/api/v1/contacts/{id}/invite/revoke', { params: { path: { id } } })),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: async ({ id, ...body }: { id: string } & Schemas['UpdateContactRequest']) =>
        unwrap(await api.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body })),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/contacts/{id}', { params: { path: { id } } })),
      onSuccess: refresh,
    }),
    makePrimary: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body: { is_primary: true } })),
      onSuccess: refresh,
    }),
  };
}

export function useViewAs() {
  return useMutation({
    mutationFn: async (userId: string) =>
      unwrap(await api.POST('/api/v1/auth/impersonate', { body: { user_id: userId } })),
  });
}

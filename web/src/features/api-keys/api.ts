// API keys for integrators (admins, `api_keys.manage`).
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';

export type ApiKey = Schemas['ApiKeyResponse'];
export type CreatedApiKey = Schemas['CreatedApiKey'];

/** Every key, newest first, a page at a time. */
export const apiKeysQuery = () =>
  infiniteQueryOptions({
    queryKey: keys.apiKeys.all,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/api-keys', { params: { query: { limit: 50, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

/** The client accounts a key can be held to. */
export const accountsQuery = () =>
  queryOptions({
    queryKey: keys.clients.list({ for: 'api-keys' }),
    queryFn: async () => unwrap(await api.GET('/api/v1/clients', { params: { query: { limit: 200 } } })),
  });

export function useApiKeyActions() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: keys.apiKeys.all });
  return {
    create: useMutation({
      mutationFn: async (body: Schemas['CreateApiKeyRequest']) => unwrap(await api.POST('/api/v1/api-keys', { body })),
      onSuccess: done,
    }),
    revoke: useMutation({
      mutationFn: async (id: string) =>
        unwrap(await api.POST('/api/v1/api-keys/{id}/revoke', { params: { path: { id } } })),
      onSuccess: done,
    }),
  };
}

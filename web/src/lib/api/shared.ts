// Queries more than one feature (or the shell) reads: the agency's branding, the staff who can
// be assigned work, the active clients to choose from. Features keep their own in their api.ts.
import { useMemo } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from './client';
import { keys } from './keys';
import { unwrap } from './problem';
import { useSession } from '../session';
import { catalogueOf, type Catalogue } from '../permissions';

export const brandingQuery = () =>
  queryOptions({
    queryKey: keys.branding,
    queryFn: async () => unwrap(await api.GET('/api/v1/branding')),
    staleTime: 60_000,
  });

/** The agency's name, logo and colours (once signed in). */
export function useBranding() {
  const { status } = useSession();
  return useQuery({ ...brandingQuery(), enabled: status === 'signed-in' });
}

export const staffMembersQuery = () =>
  queryOptions({
    queryKey: keys.staff,
    queryFn: async () => unwrap(await api.GET('/api/v1/staff')),
    staleTime: 60_000,
  });

export const activeClientsQuery = () =>
  queryOptions({
    queryKey: keys.clients.list({ status: 'active' }),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/clients', { params: { query: { limit: 200, status: 'active' } } })),
  });

/** The permission catalogue in `language` (the server writes its words in the one asked). */
export const permissionsQuery = (language: string) =>
  queryOptions({
    queryKey: [...keys.permissions, language],
    queryFn: async () => unwrap(await api.GET('/api/v1/permissions')),
    // It changes only with a new server (or another language, another key).
    staleTime: Infinity,
  });

/** The permission catalogue (empty lists until it has loaded). */
export function usePermissionCatalogue(): Catalogue & { isPending: boolean } {
  const { i18n } = useTranslation();
  const query = useQuery(permissionsQuery(i18n.language));
  const catalogue = useMemo(() => catalogueOf(query.data ?? []), [query.data]);
  return { ...catalogue, isPending: query.isPending };
}

// The audit log (admins, `audit.read`): who did what, to what, when.
import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';

export type AuditEvent = Schemas['AuditEventResponse'];

/** What the log can be narrowed to; every field is optional. */
export interface AuditFilters {
  action?: string;
  actor_id?: string;
  target_id?: string;
  client_id?: string;
  /** Instants (ISO 8601): from `since`, up to but not including `until`. */
  since?: string;
  until?: string;
}

/** The log, newest first, a page at a time. */
export const auditLogQuery = (filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: keys.audit.list(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/audit-log', { params: { query: { ...filters, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

// Search, answered by the server through the caller's own scope: staff find Notes too, a
// client never does. Ranked best first, a page at a time.
import { api, type Schemas } from '@/lib/api/client';
import { unwrap } from '@/lib/api/problem';
import { PAGE_SIZE, pagedQuery } from '@/lib/api/paging';

export type SearchHit = Schemas['SearchHit'];
export type SearchKind = Schemas['SearchKind'];

export const searchQuery = (q: string, kind?: SearchKind) =>
  pagedQuery(['search', q, kind ?? 'all'], async (cursor) =>
    unwrap(await api.GET('/api/v1/search', { params: { query: { q, kind, limit: PAGE_SIZE, cursor } } })),
  );

/** Where a hit leads, for staff or for a client. */
export function hitPath(hit: SearchHit, staff: boolean): string {
  const base = staff ? '/staff' : '';
  switch (hit.kind) {
    case 'client':
      return `/staff/clients/${hit.id}`;
    case 'project':
      return `${base}/projects/${hit.id}`;
    case 'task':
      return `${base}/tasks/${hit.id}`;
    case 'comment':
      return `${base}/tasks/${hit.task_id}#comment-${hit.id}`;
    case 'invoice':
      return staff ? `/staff/invoices/${hit.id}` : `/billing/${hit.id}`;
    case 'file':
      return `${base}/files/${hit.id}`;
  }
}

/** Whether the query has a word the server can look for (it refuses one without). */
export function hasWords(q: string): boolean {
  return /[\p{L}\p{N}]/u.test(q);
}

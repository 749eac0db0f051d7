// Activity from the server's event log, as the caller may see it (never a Note).
import { api, type Schemas } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { PAGE_SIZE, pagedQuery } from '@/lib/api/paging';
import { LIVE_REFRESH_MS } from '@/lib/live';

export type ActivityItem = Schemas['ActivityItem'];

export interface ActivityFilter {
  project_id?: string;
  /** Only what happened after this instant. */
  since?: string;
}

export const activityQuery = (filter: ActivityFilter, limit = PAGE_SIZE) => ({
  ...pagedQuery([...keys.activity, filter, limit], async (cursor) =>
    unwrap(await api.GET('/api/v1/activity', { params: { query: { ...filter, limit, cursor } } })),
  ),
  refetchInterval: LIVE_REFRESH_MS,
});

// The staff dashboard: what needs attention.
import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { LIVE_REFRESH_MS } from '@/lib/live';

export const dashboardQuery = () =>
  queryOptions({
    queryKey: keys.dashboard,
    queryFn: async () => unwrap(await api.GET('/api/v1/dashboard')),
    refetchInterval: LIVE_REFRESH_MS,
  });

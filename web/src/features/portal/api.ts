// The portal home: welcome, quick actions and ongoing tasks, as the caller's role allows.
import { queryOptions } from '@tanstack/react-query';
import { api } from '@/lib/api/client';
import { keys } from '@/lib/api/keys';
import { unwrap } from '@/lib/api/problem';
import { LIVE_REFRESH_MS } from '@/lib/live';

export const portalQuery = () =>
  queryOptions({
    queryKey: keys.portal,
    queryFn: async () => unwrap(await api.GET('/api/v1/portal')),
    refetchInterval: LIVE_REFRESH_MS,
  });

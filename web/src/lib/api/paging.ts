// Lists the server pages with `next_cursor`: read a page at a time and shown as one list, so
// nothing is cut off silently — `ShowMore` asks for the next page while there is one.
import { useEffect, useMemo } from 'react';
import { infiniteQueryOptions, useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/** How many rows a page of a list asks for. */
export const PAGE_SIZE = 50;

/** The options of a list read a page at a time from `fetchPage(cursor)`. */
export function pagedQuery<T>(queryKey: QueryKey, fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  return infiniteQueryOptions({
    // Apart from a plain query of the same list (a cache entry holds one shape), and still
    // under the resource's key, so its events invalidate both.
    queryKey: [...queryKey, 'paged'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    getNextPageParam: (page: Page<T>) => page.next_cursor ?? undefined,
  });
}

/** A paged list as one: `data.items` holds every page read so far. */
export function usePaged<T>(options: ReturnType<typeof pagedQuery<T>>) {
  const query = useInfiniteQuery(options);
  const pages = query.data?.pages;
  const data = useMemo(() => (pages ? { items: pages.flatMap((p) => p.items) } : undefined), [pages]);
  return { ...query, data };
}

/** A paged list read to its end, a page at a time: for what must be whole (a sum, a chooser). */
export function useAllPages<T>(options: ReturnType<typeof pagedQuery<T>>) {
  const query = usePaged(options);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return query;
}

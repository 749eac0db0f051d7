import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { ApiError } from '@/lib/api/problem';

export function Loading({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <p className="state state--loading" role="status" aria-live="polite">
      {what ?? t('state.loading')}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state--empty">{children}</p>;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  const notFound = error instanceof ApiError && error.status === 404;
  const message = notFound ? t('state.notFound') : error instanceof Error ? error.message : t('state.somethingWrong');
  return (
    <div className="state state--error" role="alert">
      <p>{message}</p>
      {retry && !notFound && (
        <button type="button" className="btn" onClick={retry}>
          {t('state.tryAgain')}
        </button>
      )}
    </div>
  );
}

/** Loading, error, then the content once the query has data. */
export function QueryState<T>({
  query,
  children,
  what,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown; data: T | undefined };
  children: (data: T) => ReactNode;
  what?: string;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError) return <ErrorState error={query.error} retry={() => query.refetch()} />;
  return <>{children(query.data as T)}</>;
}

/** A form-level error: the problem's detail, when no field took it. */
export function FormError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const fieldsOnly = error instanceof ApiError && error.status === 422 && error.problem.errors;
  return (
    <div className="form-error" role="alert">
      {fieldsOnly ? t('state.correctFields') : error instanceof Error ? error.message : t('state.somethingWrong')}
    </div>
  );
}

export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.field(name) : undefined;
}

/** "Show more …" under a paged list, while the server has another page. */
export function ShowMore({
  query,
  what,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };
  what: string;
}) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <button
      type="button"
      className="btn"
      disabled={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
    >
      {t('state.showMore', { what })}
    </button>
  );
}

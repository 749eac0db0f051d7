import { useEffect } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ApiError } from '@/lib/api/problem';
import { session } from '@/lib/session';
import { useShownLanguage } from '@/lib/i18n/use-language';
import { router } from './router';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      // 4xx answers are final; retry only what may be transient.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

export function App() {
  useEffect(() => {
    void session.restore();
    // A new login or a switch to View as must never show the previous person's data.
    let last = session.get().me?.id;
    const unsubscribe = session.subscribe(() => {
      const id = session.get().me?.id;
      if (id !== last) {
        last = id;
        queryClient.clear();
      }
    });
    return () => {
      unsubscribe();
    };
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <ShownLanguage />
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}

function ShownLanguage() {
  useShownLanguage();
  return null;
}

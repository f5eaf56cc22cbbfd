import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider, createBrowserRouter } from 'react-router';

import { routes } from '@/app/router';
import { meQueryKey } from '@/features/auth/api/get-me';
import { ApiError } from '@/shared/api/http';

const SIGNED_OUT_CODES = new Set(['not_authenticated', 'authentication_failed']);

export function createQueryClient() {
  // A session that expires mid-use surfaces as 401/403 not_authenticated on whatever was fetching;
  // refreshing the session then lets RequireAuth send the user to the login page instead of showing errors.
  const onError = (error: unknown) => {
    if (error instanceof ApiError && SIGNED_OUT_CODES.has(error.code) && !error.url.endsWith('/api/v1/auth/session')) {
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
    }
  };
  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        // 4xx answers are the API's final word (auth, validation, quota): retrying only delays them.
        retry: (failureCount, error) => failureCount < 1 && !(error instanceof ApiError && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
  return queryClient;
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));

  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}

import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client.ts';

/** The dashboard's one cache of API answers; an answer the server refused (4xx) is not retried. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      refetchOnWindowFocus: true,
      staleTime: 5_000,
    },
  },
});

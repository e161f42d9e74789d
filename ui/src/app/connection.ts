/**
 * The query client of the app, and the server-down state the banner shows. Requests that could
 * not reach the server are retried with backoff (1 s, 2 s, 4 s … every 15 s) until it answers.
 */
import { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api/client';
import { isServerDown, subscribeReachability } from '../api/reachability';

/** True while the last request could not reach the server. */
export function useServerDown(): boolean {
  return useSyncExternalStore(subscribeReachability, isServerDown);
}

/** The query client: unreachable-server errors retried, others (4xx, 5xx) shown at once. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (_failures, error) => error instanceof ApiError && error.unreachable,
        retryDelay: (attempt) => Math.min(15_000, 1000 * 2 ** attempt),
        refetchOnWindowFocus: false,
        staleTime: 2_000,
      },
    },
  });
}

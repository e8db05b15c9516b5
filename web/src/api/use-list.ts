import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Page } from './types.ts';

/** One page of a list endpoint, and a way to load it again after a change. */
export function useList<T>(key: string, path: string) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: [key], queryFn: () => api<Page<T>>('GET', path) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: [key] });
  return { query, refresh };
}

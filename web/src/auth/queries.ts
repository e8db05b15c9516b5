import { useQuery } from '@tanstack/react-query';
import { api, setCsrfToken } from '../api/client.ts';
import type { Me } from '../api/types.ts';

/** The query key of GET /api/v1/me: cleared on sign-in and sign-out. */
export const ME_KEY = ['me'] as const;

/** Who is signed in; a 401 is an answer here (no session), not a reason to redirect. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      const me = await api<Me>('GET', '/api/v1/me', { redirectOn401: false });
      setCsrfToken(me.csrf_token);
      return me;
    },
    retry: false,
    staleTime: 60_000,
  });
}

/** Whether Chorus still waits for its first admin. */
export function useSetupState(enabled: boolean) {
  return useQuery({
    queryKey: ['setup'],
    queryFn: () => api<{ needs_setup: boolean }>('GET', '/api/v1/setup'),
    enabled,
    retry: false,
  });
}

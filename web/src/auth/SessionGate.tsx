import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ApiError, api, setCsrfToken } from '../api/client.ts';
import type { Me, Role } from '../api/types.ts';
import { FullPageLoader } from '../components/FullPageLoader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { useMe, useSetupState } from './queries.ts';
import { isAtLeast, type Session, SessionContext } from './session.ts';

/**
 * Lets signed-in people through; everyone else goes to the first-run page (while Chorus has no
 * user) or to sign-in, and comes back to where they were going afterwards.
 */
export function SessionGate() {
  const me = useMe();
  const location = useLocation();
  const isSignedOut = me.error instanceof ApiError && me.error.status === 401;
  const setup = useSetupState(isSignedOut);
  const session = useSessionValue(me.data);

  if (me.isPending || (isSignedOut && setup.isPending)) return <FullPageLoader />;
  if (isSignedOut) {
    if (setup.data?.needs_setup) return <Navigate to="/setup" replace />;
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.error) return <QueryError error={me.error} onRetry={() => me.refetch()} />;
  if (!session) return <FullPageLoader />;
  if (me.data.user?.must_change_password && location.pathname !== '/change-password') {
    return <Navigate to="/change-password" replace />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Outlet />
    </SessionContext.Provider>
  );
}

function useSessionValue(me: Me | undefined): Session | null {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMemo(() => {
    if (!me) return null;
    return {
      me,
      name: me.user?.email ?? 'API key',
      hasRole: (role: Role) => isAtLeast(me.role, role),
      async signOut() {
        await api('DELETE', '/api/v1/session', { redirectOn401: false }).catch(() => undefined);
        setCsrfToken(null);
        await navigate('/sign-in', { replace: true });
        queryClient.clear();
      },
    };
  }, [me, queryClient, navigate]);
}

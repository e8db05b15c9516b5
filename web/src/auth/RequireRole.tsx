import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Role } from '../api/types.ts';
import { useSession } from './session.ts';

/** Shows its page only to `role` and above; others read why (the server refuses them anyway). */
export function RequireRole({ needs: role, children }: { needs: Role; children: ReactNode }) {
  const session = useSession();
  if (session.hasRole(role)) return children;
  return (
    <Alert color="gray" title="Not available to your role" role="status">
      This page needs the {role} role; you are signed in as {session.me.role}. Ask an admin if you need it.
    </Alert>
  );
}

import { Navigate } from 'react-router';
import { useSession } from '../../auth/session.ts';

/** /settings opens the first section the role may use: users for admins, one's own account otherwise. */
export function SettingsHome() {
  const session = useSession();
  return <Navigate to={session.hasRole('admin') ? '/settings/users' : '/settings/account'} replace />;
}

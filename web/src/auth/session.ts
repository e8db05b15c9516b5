import { createContext, useContext } from 'react';
import type { Me, Role } from '../api/types.ts';

/** Who is signed in, as every page inside the app shell sees it. */
export interface Session {
  me: Me;
  /** The user's email, or the API key's name when the page is used with a key. */
  name: string;
  hasRole(role: Role): boolean;
  signOut(): Promise<void>;
}

/** The signed-in session; SessionGate provides it. */
export const SessionContext = createContext<Session | null>(null);

/** The signed-in session (inside SessionGate only). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession is used outside SessionGate');
  return session;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `role` grants at least what `needed` grants (the server decides; this only hides controls). */
export function isAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

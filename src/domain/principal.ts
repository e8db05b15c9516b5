import type { AuditActor } from './audit.ts';
import type { Role } from './roles.ts';

/** Who a request acts as: a person signed in with a session cookie, or a bearer API key. */
export type Principal =
  | {
      kind: 'user';
      userId: number;
      email: string;
      role: Role;
      /** Set after an admin set the password: nothing but choosing a new one is allowed. */
      mustChangePassword: boolean;
      /** The hash of the session token, to keep this session when the others are ended. */
      sessionTokenHash: string;
    }
  | { kind: 'api_key'; keyId: number; name: string; role: Role };

/** The audit log's view of a principal. */
export function auditActorOf(principal: Principal): AuditActor {
  return principal.kind === 'user'
    ? { type: 'user', id: String(principal.userId), label: principal.email }
    : { type: 'api_key', id: String(principal.keyId), label: principal.name };
}

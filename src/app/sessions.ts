import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Principal } from '../domain/principal.ts';
import type { DB } from '../store/schema.ts';
import {
  deleteDeadSessions,
  deleteSession,
  findLiveSession,
  insertSession,
  touchSession,
} from '../store/sessions-repo.ts';
import { hashSecretToken } from './api-keys.ts';

const HOUR_MS = 3_600_000;

/** How long a session lives: at most a week, and it ends after 12 hours without a request. */
export const SESSION_POLICY = { lifetimeMs: 7 * 24 * HOUR_MS, idleMs: 12 * HOUR_MS, touchEveryMs: 60_000 } as const;

/** A new session: the cookie's token (never stored), its CSRF token, and when it ends at the latest. */
export interface StartedSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/** The CSRF token of a session: derived from its secret token, so nothing more is stored. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('chorus csrf').digest('base64url');
}

/** True when `presented` is the session's CSRF token, compared in constant time. */
export function isCsrfTokenValid(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Starts a session for a user; only the token's hash is stored. */
export async function startSession(
  db: Kysely<DB>,
  userId: number,
  client: { ip: string | null; userAgent: string | null },
  now: number,
): Promise<StartedSession> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + SESSION_POLICY.lifetimeMs;
  await insertSession(db, { tokenHash: hashSecretToken(token), userId, expiresAt, ...client }, now);
  // Sign-ins are rare: a good moment to drop sessions nobody can use any more.
  await deleteDeadSessions(db, { now, idleSince: now - SESSION_POLICY.idleMs });
  return { token, csrfToken: csrfTokenFor(token), expiresAt };
}

/** The principal a session token signs in, or undefined when it expired, went idle or its user is disabled. */
export async function resolveSession(
  db: Kysely<DB>,
  token: string,
  now: number,
): Promise<(Principal & { kind: 'user' }) | undefined> {
  const tokenHash = hashSecretToken(token);
  const session = await findLiveSession(db, tokenHash, { now, idleSince: now - SESSION_POLICY.idleMs });
  if (!session) return undefined;
  if (now - session.lastSeenAt >= SESSION_POLICY.touchEveryMs) await touchSession(db, session.sessionId, now);
  const { user } = session;
  return {
    kind: 'user',
    userId: user.id,
    email: user.email,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
    sessionTokenHash: tokenHash,
  };
}

/** Ends the session with this token (sign-out). */
export function endSession(db: Kysely<DB>, token: string): Promise<void> {
  return deleteSession(db, hashSecretToken(token));
}

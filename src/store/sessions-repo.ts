import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { toUserRecord, type UserRecord } from './users-repo.ts';

/** A stored session and the user it signs in. */
export interface SessionWithUser {
  sessionId: number;
  lastSeenAt: number;
  expiresAt: number;
  user: UserRecord;
}

/** Stores a new session by its token's hash. */
export async function insertSession(
  db: Kysely<DB>,
  session: { tokenHash: string; userId: number; expiresAt: number; ip: string | null; userAgent: string | null },
  now: number,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      created_at: now,
      last_seen_at: now,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .execute();
}

/** The live session with this token hash: not expired, not idle since `idleSince`, its user enabled. */
export async function findLiveSession(
  db: Kysely<DB>,
  tokenHash: string,
  at: { now: number; idleSince: number },
): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at as session_last_seen_at',
      'sessions.expires_at as session_expires_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', at.now)
    .where('sessions.last_seen_at', '>', at.idleSince)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    sessionId: row.session_id,
    lastSeenAt: row.session_last_seen_at,
    expiresAt: row.session_expires_at,
    user: toUserRecord(row),
  };
}

/** Notes that a session was used now (callers do it at most once a minute). */
export async function touchSession(db: Kysely<DB>, sessionId: number, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

/** Ends one session. */
export async function deleteSession(db: Kysely<DB>, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a user, except the one with `keepTokenHash` (the caller's own). */
export async function deleteUserSessions(db: Kysely<DB>, userId: number, keepTokenHash?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepTokenHash !== undefined) query = query.where('token_hash', '!=', keepTokenHash);
  await query.execute();
}

/** Removes sessions that can no longer be used. */
export async function deleteDeadSessions(db: Kysely<DB>, at: { now: number; idleSince: number }): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', at.now), eb('last_seen_at', '<=', at.idleSince)]))
    .execute();
}

import type { Kysely } from 'kysely';
import type { ThrottleState } from '../domain/sign-in-throttle.ts';
import type { DB } from './schema.ts';

/** The throttle rows of these keys. */
export async function readThrottles(db: Kysely<DB>, keys: string[]): Promise<ThrottleState[]> {
  const rows = await db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute();
  return rows.map((r) => ({
    key: r.key,
    failures: r.failures,
    firstFailedAt: r.first_failed_at,
    lockedUntil: r.locked_until,
  }));
}

/** Writes a key's new state (insert or replace). */
export async function writeThrottle(db: Kysely<DB>, state: ThrottleState): Promise<void> {
  const values = { failures: state.failures, first_failed_at: state.firstFailedAt, locked_until: state.lockedUntil };
  await db
    .insertInto('sign_in_throttle')
    .values({ key: state.key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

/** Forgets a key's failures (a successful sign-in, a password reset). */
export async function clearThrottle(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}

/** Drops rows whose window and lock are both over, so guessed emails do not pile up. */
export async function deleteStaleThrottles(db: Kysely<DB>, staleBefore: number): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('first_failed_at', '<', staleBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', staleBefore)]))
    .execute();
}

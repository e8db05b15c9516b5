import type { Kysely } from 'kysely';
import type { ListedSuppressionReason, SuppressionReason } from '../domain/consent.ts';
import { findErasedPhones } from './erased-numbers-repo.ts';
import type { DB } from './schema.ts';

/** Puts a number on the suppression list; an existing entry keeps its reason. Erasure keeps no number: see recordErasure. */
export async function addSuppression(
  db: Kysely<DB>,
  entry: { phone: string; reason: ListedSuppressionReason; source: string; now: number },
): Promise<void> {
  await db
    .insertInto('suppressions')
    .values({ phone: entry.phone, reason: entry.reason, source: entry.source, created_at: entry.now })
    .onConflict((oc) => oc.column('phone').doNothing())
    .execute();
}

/** Removes a number's suppression only when its reason is one of `reasons`; answers whether it did. */
export async function removeSuppression(
  db: Kysely<DB>,
  phone: string,
  reasons: readonly ListedSuppressionReason[],
): Promise<boolean> {
  const result = await db
    .deleteFrom('suppressions')
    .where('phone', '=', phone)
    .where('reason', 'in', [...reasons])
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Removes whatever suppression a number has (its erasure, which keeps the number only as a hash); answers whether one was there. */
export async function deleteSuppression(db: Kysely<DB>, phone: string): Promise<boolean> {
  const result = await db.deleteFrom('suppressions').where('phone', '=', phone).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The suppression reason of each of these phones that is suppressed: listed by number, or erased (by hash). */
export async function findSuppressions(
  db: Kysely<DB>,
  phones: readonly string[],
): Promise<Map<string, SuppressionReason>> {
  if (phones.length === 0) return new Map();
  const rows = await db
    .selectFrom('suppressions')
    .select(['phone', 'reason'])
    .where('phone', 'in', [...phones])
    .execute();
  const reasons = new Map<string, SuppressionReason>(rows.map((r) => [r.phone, r.reason]));
  for (const phone of await findErasedPhones(db, phones)) reasons.set(phone, 'erased');
  return reasons;
}

/** A number's entry on the suppression list, with when and from where, or undefined. */
export async function findSuppressionEntry(db: Kysely<DB>, phone: string) {
  return db.selectFrom('suppressions').selectAll().where('phone', '=', phone).executeTakeFirst();
}

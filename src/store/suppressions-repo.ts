import type { Kysely } from 'kysely';
import type { SuppressionReason } from '../domain/consent.ts';
import type { DB } from './schema.ts';

/** Puts a number on the suppression list. `erased` replaces any reason; others keep an existing entry. */
export async function addSuppression(
  db: Kysely<DB>,
  entry: { phone: string; reason: SuppressionReason; source: string; now: number },
): Promise<void> {
  await db
    .insertInto('suppressions')
    .values({ phone: entry.phone, reason: entry.reason, source: entry.source, created_at: entry.now })
    .onConflict((oc) =>
      entry.reason === 'erased'
        ? oc.column('phone').doUpdateSet({ reason: 'erased', source: entry.source, created_at: entry.now })
        : oc.column('phone').doNothing(),
    )
    .execute();
}

/** Removes a number's suppression only when its reason is one of `reasons`; answers whether it did. */
export async function removeSuppression(
  db: Kysely<DB>,
  phone: string,
  reasons: readonly SuppressionReason[],
): Promise<boolean> {
  const result = await db
    .deleteFrom('suppressions')
    .where('phone', '=', phone)
    .where('reason', 'in', [...reasons])
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The suppression reason for each of these phones that is on the list. */
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
  return new Map(rows.map((r) => [r.phone, r.reason]));
}

import type { Kysely } from 'kysely';
import { addErasureRecords, readErasureSalt } from '../store/erased-numbers-repo.ts';
import { pageHeldPhones } from '../store/erasure-repo.ts';
import { phoneHasher } from '../store/phone-hash.ts';
import type { DB } from '../store/schema.ts';
import type { RecordedErasures } from '../store/sqlite-backup.ts';
import { erasePerson } from './erase-person.ts';

/** What carrying erasures over to a restored database did. */
export interface CarriedErasures {
  /** Erasure records added to the restored database. */
  erasures_carried: number;
  /** People the backup still held who had been erased since: erased again. */
  people_erased_again: number;
  /** Erasures that could not be carried (the backup is of another installation, with another salt). */
  erasures_not_carried: number;
}

/**
 * A backup taken before an erasure still holds the person. Restoring it over the database that
 * recorded the erasure must not bring them back: its erasure records are added to the restored
 * database (when both share a salt, as backups of one installation do), and everyone the backup
 * holds whom it had erased is erased again, keeping the first record.
 */
export async function carryErasuresOver(
  db: Kysely<DB>,
  earlier: RecordedErasures,
  clock: () => number,
): Promise<CarriedErasures> {
  if (earlier.hashed.length === 0 && earlier.plain.length === 0)
    return { erasures_carried: 0, people_erased_again: 0, erasures_not_carried: 0 };
  const salt = await readErasureSalt(db);
  const isSameSalt = earlier.salt === salt;
  const hash = phoneHasher(salt);
  const plain = earlier.plain.map((p) => ({ ...p, phone_hash: hash(p.phone), erased_at: Number(p.erased_at) }));
  const carried = await addErasureRecords(db, [...(isSameSalt ? earlier.hashed : []), ...plain]);
  const earlierHash = earlier.salt === null ? undefined : phoneHasher(earlier.salt);
  const byEarlierHash = new Map(earlier.hashed.map((record) => [record.phone_hash, record]));
  const plainByPhone = new Map(earlier.plain.map((record) => [record.phone, record]));
  let erasedAgain = 0;
  const found = new Set<string>();
  for await (const phones of pageHeldPhones(db, 5_000)) {
    for (const phone of phones) {
      const earlierHashOfPhone = earlierHash?.(phone);
      const record =
        plainByPhone.get(phone) ?? (earlierHashOfPhone ? byEarlierHash.get(earlierHashOfPhone) : undefined);
      if (!record || found.has(phone)) continue;
      found.add(phone);
      await erasePerson(db, phone, { requestedBy: record.requested_by }, clock);
      erasedAgain++;
    }
  }
  return {
    erasures_carried: carried.size,
    people_erased_again: erasedAgain,
    erasures_not_carried: isSameSalt ? 0 : Math.max(0, earlier.hashed.length - erasedAgain),
  };
}

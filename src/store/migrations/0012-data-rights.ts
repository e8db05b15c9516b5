import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { erasedStandIn } from '../../domain/erased-recipient.ts';
import { countryOfPhone } from '../../domain/phone-country.ts';
import { newErasureSalt, phoneHasher } from '../phone-hash.ts';
import { epochMs, idColumn, type MigrationFactory } from './columns.ts';

/**
 * People's data rights. Erased numbers are kept only as salted hashes (erased_numbers, with when and
 * who asked), under a salt generated here once; retention keeps its progress per purge; a campaign
 * notes when its message bodies were purged. Numbers erased before this, kept in plain on the
 * suppression list, are hashed, and what their erasure left behind (message rows, replies,
 * recipient windows, status payloads) is scrubbed as an erasure now does.
 */
export const dataRightsMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('erasure_salt')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('salt', 'text', (c) => c.notNull())
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .execute();
    const now = Date.now();
    const salt = newErasureSalt();
    await sql`insert into erasure_salt (id, salt, created_at) values (1, ${salt}, ${now})`.execute(db);
    await db.schema
      .createTable('erased_numbers')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('phone_hash', 'text', (c) => c.notNull().unique())
      .addColumn('erased_at', epochMs, (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('erasure_followups')
      .addColumn('message_id', 'bigint', (c) => c.primaryKey())
      .addColumn('stand_in', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('retention_marks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('through_id', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('campaigns').addColumn('bodies_purged_at', epochMs).execute();
    await hashEarlierErasures(db, phoneHasher(salt));
  },
});

// Self-contained on purpose: a migration must do the same thing whatever the code after it becomes.
async function hashEarlierErasures(db: Kysely<unknown>, hash: (phone: string) => string): Promise<void> {
  const erased = await sql<{ phone: string; source: string; created_at: number }>`
    select phone, source, created_at from suppressions where reason = 'erased'`.execute(db);
  for (const { phone, source, created_at } of erased.rows) {
    await sql`insert into erased_numbers (phone_hash, erased_at, requested_by)
      values (${hash(phone)}, ${Number(created_at)}, ${source})`.execute(db);
    const standIn = erasedStandIn(countryOfPhone(phone), randomBytes(6).toString('hex'));
    const ofPhone = sql`(select id from messages where phone = ${phone})`;
    await sql`update status_events set payload = '{}', wamid = 'erased:' || id where message_id in ${ofPhone}`.execute(
      db,
    );
    await sql`update message_attempts set wamid = null where message_id in ${ofPhone}`.execute(db);
    await sql`update messages set phone = ${standIn}, rendered = null, time_zone = null, error_details = null,
      wamid = case when wamid is null then null else 'erased:' || id end, contact_id = -id
      where phone = ${phone}`.execute(db);
    await sql`update inbound_messages set phone = ${standIn}, text = null, payload = '{}', wamid = 'erased:' || id,
      context_wamid = null, contact_id = null where phone = ${phone}`.execute(db);
    await sql`update recipient_sends set phone = ${standIn} where phone = ${phone}`.execute(db);
    await sql`delete from suppressions where phone = ${phone}`.execute(db);
  }
}

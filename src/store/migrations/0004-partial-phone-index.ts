import { type Kysely, sql } from 'kysely';
import type { MigrationFactory } from './columns.ts';

/**
 * Messages by phone serve only questions about messages Meta accepted (frequency cap, replies,
 * opt-outs after a send), so unsent rows leave the index: materialising a million-recipient
 * campaign writes a million fewer index entries, and a send adds one instead of moving one.
 */
export const partialPhoneIndexMigration: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('messages_by_phone').execute();
    await db.schema
      .createIndex('messages_by_phone')
      .on('messages')
      .columns(['phone', 'accepted_at'])
      .where(sql.ref('accepted_at'), 'is not', null)
      .execute();
  },
});

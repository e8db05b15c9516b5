import { type Kysely, sql } from 'kysely';
import type { MigrationFactory } from './columns.ts';
import { epochMs, idColumn } from './columns.ts';

/** Contacts, tags, the consent ledger, the suppression list, imports and API keys. */
export const contactsMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('contacts')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('phone', 'text', (c) => c.notNull().unique())
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('language', 'text')
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('marketing_consent_at', epochMs)
      .addColumn('utility_consent_at', epochMs)
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .addColumn('updated_at', epochMs, (c) => c.notNull())
      // The import that last wrote the row: a phone repeated in one file is found without a set in memory.
      .addColumn('last_import_id', 'bigint')
      .execute();

    await db.schema
      .createTable('contact_tags')
      .addColumn('contact_id', 'bigint', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('tag', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_tags_pk', ['contact_id', 'tag'])
      // SQLite: the primary key is the table, saving one b-tree write per tag on imports.
      .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
      .execute();
    await db.schema.createIndex('contact_tags_by_tag').on('contact_tags').columns(['tag', 'contact_id']).execute();

    await db.schema
      .createTable('consent_events')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('contact_id', 'bigint', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('occurred_at', epochMs, (c) => c.notNull())
      .addColumn('recorded_at', epochMs, (c) => c.notNull())
      .addColumn('proof', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      .createIndex('consent_events_by_contact')
      .on('consent_events')
      .columns(['contact_id', 'occurred_at'])
      .execute();

    await db.schema
      .createTable('suppressions')
      .addColumn('phone', 'text', (c) => c.primaryKey())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('imports')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('started_at', epochMs, (c) => c.notNull())
      .addColumn('finished_at', epochMs)
      .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('invalid', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .addColumn('last_used_at', epochMs)
      .addColumn('revoked_at', epochMs)
      .execute();
  },
});

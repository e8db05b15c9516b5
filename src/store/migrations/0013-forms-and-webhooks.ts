import type { Kysely } from 'kysely';
import { epochMs, idColumn, type MigrationFactory } from './columns.ts';

/**
 * Sign-up forms and outbound webhooks. A form keeps the wording it shows, the tags and purpose a
 * subscription gets, and whether the number must confirm on WhatsApp first; a confirmation still
 * awaited is kept with its code and the proof gathered on the page. Webhook subscriptions keep
 * their signing secret sealed; each event to deliver is a row of the delivery outbox until it is
 * delivered or given up, so a restart loses none.
 */
export const formsAndWebhooksMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('signup_forms')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('consent_text', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('double_opt_in', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sender_id', 'text', (c) => c.notNull())
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .addColumn('updated_at', epochMs, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('form_confirmations')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('form_id', 'bigint', (c) => c.notNull().references('signup_forms.id').onDelete('cascade'))
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text')
      .addColumn('proof', 'text', (c) => c.notNull())
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .addColumn('expires_at', epochMs, (c) => c.notNull())
      .addColumn('confirmed_at', epochMs)
      .execute();
    await db.schema.createIndex('form_confirmations_by_phone').on('form_confirmations').column('phone').execute();
    await db.schema
      .createTable('webhook_subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('subscription_id', 'text', (c) =>
        c.notNull().references('webhook_subscriptions.id').onDelete('cascade'),
      )
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', epochMs, (c) => c.notNull())
      .addColumn('lease_until', epochMs)
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .addColumn('finished_at', epochMs)
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['state', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_by_subscription')
      .on('webhook_deliveries')
      .columns(['subscription_id', 'id'])
      .execute();
  },
});

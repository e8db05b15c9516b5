import { type Kysely, sql } from 'kysely';
import type { MigrationFactory } from './columns.ts';
import { epochMs, idColumn } from './columns.ts';

/** Senders, templates, campaigns, the message outbox, send attempts, webhook events and inbound messages. */
export const campaignsMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('senders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('phone_number_id', 'text', (c) => c.notNull())
      .addColumn('business_account_id', 'text', (c) => c.notNull())
      .addColumn('rate_per_sec', 'real', (c) => c.notNull())
      .addColumn('daily_limit', 'integer', (c) => c.notNull())
      .addColumn('paused_reason', 'text')
      .addColumn('updated_at', epochMs, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('templates')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('business_account_id', 'text', (c) => c.notNull())
      .addColumn('meta_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('parameter_format', 'text', (c) => c.notNull())
      .addColumn('components', 'text', (c) => c.notNull())
      .addColumn('quality_score', 'text')
      .addColumn('status_reason', 'text')
      .addColumn('synced_at', epochMs, (c) => c.notNull())
      .addUniqueConstraint('templates_identity', ['business_account_id', 'name', 'language'])
      .execute();

    await db.schema
      .createTable('campaigns')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sender_id', 'text', (c) => c.notNull().references('senders.id'))
      .addColumn('template_id', 'bigint', (c) => c.notNull().references('templates.id'))
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('audience_size', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('scheduled_at', epochMs)
      .addColumn('started_at', epochMs)
      .addColumn('finished_at', epochMs)
      .addColumn('materialized_through', 'bigint')
      .addColumn('is_materialized', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('parent_campaign_id', 'bigint')
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .addColumn('updated_at', epochMs, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('campaigns_by_status').on('campaigns').columns(['status']).execute();

    await db.schema
      .createTable('messages')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
      .addColumn('contact_id', 'bigint', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('rendered', 'text')
      .addColumn('time_zone', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', epochMs, (c) => c.notNull())
      .addColumn('lease_until', epochMs)
      .addColumn('lease_owner', 'text')
      .addColumn('wamid', 'text')
      .addColumn('error_code', 'integer')
      .addColumn('error_title', 'text')
      .addColumn('error_details', 'text')
      .addColumn('pricing_model', 'text')
      .addColumn('pricing_category', 'text')
      .addColumn('billable', 'integer')
      .addColumn('accepted_at', epochMs)
      .addColumn('sent_at', epochMs)
      .addColumn('delivered_at', epochMs)
      .addColumn('read_at', epochMs)
      .addColumn('failed_at', epochMs)
      .addColumn('updated_at', epochMs, (c) => c.notNull())
      .addUniqueConstraint('messages_one_per_contact', ['campaign_id', 'contact_id'])
      .execute();
    // One index serves claiming (per campaign, due first), lease sweeps and status counts.
    await db.schema
      .createIndex('messages_due')
      .on('messages')
      .columns(['campaign_id', 'status', 'next_attempt_at'])
      .execute();
    // Rows get a wamid only once sent: unsent rows (a million at materialisation) stay out of the index.
    await db.schema
      .createIndex('messages_by_wamid')
      .on('messages')
      .column('wamid')
      .unique()
      .where(sql.ref('wamid'), 'is not', null)
      .execute();
    await db.schema.createIndex('messages_by_phone').on('messages').columns(['phone', 'accepted_at']).execute();

    await db.schema
      .createTable('message_attempts')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('message_id', 'bigint', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('started_at', epochMs, (c) => c.notNull())
      .addColumn('finished_at', epochMs, (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('wamid', 'text')
      .addColumn('error_class', 'text')
      .addColumn('error_code', 'integer')
      .addColumn('error_subcode', 'integer')
      .addColumn('error_title', 'text')
      .addColumn('fbtrace_id', 'text')
      .addColumn('http_status', 'integer')
      .execute();
    await db.schema.createIndex('message_attempts_by_message').on('message_attempts').column('message_id').execute();

    await db.schema
      .createTable('recipient_sends')
      .addColumn('sender_id', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('window_started_at', epochMs, (c) => c.notNull())
      .addColumn('last_sent_at', epochMs, (c) => c.notNull())
      .addPrimaryKeyConstraint('recipient_sends_pk', ['sender_id', 'phone'])
      .execute();
    await db.schema
      .createIndex('recipient_sends_by_window')
      .on('recipient_sends')
      .columns(['sender_id', 'window_started_at'])
      .execute();

    await db.schema
      .createTable('status_events')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('wamid', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message_id', 'bigint')
      .addColumn('callback_data', 'text')
      .addColumn('occurred_at', epochMs, (c) => c.notNull())
      .addColumn('received_at', epochMs, (c) => c.notNull())
      .addColumn('is_applied', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('payload', 'text', (c) => c.notNull())
      .addUniqueConstraint('status_events_once', ['wamid', 'status'])
      .execute();
    // Only events still waiting for their message are indexed: most are applied as they arrive.
    await db.schema
      .createIndex('status_events_unapplied')
      .on('status_events')
      .column('wamid')
      .where(sql.ref('is_applied'), '=', sql.lit(0))
      .execute();

    await db.schema
      .createTable('inbound_messages')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('wamid', 'text', (c) => c.notNull().unique())
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'bigint')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('text', 'text')
      .addColumn('context_wamid', 'text')
      .addColumn('campaign_id', 'bigint')
      .addColumn('message_id', 'bigint')
      .addColumn('occurred_at', epochMs, (c) => c.notNull())
      .addColumn('received_at', epochMs, (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('inbound_by_campaign').on('inbound_messages').column('campaign_id').execute();
    await db.schema.createIndex('inbound_by_phone').on('inbound_messages').columns(['phone', 'occurred_at']).execute();
  },
});

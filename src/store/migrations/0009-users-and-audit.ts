import { type Kysely, sql } from 'kysely';
import { epochMs, idColumn, type MigrationFactory } from './columns.ts';

/**
 * Dashboard users, their sessions, sign-in throttling and the audit log; API keys gain a role
 * (keys made before roles existed could do everything, so they stay admin) and who made them.
 * Two small partial or narrow indexes serve the overview's "today" counts without touching the
 * tables the dispatcher writes.
 */
export const usersAndAuditMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('users')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .addColumn('updated_at', epochMs, (c) => c.notNull())
      .addColumn('last_sign_in_at', epochMs)
      .addColumn('disabled_at', epochMs)
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .addColumn('last_seen_at', epochMs, (c) => c.notNull())
      .addColumn('expires_at', epochMs, (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('sessions_by_user').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('sign_in_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('first_failed_at', epochMs, (c) => c.notNull())
      .addColumn('locked_until', epochMs)
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('at', epochMs, (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_label', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('ip', 'text')
      .execute();
    await db.schema.createIndex('audit_log_by_action').on('audit_log').columns(['action', 'id']).execute();
    await db.schema
      .createIndex('audit_log_by_actor')
      .on('audit_log')
      .columns(['actor_type', 'actor_id', 'id'])
      .execute();

    await db.schema
      .alterTable('api_keys')
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('admin'))
      .execute();
    await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute();

    await db.schema
      .createIndex('consent_events_revoked')
      .on('consent_events')
      .column('recorded_at')
      .where(sql.ref('action'), '=', 'revoke')
      .execute();
    await db.schema.createIndex('inbound_by_received').on('inbound_messages').column('received_at').execute();
  },
});

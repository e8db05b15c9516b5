import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/** Totals for /metrics: messages by status, campaigns by status, suppressions and contacts. */
export async function readTotals(db: Kysely<DB>): Promise<{
  messages: Record<string, number>;
  campaigns: Record<string, number>;
  contacts: number;
  suppressions: number;
}> {
  const count = sql<number>`count(*)`.as('n');
  const [messages, campaigns, contacts, suppressions] = await Promise.all([
    db.selectFrom('messages').select(['status', count]).groupBy('status').execute(),
    db.selectFrom('campaigns').select(['status', count]).groupBy('status').execute(),
    db.selectFrom('contacts').select(count).executeTakeFirstOrThrow(),
    db.selectFrom('suppressions').select(count).executeTakeFirstOrThrow(),
  ]);
  return {
    messages: Object.fromEntries(messages.map((r) => [r.status, Number(r.n)])),
    campaigns: Object.fromEntries(campaigns.map((r) => [r.status, Number(r.n)])),
    contacts: Number(contacts.n),
    suppressions: Number(suppressions.n),
  };
}

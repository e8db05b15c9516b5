import type { Kysely } from 'kysely';
import { helloWorld } from '../domain/template-fixtures.testing.ts';
import { insertCampaign, insertMaterializedBatch } from './campaigns-repo.ts';
import type { Database } from './db.ts';
import { claimDueMessages } from './outbox-repo.ts';
import type { DB } from './schema.ts';
import { upsertSender } from './senders-repo.ts';
import { upsertTemplates } from './templates-repo.ts';

/**
 * Seeds what a message row needs — the default sender (WABA `w1`), the `hello_world` template and a
 * draft campaign of `audienceSize` — and answers the campaign id (store tests only).
 */
export async function seedDraftCampaign(db: Kysely<DB>, nowMs: number, audienceSize: number): Promise<number> {
  await upsertSender(
    db,
    { id: 'default', phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 1000 },
    nowMs,
  );
  await upsertTemplates(db, 'w1', [helloWorld], nowMs);
  const template = await db
    .selectFrom('templates')
    .select('id')
    .where('name', '=', helloWorld.name)
    .executeTakeFirstOrThrow();
  return insertCampaign(
    db,
    {
      name: 'c',
      senderId: 'default',
      templateId: template.id,
      params: '{}',
      audience: '{}',
      options: '{}',
      status: 'draft',
      audienceSize,
      scheduledAt: null,
      parentCampaignId: null,
    },
    nowMs,
  );
}

/**
 * Seeds a campaign of `count` messages (ids 1…count, phones +49151123450{id}) and claims them all,
 * so each is `sending` as if its request were out: what status events then apply to (store tests only).
 */
export async function seedMessagesInFlight(database: Database, nowMs: number, count: number): Promise<number> {
  const { db, dialect } = database;
  const campaignId = await seedDraftCampaign(db, nowMs, count);
  const messages = Array.from({ length: count }, (_, i) => ({
    contactId: i + 1,
    phone: `+49151123450${i + 1}`,
    status: 'pending' as const,
    statusReason: null,
    rendered: '{}',
    nextAttemptAt: nowMs,
  }));
  await insertMaterializedBatch(db, { campaignId, messages, throughContactId: count, isLast: true, now: nowMs });
  await claimDueMessages(db, dialect, { campaignId, limit: count, now: nowMs, leaseUntil: nowMs + 60_000, owner: 'w' });
  return campaignId;
}

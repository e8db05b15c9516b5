import type { Kysely } from 'kysely';
import type { TemplateDefinition } from '../domain/template.ts';
import { helloWorld } from '../domain/template-fixtures.testing.ts';
import { insertCampaign, insertMaterializedBatch, transitionCampaign } from './campaigns-repo.ts';
import { findContactByPhone, insertBareContact } from './contacts-repo.ts';
import type { Database } from './db.ts';
import { claimDueMessages } from './outbox-repo.ts';
import type { DB } from './schema.ts';
import { upsertSender } from './senders-repo.ts';
import { upsertTemplates } from './templates-repo.ts';

/**
 * Seeds what a message row needs — the default sender (WABA `w1`), a template (`hello_world`
 * unless told) and a draft campaign of `audienceSize` — and answers the campaign id (tests only).
 */
export async function seedDraftCampaign(
  db: Kysely<DB>,
  nowMs: number,
  audienceSize: number,
  definition: TemplateDefinition = helloWorld,
): Promise<number> {
  await upsertSender(
    db,
    { id: 'default', phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 1000 },
    nowMs,
  );
  await upsertTemplates(db, 'w1', [definition], nowMs);
  const template = await db
    .selectFrom('templates')
    .select('id')
    .where('name', '=', definition.name)
    .where('language', '=', definition.language)
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
 * Seeds a campaign on `definition` (`hello_world` unless told), moved to `status`, whose messages
 * to `phones` (contacts made when missing) wait in `pending`; answers its id (tests of what
 * settles waiting messages).
 */
export async function seedPendingCampaign(
  db: Kysely<DB>,
  nowMs: number,
  setup: { status: 'running' | 'paused'; phones: readonly string[]; definition?: TemplateDefinition },
): Promise<number> {
  const campaignId = await seedDraftCampaign(db, nowMs, setup.phones.length, setup.definition);
  const messages = [];
  for (const phone of setup.phones) {
    const contactId = (await findContactByPhone(db, phone))?.id ?? (await insertBareContact(db, phone, nowMs));
    messages.push({
      contactId,
      phone,
      status: 'pending' as const,
      statusReason: null,
      rendered: '{}',
      nextAttemptAt: nowMs,
    });
  }
  const throughContactId = Math.max(...messages.map((m) => m.contactId));
  const batch = { campaignId, messages, throughContactId, isLast: true, now: nowMs };
  await insertMaterializedBatch(db, batch);
  await transitionCampaign(db, { id: campaignId, from: ['draft'], to: setup.status, now: nowMs, startedAt: nowMs });
  return campaignId;
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

/** Each message to `phone` as [campaign id, status, status reason], by campaign (tests only). */
export async function messageStatusesOf(db: Kysely<DB>, phone: string): Promise<[number, string, string | null][]> {
  const rows = await db
    .selectFrom('messages')
    .select(['campaign_id', 'status', 'status_reason'])
    .where('phone', '=', phone)
    .orderBy('campaign_id')
    .execute();
  return rows.map((m) => [m.campaign_id, m.status, m.status_reason]);
}

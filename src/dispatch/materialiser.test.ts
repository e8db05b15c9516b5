import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignInputSchema } from '../app/campaign-input.ts';
import { changeCampaignStatus, createCampaign, requireCampaign } from '../app/campaigns.ts';
import { importContacts } from '../app/import-contacts.ts';
import { welcome } from '../domain/template-fixtures.testing.ts';
import { countMessagesByStatus } from '../store/outbox-repo.ts';
import { upsertSender } from '../store/senders-repo.ts';
import { upsertTemplates } from '../store/templates-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { MATERIALISE_BATCH, materialiseCampaign } from './materialiser.ts';

const NOW = 1_800_000_000_000;
const clock = () => NOW;
// More than two batches, so a stop lands between batches with work left on both sides.
const CONTACTS = MATERIALISE_BATCH * 2 + 321;

describe.each(TEST_BACKENDS)('materialiser on %s', (backend) => {
  let test: TestDatabase;
  let campaignId: number;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    const { database } = test;
    await upsertSender(
      database.db,
      { id: 'default', phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 1_000_000 },
      NOW,
    );
    await upsertTemplates(database.db, 'w1', [welcome], NOW);
    const rows = Array.from(
      { length: CONTACTS },
      (_, i) => `+49151${String(30_000_000 + i).padStart(8, '0')},Ana,2026-01-05T10:00:00Z`,
    );
    const csv = `phone,first_name,opted_in_at\n${rows.join('\n')}\n`;
    await importContacts(database, Readable.from([csv]), { fileName: 'm.csv', tags: ['m'] }, clock);
    const input = campaignInputSchema.parse({
      name: 'materialise',
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: ['m'] },
    });
    campaignId = Number((await createCampaign(database, input, NOW)).id);
    await changeCampaignStatus(database, campaignId, 'start', NOW);
  }, 60_000);
  afterAll(async () => test.drop());

  const messageCount = async () => {
    const counts = await countMessagesByStatus(test.database.db, campaignId);
    return Object.values(counts).reduce((a, b) => a + b, 0);
  };

  it('stops between batches when paused and keeps its checkpoint', async () => {
    const running = await requireCampaign(test.database, campaignId);
    // Paused while it works: the record it was handed still says running.
    await changeCampaignStatus(test.database, campaignId, 'pause', NOW);
    await materialiseCampaign(test.database, running, welcome, clock);
    const after = await requireCampaign(test.database, campaignId);
    expect(await messageCount()).toBe(MATERIALISE_BATCH);
    expect(after.isMaterialized).toBe(false);
    const last = await test.database.db
      .selectFrom('messages')
      .select((eb) => eb.fn.max('contact_id').as('id'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(after.materializedThrough).toBe(Number(last.id));
  });

  it('resumes from the checkpoint, and a replay from the start after a crash changes nothing', async () => {
    await changeCampaignStatus(test.database, campaignId, 'resume', NOW);
    // One row already went out before the "crash": a replay must not reset it.
    const first = await test.database.db
      .selectFrom('messages')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await test.database.db
      .updateTable('messages')
      .set({ status: 'accepted', wamid: 'wamid.kept' })
      .where('id', '=', first.id)
      .execute();
    const stale = { ...(await requireCampaign(test.database, campaignId)), materializedThrough: null };
    await materialiseCampaign(test.database, await requireCampaign(test.database, campaignId), welcome, clock);
    expect(await messageCount()).toBe(CONTACTS);
    // A worker that died before its checkpoint committed replays from where its record said.
    await materialiseCampaign(test.database, stale, welcome, clock);
    expect(await messageCount()).toBe(CONTACTS);
    const contacts = await test.database.db
      .selectFrom('messages')
      .select((eb) => eb.fn.count('contact_id').distinct().as('n'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(Number(contacts.n)).toBe(CONTACTS);
    const kept = await test.database.db
      .selectFrom('messages')
      .select(['status', 'wamid'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ status: 'accepted', wamid: 'wamid.kept' });
    expect((await requireCampaign(test.database, campaignId)).isMaterialized).toBe(true);
  });

  it('skips contacts over the marketing frequency cap, counting sends of other campaigns', async () => {
    const recent = await test.database.db
      .selectFrom('messages')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .orderBy('id')
      .limit(3)
      .execute();
    await test.database.db
      .updateTable('messages')
      .set({ accepted_at: NOW - 24 * 3_600_000 })
      .where(
        'id',
        'in',
        recent.map((r) => r.id),
      )
      .execute();
    const input = campaignInputSchema.parse({
      name: 'capped',
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: ['m'] },
      frequency_cap: { max_messages: 1, per_days: 7 },
    });
    const cappedId = Number((await createCampaign(test.database, input, NOW)).id);
    await changeCampaignStatus(test.database, cappedId, 'start', NOW);
    await materialiseCampaign(test.database, await requireCampaign(test.database, cappedId), welcome, clock);
    expect(await countMessagesByStatus(test.database.db, cappedId)).toEqual({ pending: CONTACTS - 3, skipped: 3 });
    const reasons = await test.database.db
      .selectFrom('messages')
      .select('status_reason')
      .where('campaign_id', '=', cappedId)
      .where('status', '=', 'skipped')
      .execute();
    expect(reasons.every((r) => r.status_reason?.startsWith('frequency_cap:'))).toBe(true);
  });
});

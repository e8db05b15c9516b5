import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDraftCampaign } from './campaign-fixtures.testing.ts';
import { getCampaign } from './campaigns-repo.ts';
import { writeMaterializedBatch } from './materialized-batch.ts';
import { countMessagesByStatus } from './outbox-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

const NOW = 1_800_000_000_000;

describe.each(TEST_BACKENDS)('materialised batches on %s', (backend) => {
  let test: TestDatabase;
  let campaignId: number;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    const { db } = test.database;
    campaignId = await seedDraftCampaign(db, NOW, 3);
  });
  afterAll(async () => test.drop());

  it('writes rows and the checkpoint together, and a replay adds nothing', async () => {
    const messages = [1, 2, 3].map((i) => ({
      contactId: i,
      phone: `+49151123450${i}`,
      status: i === 3 ? ('skipped' as const) : ('pending' as const),
      statusReason: i === 3 ? 'no_consent: none' : null,
      rendered: i === 3 ? null : '{}',
      timeZone: i === 1 ? 'Europe/Berlin' : null,
      nextAttemptAt: NOW,
    }));
    const batch = { campaignId, messages, throughContactId: 3, isLast: true, now: NOW };
    await writeMaterializedBatch(test.database, batch);
    await writeMaterializedBatch(test.database, batch);
    expect(await countMessagesByStatus(test.database.db, campaignId)).toEqual({ pending: 2, skipped: 1 });
    const campaign = await getCampaign(test.database.db, campaignId);
    expect([campaign?.materializedThrough, campaign?.isMaterialized]).toEqual([3, true]);
    const first = await test.database.db
      .selectFrom('messages')
      .select(['time_zone', 'attempts', 'status_reason'])
      .where('contact_id', '=', 1)
      .executeTakeFirstOrThrow();
    expect(first).toEqual({ time_zone: 'Europe/Berlin', attempts: 0, status_reason: null });
  });
});

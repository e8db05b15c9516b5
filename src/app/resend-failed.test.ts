import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialiseCampaign } from '../dispatch/materialiser.ts';
import { welcome } from '../domain/template-fixtures.testing.ts';
import { pageCampaignMessages } from '../store/campaign-messages-repo.ts';
import { setMessageOutcomeForTest } from '../store/report-outcomes.testing.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { SEED_NOW, SEED_PHONES, seedReportCampaign } from './campaign-report-seed.testing.ts';
import { changeCampaignStatus, requireCampaign } from './campaigns.ts';
import { createResendCampaign, isResendableCode } from './resend-failed.ts';

describe('which failures are resent', () => {
  it('resends transient classes only, never permanent recipient or template failures', () => {
    expect([131000, 2, 130429, 80007, 131056].map(isResendableCode)).toEqual([true, true, true, true, true]);
    expect([131026, 131050, 131049, 132001, 190, 131048, 999999].map(isResendableCode)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe.each(TEST_BACKENDS)('resend-failed on %s', (backend) => {
  let test: TestDatabase;
  let parentId: number;
  let childId: number;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    parentId = await seedReportCampaign(test.database);
  });
  afterAll(async () => test.drop());

  it('creates a draft child whose audience is exactly the retryable failures', async () => {
    const result = await createResendCampaign(test.database, parentId, SEED_NOW + 3_600_000);
    expect(result.campaign).toMatchObject({ status: 'draft', audience_size: 2, template: { name: 'welcome' } });
    expect(result.resent_codes.sort()).toEqual([130429, 131000]);
    expect(result.not_resent).toEqual({ '131026': 1 });
    childId = Number(result.campaign.id);
    const child = await requireCampaign(test.database, childId);
    const parent = await requireCampaign(test.database, parentId);
    expect(child.parentCampaignId).toBe(parentId);
    expect(child.params).toBe(parent.params);

    await changeCampaignStatus(test.database, childId, 'start', SEED_NOW + 3_600_000);
    await materialiseCampaign(test.database, await requireCampaign(test.database, childId), welcome, () => SEED_NOW);
    const messages = await pageCampaignMessages(test.database.db, { campaignId: childId, afterId: 0, limit: 100 });
    expect(messages.map((m) => [m.phone, m.status]).sort()).toEqual(
      [
        [SEED_PHONES.failedRetryable, 'pending'],
        [SEED_PHONES.failedThroughput, 'pending'],
      ].sort(),
    );
  });

  it('refuses a second resend while the first is not cancelled', async () => {
    await expect(createResendCampaign(test.database, parentId, SEED_NOW)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses when no failure is retryable', async () => {
    // The child's own messages fail permanently this time: there is nothing left to resend.
    for (const phone of [SEED_PHONES.failedRetryable, SEED_PHONES.failedThroughput]) {
      await setMessageOutcomeForTest(test.database.db, childId, phone, {
        status: 'failed',
        failed_at: SEED_NOW,
        error_code: 131050,
      });
    }
    await expect(createResendCampaign(test.database, childId, SEED_NOW)).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/no failures with a retryable error/),
    });
  });
});

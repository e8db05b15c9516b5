import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDraftCampaign } from '../store/campaign-fixtures.testing.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { computeCampaignCost } from './campaign-cost.ts';

const NOW = 1_800_000_000_000;
// Numbers whose country a calling code names (DE), an area code names (US, CA under +1), and only
// the whole number names (GB, JE, GG share +44), and an erased person's stand-in that kept DE.
const PHONES = {
  DE: ['+4915112345678', '+4915112345679', '+4917012345678'],
  US: ['+12025550123', '+12025550124'],
  CA: ['+14165550123'],
  GB: ['+447700900123', '+447700900124'],
  JE: ['+447797123456'],
  GG: ['+447781123456'],
  erased: ['erased:DE:3f2a'],
};

describe.each(TEST_BACKENDS)('campaign cost on %s', (backend) => {
  let test: TestDatabase;
  let id: number;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    id = await seedDraftCampaign(test.database.db, NOW, 11);
    const phones = Object.values(PHONES).flat();
    await test.database.db
      .insertInto('messages')
      .values(
        phones.map((phone, i) => ({
          campaign_id: id,
          contact_id: i + 1,
          phone,
          // The first GB number was skipped; the rest were delivered and billed as marketing.
          status: phone === PHONES.GB[0] ? 'skipped' : 'delivered',
          billable: phone === PHONES.GB[0] ? null : 1,
          pricing_category: phone === PHONES.GB[0] ? null : 'marketing',
          next_attempt_at: NOW,
          updated_at: NOW,
        })),
      )
      .execute();
  });
  afterAll(async () => test.drop());

  it('prices each number in its own country, whether grouped by code or read one by one', async () => {
    const cost = await computeCampaignCost(test.database, id, 'marketing');
    const billedByCountry = Object.fromEntries(cost.actual.lines.map((l) => [l.country, l.count]));
    expect(billedByCountry).toEqual({ DE: 4, US: 2, CA: 1, GB: 1, JE: 1, GG: 1 });
    expect(cost.actual.billable_messages).toBe(10);
    expect(cost.actual.pricing_unknown).toBe(0);
    const estimatedByCountry = Object.fromEntries(cost.estimate.lines.map((l) => [l.country, l.count]));
    expect(estimatedByCountry).toEqual({ DE: 4, US: 2, CA: 1, GB: 1, JE: 1, GG: 1 });
  });
});

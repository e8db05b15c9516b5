// The report and resend-failed endpoints in-process (app.request), on the seeded campaign.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_NOW, seedReportCampaign } from '../../app/campaign-report-seed.testing.ts';
import { DEFAULT_RATE_CARD } from '../../domain/pricing.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { createHttpApp } from '../app.ts';
import { createTestApi, requestAs } from '../testing.ts';
import { registerCampaignRoutes } from './campaigns.ts';

const _KEY = 'test-key-report';

describe('GET /report and POST /resend-failed', () => {
  let test: TestDatabase;
  let id: number;
  let app: ReturnType<typeof createHttpApp>;
  let nudges = 0;
  const call = (method: string, path: string) => requestAs(app, method, path);

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    id = await seedReportCampaign(test.database);
    ({ app } = await createTestApi(
      test.database,
      [(a, d) => registerCampaignRoutes(a, d, { onCampaignChanged: () => nudges++, rateCard: DEFAULT_RATE_CARD })],
      SEED_NOW,
    ));
  });
  afterAll(async () => test.drop());

  it('answers the report as JSON, and 404 for an unknown campaign', async () => {
    const response = await call('GET', `/api/v1/campaigns/${id}/report`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      total: number;
      failures: unknown[];
      cost: { actual: { total: number } };
    };
    expect(report.total).toBe(7);
    expect(report.failures).toHaveLength(3);
    expect(report.cost.actual.total).toBe(0.273);
    expect((await call('GET', '/api/v1/campaigns/999/report')).status).toBe(404);
  });

  it('creates the resend campaign (201), wakes the dispatcher, and refuses a second one (409)', async () => {
    const response = await call('POST', `/api/v1/campaigns/${id}/resend-failed`);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ campaign: { status: 'draft', audience_size: 2 } });
    expect(nudges).toBe(1);
    const again = await call('POST', `/api/v1/campaigns/${id}/resend-failed`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'conflict' } });
  });
});

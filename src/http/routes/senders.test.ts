import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialBox } from '../../app/credential-box.ts';
import { DEFAULT_SENDER_ID } from '../../app/senders.ts';
import { DEFAULT_RATE_CARD } from '../../domain/pricing.ts';
import { seedDraftCampaign } from '../../store/campaign-fixtures.testing.ts';
import { transitionCampaign } from '../../store/campaigns-repo.ts';
import { pauseSender } from '../../store/senders-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs } from '../testing.ts';
import { registerCampaignRoutes } from './campaigns.ts';
import { registerSenderRoutes } from './senders.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');

describe.each(TEST_BACKENDS)('sender routes on %s', (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;
  let campaignId: number;
  let wakeUps = 0;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await requestAs(app, method, path, {
      ...(body === undefined ? {} : { body: JSON.stringify(body), type: 'application/json' }),
    });
    return { status: res.status, json: JSON.parse(await res.text()) };
  };

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    campaignId = await seedDraftCampaign(test.database.db, NOW, 0);
    await transitionCampaign(test.database.db, { id: campaignId, from: ['draft'], to: 'running', now: NOW });
    ({ app } = await createTestApi(
      test.database,
      [
        (a, d) =>
          registerSenderRoutes(a, d, {
            admin: { box: createCredentialBox(randomBytes(32)) },
            onSenderChanged: () => wakeUps++,
          }),
        (a, d) => registerCampaignRoutes(a, d, { onCampaignChanged: () => {}, rateCard: DEFAULT_RATE_CARD }),
      ],
      NOW,
    ));
  });
  afterAll(async () => test.drop());

  it('lists the default sender with its limits and state, and no credentials', async () => {
    const list = await call('GET', '/api/v1/senders');
    expect(list.status).toBe(200);
    expect(list.json.data).toEqual([
      expect.objectContaining({
        id: DEFAULT_SENDER_ID,
        status: 'active',
        status_reason: null,
        mps: 80,
        daily_limit: 1000,
        access_token: 'set',
      }),
    ]);
  });

  it('pauses and resumes a sender by hand, waking the dispatcher each time', async () => {
    const before = wakeUps;
    const paused = await call('POST', `/api/v1/senders/${DEFAULT_SENDER_ID}/pause`, { reason: 'number migrating' });
    expect(paused.json).toMatchObject({ status: 'paused', status_reason: 'number migrating', paused_by: 'person' });
    expect(paused.json.paused_at).toBe(new Date(NOW).toISOString());
    const resumed = await call('POST', `/api/v1/senders/${DEFAULT_SENDER_ID}/resume`);
    expect(resumed.json).toMatchObject({ status: 'active', status_reason: null, paused_by: null, paused_at: null });
    expect(wakeUps).toBe(before + 2);
  });

  it('pauses without a body with a default reason', async () => {
    const paused = await call('POST', `/api/v1/senders/${DEFAULT_SENDER_ID}/pause`);
    expect(paused.json).toMatchObject({ status: 'paused', status_reason: 'paused by a person' });
    await call('POST', `/api/v1/senders/${DEFAULT_SENDER_ID}/resume`);
  });

  it("shows a paused sender's reason on its running campaigns, and nothing once it is resumed", async () => {
    const reason = '190: authentication or configuration problem; check the sender';
    await pauseSender(test.database.db, DEFAULT_SENDER_ID, { reason, by: 'auth' }, NOW);
    const held = await call('GET', `/api/v1/campaigns/${campaignId}`);
    expect(held.json).toMatchObject({ status: 'running', status_reason: `sender "default" is paused: ${reason}` });
    await call('POST', `/api/v1/senders/${DEFAULT_SENDER_ID}/resume`);
    expect((await call('GET', `/api/v1/campaigns/${campaignId}`)).json.status_reason).toBeNull();
  });

  it('answers 404 naming the field for an unknown sender, and 400 for a bad reason', async () => {
    const missing = await call('POST', '/api/v1/senders/nope/pause', {});
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'not_found', field: 'id' });
    const bad = await call('POST', `/api/v1/senders/${DEFAULT_SENDER_ID}/pause`, { reason: 42 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('reason');
    expect((await call('GET', '/api/v1/senders/default')).json.status).toBe('active');
  });
});

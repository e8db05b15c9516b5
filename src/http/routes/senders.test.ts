import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialBox } from '../../app/credential-box.ts';
import { DEFAULT_SENDER_ID } from '../../app/senders.ts';
import { DEFAULT_RATE_CARD } from '../../domain/pricing.ts';
import { seedDraftCampaign } from '../../store/campaign-fixtures.testing.ts';
import { insertCampaign, transitionCampaign } from '../../store/campaigns-repo.ts';
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

describe.each(TEST_BACKENDS)('adding, changing and removing senders on %s', (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;
  const box = createCredentialBox(randomBytes(32));
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await requestAs(app, method, path, {
      ...(body === undefined ? {} : { body: JSON.stringify(body), type: 'application/json' }),
    });
    const text = await res.text();
    return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
  };
  const brandB = {
    name: 'Brand B (Berlin)',
    phone_number_id: '1000000000001',
    business_account_id: '2000000000001',
    access_token: 'EAAG-brand-b-token',
    app_secret: 'brand-b-app-secret',
    mps: 200,
    daily_limit: 10_000,
  };

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await seedDraftCampaign(test.database.db, NOW, 0);
    ({ app } = await createTestApi(
      test.database,
      [(a, d) => registerSenderRoutes(a, d, { admin: { box }, onSenderChanged: () => {} })],
      NOW,
    ));
  });
  afterAll(async () => test.drop());

  it('adds a sender under an id made from its name, and never shows or stores its credentials in the clear', async () => {
    const created = await call('POST', '/api/v1/senders', brandB);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: 'brand-b-berlin',
      name: 'Brand B (Berlin)',
      phone_number_id: '1000000000001',
      access_token: 'set',
      app_secret: 'set',
      configured_by: 'api',
      mps: 200,
      daily_limit: 10_000,
      status: 'active',
    });
    const listed = JSON.stringify((await call('GET', '/api/v1/senders')).json);
    expect(listed).not.toContain('EAAG');
    expect(listed).not.toContain('brand-b-app-secret');
    const row = await test.database.db
      .selectFrom('senders')
      .selectAll()
      .where('id', '=', 'brand-b-berlin')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('EAAG');
    expect(box.open(row.access_token_sealed as string, 'brand-b-berlin')).toBe('EAAG-brand-b-token');
    const audited = await test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'sender.create')
      .executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ actor_type: 'api_key', target_type: 'sender', target_id: 'brand-b-berlin' });
    expect(audited.details).not.toContain('EAAG');
  });

  it('refuses a taken id or phone number, and missing credentials, naming the field', async () => {
    const sameId = await call('POST', '/api/v1/senders', {
      ...brandB,
      id: 'brand-b-berlin',
      phone_number_id: '1000000000002',
    });
    expect(sameId).toMatchObject({ status: 409, json: { error: { code: 'conflict', field: 'id' } } });
    const sameNumber = await call('POST', '/api/v1/senders', { ...brandB, name: 'Copy' });
    expect(sameNumber).toMatchObject({ status: 409, json: { error: { code: 'conflict', field: 'phone_number_id' } } });
    const noToken = await call('POST', '/api/v1/senders', { ...brandB, name: 'No token', access_token: undefined });
    expect(noToken).toMatchObject({ status: 400, json: { error: { field: 'access_token' } } });
    const tooFast = await call('POST', '/api/v1/senders', { ...brandB, name: 'Fast', mps: 5_000 });
    expect(tooFast).toMatchObject({ status: 400, json: { error: { field: 'mps' } } });
    expect((await call('GET', '/api/v1/senders')).json.data).toHaveLength(2);
  });

  it('changes limits and credentials; a new token lifts an authentication pause', async () => {
    await pauseSender(test.database.db, 'brand-b-berlin', { reason: '190: token expired', by: 'auth' }, NOW);
    const changed = await call('PATCH', '/api/v1/senders/brand-b-berlin', { mps: 500, access_token: 'EAAG-renewed' });
    expect(changed.json).toMatchObject({ mps: 500, status: 'active', paused_by: null });
    const row = await test.database.db
      .selectFrom('senders')
      .select('access_token_sealed')
      .where('id', '=', 'brand-b-berlin')
      .executeTakeFirstOrThrow();
    expect(box.open(row.access_token_sealed as string, 'brand-b-berlin')).toBe('EAAG-renewed');
    const update = await test.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'sender.update')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(update.details).fields.sort()).toEqual(['access_token', 'mps']);
    expect((await call('PATCH', '/api/v1/senders/brand-b-berlin', {})).status).toBe(400);
  });

  it("keeps the default sender's credentials and limits to the WA_* variables", async () => {
    const refused = await call('PATCH', `/api/v1/senders/${DEFAULT_SENDER_ID}`, { mps: 10 });
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'invalid_state', field: 'mps' } } });
    expect(refused.json.error.message).toContain('WA_*');
    expect((await call('PATCH', `/api/v1/senders/${DEFAULT_SENDER_ID}`, { name: 'Main shop' })).json.name).toBe(
      'Main shop',
    );
    expect((await call('DELETE', `/api/v1/senders/${DEFAULT_SENDER_ID}`)).status).toBe(409);
  });

  it('removes a sender with no open campaign for good; its id is not given out again', async () => {
    const campaignId = await insertCampaignFor(test.database.db, 'brand-b-berlin');
    const busy = await call('DELETE', '/api/v1/senders/brand-b-berlin');
    expect(busy).toMatchObject({ status: 409, json: { error: { code: 'invalid_state' } } });
    expect(busy.json.error.message).toContain(String(campaignId));
    await transitionCampaign(test.database.db, { id: campaignId, from: ['running'], to: 'cancelled', now: NOW });
    expect((await call('DELETE', '/api/v1/senders/brand-b-berlin')).status).toBe(204);
    expect((await call('GET', '/api/v1/senders/brand-b-berlin')).status).toBe(404);
    const again = await call('POST', '/api/v1/senders', { ...brandB, id: 'brand-b-berlin' });
    expect(again).toMatchObject({ status: 409, json: { error: { field: 'id' } } });
    const reused = await call('POST', '/api/v1/senders', brandB);
    expect(reused.json.id).toBe('brand-b-berlin-2');
  });
});

/** A running campaign of `senderId` on the seeded template (no messages). */
async function insertCampaignFor(db: TestDatabase['database']['db'], senderId: string): Promise<number> {
  const template = await db.selectFrom('templates').select('id').executeTakeFirstOrThrow();
  return insertCampaign(
    db,
    {
      name: 'b',
      senderId,
      templateId: template.id,
      params: '{}',
      audience: '{}',
      options: '{}',
      status: 'draft',
      audienceSize: 0,
      scheduledAt: null,
      parentCampaignId: null,
    },
    NOW,
  ).then(async (id) => {
    await transitionCampaign(db, { id, from: ['draft'], to: 'running', now: NOW });
    return id;
  });
}

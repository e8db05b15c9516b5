import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_ID } from '../../app/senders.ts';
import { syncTemplates } from '../../app/sync-templates.ts';
import { DEFAULT_RATE_CARD } from '../../domain/pricing.ts';
import { helloWorld, orderUpdate, welcome } from '../../domain/template-fixtures.testing.ts';
import { getSender, type Sender, upsertSender } from '../../store/senders-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, TEST_API_KEY } from '../testing.ts';
import { registerCampaignRoutes } from './campaigns.ts';
import { registerContactRoutes } from './contacts.ts';
import { registerTemplateRoutes } from './templates.ts';

const _KEY = 'test-key-campaigns';
const NOW = Date.parse('2026-03-02T10:00:00Z');
const CSV = `phone,first_name,tags,opted_in_at,city,code
+4915112345678,Ana,vip,2026-01-05T10:00:00Z,Berlin,A1
+447911123456,Ben,vip,2026-01-05T10:00:00Z,London,
+5511987654321,,vip,2026-01-05T10:00:00Z,Berlin,C3
+12025550143,Dan,vip,2026-01-05T10:00:00Z,Washington,D4
+919876543210,Eve,vip,,Mumbai,E5
+4915112345679,Fay,other,2026-01-05T10:00:00Z,Berlin,F6
`;
const TEMPLATES = [helloWorld, welcome, orderUpdate, { ...orderUpdate, name: 'paused_one', status: 'PAUSED' as const }];

describe.each(TEST_BACKENDS)('campaign routes on %s', (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;
  let changes = 0;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${TEST_API_KEY}`,
        'content-type': typeof body === 'string' ? 'text/csv' : 'application/json',
      },
    });
    const text = await res.text();
    return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  };
  const welcomeCampaign = (extra: Record<string, unknown> = {}) => ({
    name: 'Welcome',
    template: { name: 'welcome', language: 'en_US' },
    params: { body: ['{{first_name|there}}'] },
    audience: { tags: ['vip'] },
    ...extra,
  });

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await upsertSender(
      test.database.db,
      { id: DEFAULT_SENDER_ID, phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 100_000 },
      NOW,
    );
    const sender = (await getSender(test.database.db, DEFAULT_SENDER_ID)) as Sender;
    ({ app } = await createTestApi(
      test.database,
      [
        registerContactRoutes,
        (a, d) =>
          registerTemplateRoutes(a, d, {
            syncTemplates: async (_sender, signal) => ({
              reports: [await syncTemplates(test.database, sender, async () => TEMPLATES, NOW, signal)],
              failures: [],
            }),
          }),
        (a, d) => registerCampaignRoutes(a, d, { onCampaignChanged: () => changes++, rateCard: DEFAULT_RATE_CARD }),
      ],
      NOW,
    ));
    expect((await call('POST', '/api/v1/contacts/import', CSV)).status).toBe(200);
    const sync = await call('POST', '/api/v1/templates/sync', {});
    expect(sync.json.synced).toBe(4);
  });
  afterAll(async () => test.drop());

  it('creates a draft with the audience size, and wakes the dispatcher', async () => {
    const before = changes;
    const created = await call('POST', '/api/v1/campaigns', welcomeCampaign());
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'draft', audience_size: 5, template: { name: 'welcome' } });
    expect(Object.values(created.json.counts).every((n) => n === 0)).toBe(true);
    expect(changes).toBe(before + 1);
  });

  it('schedules with scheduled_at and filters by attributes', async () => {
    const created = await call(
      'POST',
      '/api/v1/campaigns',
      welcomeCampaign({
        scheduled_at: '2026-03-03T09:00:00Z',
        audience: { tags: ['vip', 'other'], attributes: { city: 'berlin' } },
      }),
    );
    expect(created.json).toMatchObject({
      status: 'scheduled',
      audience_size: 3,
      scheduled_at: '2026-03-03T09:00:00.000Z',
    });
  });

  it('refuses a template that is not APPROVED, naming its status', async () => {
    const res = await call('POST', '/api/v1/campaigns', {
      ...welcomeCampaign(),
      template: { name: 'paused_one', language: 'en_US' },
      params: { body: ['a', 'b'] },
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'template_not_approved', field: 'template' });
    expect(res.json.error.message).toContain('PAUSED');
  });

  it('answers 4xx naming the field for bad params and bodies', async () => {
    const unknownField = await call(
      'POST',
      '/api/v1/campaigns',
      welcomeCampaign({ params: { body: ['{{atr.code}}'] } }),
    );
    expect(unknownField.status).toBe(400);
    expect(unknownField.json.error.field).toBe('params.body[0]');
    const tooMany = await call('POST', '/api/v1/campaigns', welcomeCampaign({ params: { body: ['a', 'b'] } }));
    expect(tooMany.status).toBe(400);
    const noName = await call('POST', '/api/v1/campaigns', { ...welcomeCampaign(), name: '' });
    expect([noName.status, noName.json.error.field]).toEqual([400, 'name']);
    const badWindow = await call(
      'POST',
      '/api/v1/campaigns',
      welcomeCampaign({ send_window: { start: '9am', end: '20:00' } }),
    );
    expect([badWindow.status, badWindow.json.error.field]).toEqual([400, 'send_window.start']);
    const missing = await call(
      'POST',
      '/api/v1/campaigns',
      welcomeCampaign({ template: { name: 'nope', language: 'en_US' } }),
    );
    expect(missing.status).toBe(404);
  });

  it('breaks the audience down in a dry run before anything is sent', async () => {
    const res = await call(
      'POST',
      '/api/v1/campaigns/dry-run',
      welcomeCampaign({ params: { body: ['{{attr.code}}'] } }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      audience: 5,
      eligible: 2,
      excluded: { no_consent: 1, marketing_to_us_number: 1, missing_parameter: 1, suppressed: 0 },
    });
    expect(res.json.estimated_cost.total).toBeGreaterThan(0);
    expect(res.json.estimated_duration_seconds).toBeGreaterThanOrEqual(1);
    expect(res.json.examples.missing_parameter[0].phone).toBe('+447911123456');
    expect(res.json.duration_note).toBe(`about ${res.json.estimated_duration_seconds} s at 80 msg/s`);
  });

  it('says "unlimited" in a dry run when the sender has no throughput cap (WA_MPS=0)', async () => {
    const sender = { id: DEFAULT_SENDER_ID, phoneNumberId: 'p1', businessAccountId: 'w1', dailyLimit: 100_000 };
    await upsertSender(test.database.db, { ...sender, ratePerSec: 0 }, NOW);
    try {
      const res = await call('POST', '/api/v1/campaigns/dry-run', welcomeCampaign());
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ eligible: 3, rate_per_sec: 0, estimated_duration_seconds: null });
      expect(res.json.duration_note).toMatch(/^unlimited: /);
      const doc = await call('GET', '/api/openapi.json');
      const schema = doc.json.components.schemas.DryRun;
      expect(schema.properties.estimated_duration_seconds.type).toEqual(expect.arrayContaining(['integer', 'null']));
      expect(schema.required).toEqual(expect.arrayContaining(['estimated_duration_seconds', 'duration_note']));
    } finally {
      await upsertSender(test.database.db, { ...sender, ratePerSec: 80 }, NOW);
    }
  });

  it('judges the content in a dry run: findings with why, warnings in words', async () => {
    const clean = await call('POST', '/api/v1/campaigns/dry-run', welcomeCampaign());
    expect(clean.json.content).toEqual([]);
    const shouting = await call(
      'POST',
      '/api/v1/campaigns/dry-run',
      welcomeCampaign({
        template: { name: 'order_update', language: 'en_US' },
        params: { body: ['{{first_name|there}}', 'YOUR ORDER SHIPPED TODAY, SEE HTTPS://BIT.LY/ABC NOW'] },
      }),
    );
    const codes = shouting.json.content.map((f: { code: string; severity: string }) => `${f.severity}:${f.code}`);
    expect(codes).toEqual(expect.arrayContaining(['warning:url_shortener', 'warning:all_capitals']));
    expect(shouting.json.content.find((f: { code: string }) => f.code === 'url_shortener')).toMatchObject({
      where: 'params',
      why: expect.stringContaining('hide where they go'),
    });
    expect(shouting.json.warnings.join(' ')).toContain('shortened link');
  });

  it('refuses to start a campaign whose fixed parameter Meta would refuse, naming it and why', async () => {
    const created = await call(
      'POST',
      '/api/v1/campaigns',
      welcomeCampaign({
        template: { name: 'order_update', language: 'en_US' },
        params: { body: ['{{first_name|there}}', 'on     its way'] },
      }),
    );
    expect(created.status).toBe(201);
    const refused = await call('POST', `/api/v1/campaigns/${created.json.id}/start`);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'content_rejected', field: 'params.body[1]' });
    expect(refused.json.error.message).toContain('more than 4 consecutive spaces');
    expect((await call('GET', `/api/v1/campaigns/${created.json.id}`)).json.status).toBe('draft');
  });

  it('moves through the lifecycle and refuses wrong moves with 409', async () => {
    const { json } = await call('POST', '/api/v1/campaigns', welcomeCampaign());
    expect((await call('POST', `/api/v1/campaigns/${json.id}/resume`)).status).toBe(409);
    expect((await call('POST', `/api/v1/campaigns/${json.id}/start`)).json.status).toBe('running');
    expect((await call('POST', `/api/v1/campaigns/${json.id}/start`)).status).toBe(409);
    expect((await call('POST', `/api/v1/campaigns/${json.id}/pause`)).json).toMatchObject({
      status: 'paused',
      status_reason: 'paused by a person',
    });
    expect((await call('POST', `/api/v1/campaigns/${json.id}/resume`)).json.status).toBe('running');
    expect((await call('POST', `/api/v1/campaigns/${json.id}/cancel`)).json.status).toBe('cancelled');
    expect((await call('GET', '/api/v1/campaigns/999999')).status).toBe(404);
    expect((await call('GET', '/api/v1/campaigns/abc')).status).toBe(400);
  });

  it('resumes a scheduled campaign paused before its time to scheduled, keeping its time', async () => {
    const { json } = await call('POST', '/api/v1/campaigns', welcomeCampaign({ scheduled_at: '2026-03-03T09:00:00Z' }));
    expect((await call('POST', `/api/v1/campaigns/${json.id}/pause`)).json.status).toBe('paused');
    const resumed = await call('POST', `/api/v1/campaigns/${json.id}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.json).toMatchObject({
      status: 'scheduled',
      status_reason: null,
      scheduled_at: '2026-03-03T09:00:00.000Z',
      started_at: null,
    });
    expect((await call('GET', `/api/v1/campaigns/${json.id}`)).json.status).toBe('scheduled');
  });

  it('resumes a paused campaign whose time has passed to running, started now', async () => {
    const { json } = await call('POST', '/api/v1/campaigns', welcomeCampaign({ scheduled_at: '2026-03-02T09:00:00Z' }));
    expect(json.status).toBe('scheduled');
    expect((await call('POST', `/api/v1/campaigns/${json.id}/pause`)).json.status).toBe('paused');
    expect((await call('POST', `/api/v1/campaigns/${json.id}/resume`)).json).toMatchObject({
      status: 'running',
      started_at: new Date(NOW).toISOString(),
    });
  });

  it('resumes a campaign started by hand before its time to running', async () => {
    const { json } = await call('POST', '/api/v1/campaigns', welcomeCampaign({ scheduled_at: '2026-03-03T09:00:00Z' }));
    expect((await call('POST', `/api/v1/campaigns/${json.id}/start`)).json.status).toBe('running');
    expect((await call('POST', `/api/v1/campaigns/${json.id}/pause`)).json.status).toBe('paused');
    expect((await call('POST', `/api/v1/campaigns/${json.id}/resume`)).json.status).toBe('running');
  });

  it('lists campaigns newest first with a cursor, and serves an empty report', async () => {
    const first = await call('GET', '/api/v1/campaigns?limit=2');
    expect(first.json.data).toHaveLength(2);
    expect(Number(first.json.data[0].id)).toBeGreaterThan(Number(first.json.data[1].id));
    const next = await call('GET', `/api/v1/campaigns?limit=2&cursor=${first.json.next_cursor}`);
    expect(Number(next.json.data[0].id)).toBeLessThan(Number(first.json.data[1].id));
    expect((await call('GET', '/api/v1/campaigns?cursor=forged')).status).toBe(400);
    const report = await call('GET', `/api/v1/campaigns/${first.json.data[0].id}/report.csv`);
    expect(report.status).toBe(200);
    expect(report.text.split('\n')[0]).toMatch(/^phone,name,status/);
  });
});

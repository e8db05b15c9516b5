import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignProgressFeed } from '../../app/campaign-progress-feed.ts';
import { DEFAULT_SENDER_ID } from '../../app/senders.ts';
import { syncTemplates } from '../../app/sync-templates.ts';
import type { OutboundMessage } from '../../domain/outbound-message.ts';
import { DEFAULT_RATE_CARD } from '../../domain/pricing.ts';
import { orderUpdate, welcome } from '../../domain/template-fixtures.testing.ts';
import { createLogger } from '../../logger.ts';
import { getSender, type Sender, upsertSender } from '../../store/senders-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, TEST_API_KEY } from '../testing.ts';
import { registerCampaignPageRoutes } from './campaign-pages.ts';
import { registerCampaignRoutes } from './campaigns.ts';
import { registerContactRoutes } from './contacts.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const CSV = `phone,first_name,tags,opted_in_at,code
+4915112345678,Ana,vip,2026-01-05T10:00:00Z,A1
+447911123456,Ben,vip,2026-01-05T10:00:00Z,
+919876543210,Eve,vip,,E5
+4915112345679,Fay,vip;staff,2026-01-05T10:00:00Z,F6
+4915112345670,Gus,other,2026-01-05T10:00:00Z,G7
`;

describe.each(TEST_BACKENDS)('campaign page routes on %s', (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;
  let progress: CampaignProgressFeed;
  const sent: { senderId: string; message: OutboundMessage }[] = [];
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
    return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  };
  const campaign = {
    name: 'Codes',
    template: { name: 'order_update', language: 'en_US' },
    params: { body: ['{{first_name|there}}', '{{attr.code}}'] },
    audience: { tags: ['vip'], exclude_tags: ['staff'] },
  };

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await upsertSender(
      test.database.db,
      { id: DEFAULT_SENDER_ID, phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 100_000 },
      NOW,
    );
    const sender = (await getSender(test.database.db, DEFAULT_SENDER_ID)) as Sender;
    await syncTemplates(test.database, sender, async () => [welcome, orderUpdate], NOW, AbortSignal.timeout(5_000));
    progress = new CampaignProgressFeed(test.database, createLogger('silent'), 20);
    ({ app } = await createTestApi(
      test.database,
      [
        registerContactRoutes,
        (a, d) => registerCampaignRoutes(a, d, { onCampaignChanged: () => {}, rateCard: DEFAULT_RATE_CARD }),
        (a, d) =>
          registerCampaignPageRoutes(a, d, {
            progress,
            sendNow: async (senderId, message) => {
              sent.push({ senderId, message });
              return { ok: true, wamid: `wamid.test${sent.length}`, messageStatus: 'accepted' };
            },
          }),
      ],
      NOW,
    ));
    expect((await call('POST', '/api/v1/contacts/import', CSV)).status).toBe(200);
  });
  afterAll(async () => {
    progress.close();
    await test.drop();
  });

  it('counts an audience live, with exclusions, and names a bad field', async () => {
    expect((await call('POST', '/api/v1/campaigns/audience-count', { tags: ['vip'] })).json).toEqual({ count: 4 });
    const excluded = await call('POST', '/api/v1/campaigns/audience-count', { tags: ['vip'], exclude_tags: ['staff'] });
    expect(excluded.json).toEqual({ count: 3 });
    expect((await call('POST', '/api/v1/campaigns/audience-count', {})).json).toEqual({ count: 5 });
    const bad = await call('POST', '/api/v1/campaigns/audience-count', { tags: 'vip' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('tags');
  });

  it("previews each recipient's own message, and says why one would be skipped", async () => {
    const res = await call('POST', '/api/v1/campaigns/preview?limit=5', campaign);
    expect(res.status).toBe(200);
    expect(res.json.template.body).toContain('{{1}}');
    const byName = Object.fromEntries(res.json.recipients.map((r: { name: string }) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['Ana', 'Ben', 'Eve']);
    expect(byName.Ana.eligible).toBe(true);
    expect(byName.Ana.message.body).toContain('Ana');
    expect(byName.Ana.message.body).toContain('A1');
    expect(byName.Ben.eligible).toBe(false);
    expect(byName.Ben.reason).toMatch(/code/);
    expect(byName.Eve.eligible).toBe(false);
    expect(byName.Eve.reason).toMatch(/consent/);
  });

  it("test-sends one rendered message through the campaign's sender, outside its counts, and audits it", async () => {
    const created = await call('POST', '/api/v1/campaigns', campaign);
    const id = created.json.id as string;
    const res = await call('POST', `/api/v1/campaigns/${id}/test`, { phone: '+49 151 12345678' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'accepted', wamid: `wamid.test${sent.length}` });
    expect(res.json.preview.body).toContain('A1');
    const last = sent.at(-1);
    expect(last?.senderId).toBe(DEFAULT_SENDER_ID);
    expect(last?.message.to).toBe('+4915112345678');
    expect(last?.message.template.body.map((p) => p.text)).toEqual(['Ana', 'A1']);
    const view = await call('GET', `/api/v1/campaigns/${id}`);
    expect(view.json.total).toBe(0);
    const stored = await test.database.db
      .selectFrom('test_sends')
      .selectAll()
      .where('campaign_id', '=', Number(id))
      .execute();
    expect(stored.map((s) => s.wamid)).toEqual([last && `wamid.test${sent.length}`]);
    const audit = await test.database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('action', '=', 'campaign.test_send')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.target_id).toBe(id);
    expect(audit[0]?.details).not.toContain('4915112345678');
  });

  it('refuses a test to a contact without consent, a stranger or a bad number, and sends nothing', async () => {
    const id = (await call('POST', '/api/v1/campaigns', campaign)).json.id as string;
    const before = sent.length;
    const noConsent = await call('POST', `/api/v1/campaigns/${id}/test`, { phone: '+919876543210' });
    expect(noConsent.status).toBe(422);
    expect(noConsent.json.error).toMatchObject({ code: 'recipient_not_eligible', field: 'phone' });
    const stranger = await call('POST', `/api/v1/campaigns/${id}/test`, { phone: '+14155550100' });
    expect(stranger.status).toBe(404);
    const bad = await call('POST', `/api/v1/campaigns/${id}/test`, { phone: 'call me' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('phone');
    expect(sent.length).toBe(before);
  });

  it('lists campaigns of one status, and names a status that does not exist', async () => {
    const id = (await call('POST', '/api/v1/campaigns', campaign)).json.id as string;
    await call('POST', `/api/v1/campaigns/${id}/cancel`);
    const cancelled = await call('GET', '/api/v1/campaigns?status=cancelled');
    expect(cancelled.json.data.map((c: { id: string }) => c.id)).toEqual([id]);
    const drafts = await call('GET', '/api/v1/campaigns?status=draft');
    expect(drafts.json.data.length).toBeGreaterThan(0);
    expect(drafts.json.data.every((c: { status: string }) => c.status === 'draft')).toBe(true);
    const bad = await call('GET', '/api/v1/campaigns?status=done');
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('status');
  });

  it('streams progress as server-sent events and shares one reader per campaign', async () => {
    const id = (await call('POST', '/api/v1/campaigns', campaign)).json.id as string;
    const controller = new AbortController();
    const res = await app.request(`/api/v1/campaigns/${id}/events`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: progress');
    const view = JSON.parse(first.split('data: ')[1]?.split('\n')[0] ?? '{}');
    expect(view).toMatchObject({ id, status: 'draft', counts: { pending: 0 } });
    expect(progress.watchedCount).toBe(1);
    await call('POST', `/api/v1/campaigns/${id}/cancel`);
    const next = new TextDecoder().decode((await reader.read()).value);
    expect(JSON.parse(next.split('data: ')[1]?.split('\n')[0] ?? '{}').status).toBe('cancelled');
    await reader.cancel();
    controller.abort();
    await expect.poll(() => progress.watchedCount).toBe(0);
    expect((await call('GET', '/api/v1/campaigns/999999/events')).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMessagesInFlight } from '../../store/campaign-fixtures.testing.ts';
import { transitionCampaign } from '../../store/campaigns-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs } from '../testing.ts';
import { registerSummaryRoute } from './summary.ts';

const MIDNIGHT = Date.parse('2026-04-01T00:00:00Z');
const NOW = MIDNIGHT + 10 * 3_600_000;
const HOUR = 3_600_000;

describe.each(TEST_BACKENDS)('GET /api/v1/summary on %s', (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    ({ app } = await createTestApi(test.database, [registerSummaryRoute], NOW));
    const { db } = test.database;
    const campaignId = await seedMessagesInFlight(test.database, MIDNIGHT - 2 * HOUR, 4);
    await transitionCampaign(db, {
      id: campaignId,
      from: ['draft'],
      to: 'running',
      now: MIDNIGHT - 2 * HOUR,
      startedAt: MIDNIGHT - 2 * HOUR,
    });
    // Message 1 went out yesterday and was read today; 2 and 3 went out today; 3 failed today; 4 waits.
    const times = [
      { id: 1, accepted_at: MIDNIGHT - HOUR, delivered_at: MIDNIGHT - HOUR, read_at: MIDNIGHT + HOUR, failed_at: null },
      { id: 2, accepted_at: MIDNIGHT + HOUR, delivered_at: MIDNIGHT + 2 * HOUR, read_at: null, failed_at: null },
      { id: 3, accepted_at: MIDNIGHT + HOUR, delivered_at: null, read_at: null, failed_at: MIDNIGHT + 3 * HOUR },
    ];
    for (const { id, ...at } of times) await db.updateTable('messages').set(at).where('id', '=', id).execute();
    const inbound = (wamid: string, receivedAt: number) => ({
      wamid,
      phone: '+491511234501',
      type: 'text',
      text: 'hi',
      occurred_at: receivedAt,
      received_at: receivedAt,
      payload: '{}',
    });
    await db
      .insertInto('inbound_messages')
      .values([inbound('in.1', MIDNIGHT - HOUR), inbound('in.2', MIDNIGHT + HOUR)])
      .execute();
    const contact = await db
      .insertInto('contacts')
      .values({ phone: '+491511234509', attributes: '{}', created_at: NOW, updated_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    const revoke = (purpose: 'marketing' | 'utility', at: number) => ({
      contact_id: contact.id,
      action: 'revoke' as const,
      purpose,
      channel: 'whatsapp',
      source: 'webhook:stop',
      occurred_at: at,
      recorded_at: at,
      proof: '{}',
    });
    await db
      .insertInto('consent_events')
      .values([revoke('marketing', MIDNIGHT + HOUR), revoke('utility', MIDNIGHT + HOUR)])
      .execute();
  });
  afterAll(async () => test.drop());

  it('counts today from midnight UTC and lists the running campaign with its counts', async () => {
    const summary = await (await requestAs(app, 'GET', '/api/v1/summary')).json();
    expect(summary).toMatchObject({
      since: '2026-04-01T00:00:00.000Z',
      activity: { sent: 2, delivered: 1, read: 1, failed: 1, replies: 1, opt_outs: 1 },
      active_campaigns: [{ status: 'running', total: 4, counts: { sending: 4 } }],
      scheduled_campaigns: 0,
    });
  });

  it("counts from the moment the page asks for (the viewer's own midnight)", async () => {
    const since = encodeURIComponent('2026-03-31T22:00:00+00:00');
    const summary = (await (await requestAs(app, 'GET', `/api/v1/summary?since=${since}`)).json()) as {
      activity: Record<string, number>;
    };
    expect(summary.activity).toMatchObject({ sent: 3, delivered: 2, replies: 2 });
    const bad = await requestAs(app, 'GET', '/api/v1/summary?since=yesterday');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'since' } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { type ChorusMetrics, createChorusMetrics } from '../../metrics/chorus-metrics.ts';
import { sampleValue } from '../../metrics/exposition.testing.ts';
import { seedPendingCampaign } from '../../store/campaign-fixtures.testing.ts';
import { claimDueMessages } from '../../store/outbox-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs } from '../testing.ts';
import { registerMetricsRoute } from './metrics.ts';

const NOW = 1_800_000_000_000;
const PHONES = ['+4915100000001', '+4915100000002', '+4915100000003', '+4915100000004'];

describe.each(TEST_BACKENDS)('GET /metrics on %s', (backend) => {
  let test: TestDatabase;
  let metrics: ChorusMetrics;
  let campaignId: number;
  const apps: Record<'private' | 'public', ChorusApp> = {} as never;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    const { db, dialect } = test.database;
    campaignId = await seedPendingCampaign(db, NOW, { status: 'running', phones: PHONES });
    // One message claimed (sending), one deferred to later, two due now.
    await claimDueMessages(db, dialect, { campaignId, limit: 1, now: NOW, leaseUntil: NOW + 60_000, owner: 'w' });
    await db
      .updateTable('messages')
      .set({ next_attempt_at: NOW + 60_000 })
      .where('phone', '=', PHONES[3] as string)
      .execute();
    await db
      .insertInto('webhook_inbox')
      .values([
        { received_at: NOW - 4_000, event_count: 3, events: '[]', attempts: 0, set_aside_at: null },
        { received_at: NOW - 9_000, event_count: 2, events: '[]', attempts: 5, set_aside_at: NOW - 1_000 },
      ])
      .execute();
    metrics = createChorusMetrics({
      database: test.database,
      clock: () => NOW,
      logger: createLogger('silent'),
    });
    for (const isPublic of [false, true]) {
      const { app } = await createTestApi(
        test.database,
        [(a, deps) => registerMetricsRoute(a, deps, { ...exposition(metrics), isPublic })],
        NOW,
      );
      apps[isPublic ? 'public' : 'private'] = app;
    }
  });
  afterAll(async () => {
    await test.drop();
  });

  it('needs the API key unless CHORUS_METRICS_PUBLIC=1', async () => {
    const refused = await requestAs(apps.private, 'GET', '/metrics', { auth: false });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /needs an API key.*CHORUS_METRICS_PUBLIC=1/,
    );
    const wrongKey = await apps.private.request('/metrics', { headers: { authorization: 'Bearer not-the-key' } });
    expect(wrongKey.status).toBe(401);
    const withKey = await requestAs(apps.private, 'GET', '/metrics');
    expect(withKey.status).toBe(200);
    expect(withKey.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const open = await requestAs(apps.public, 'GET', '/metrics', { auth: false });
    expect(open.status).toBe(200);
  });

  it('shows a running campaign by status and its queue as due, later and sending', async () => {
    const text = await (await requestAs(apps.private, 'GET', '/metrics')).text();
    const campaign = { campaign: String(campaignId), sender: 'default' };
    expect(sampleValue(text, 'chorus_campaign_messages', { ...campaign, status: 'pending' })).toBe(3);
    expect(sampleValue(text, 'chorus_campaign_messages', { ...campaign, status: 'sending' })).toBe(1);
    expect(sampleValue(text, 'chorus_queue_depth', { ...campaign, state: 'due' })).toBe(2);
    expect(sampleValue(text, 'chorus_queue_depth', { ...campaign, state: 'later' })).toBe(1);
    expect(sampleValue(text, 'chorus_queue_depth', { ...campaign, state: 'sending' })).toBe(1);
    expect(sampleValue(text, 'chorus_campaigns', { status: 'running' })).toBe(1);
    expect(sampleValue(text, 'chorus_contacts')).toBe(4);
    expect(sampleValue(text, 'chorus_sender_paused', { sender: 'default' })).toBe(0);
    expect(sampleValue(text, 'chorus_database_up')).toBe(1);
  });

  it('shows the webhook inbox backlog: events waiting, the oldest one’s age, batches set aside', async () => {
    const text = await (await requestAs(apps.private, 'GET', '/metrics')).text();
    expect(sampleValue(text, 'chorus_webhook_inbox_events')).toBe(3);
    expect(sampleValue(text, 'chorus_webhook_inbox_oldest_age_seconds')).toBe(4);
    expect(sampleValue(text, 'chorus_webhook_inbox_set_aside_batches')).toBe(1);
  });

  it("includes the process's own figures", async () => {
    const text = await (await requestAs(apps.private, 'GET', '/metrics')).text();
    expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleValue(text, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
  });
});

function exposition(metrics: ChorusMetrics) {
  return { contentType: metrics.contentType, render: () => metrics.render() };
}

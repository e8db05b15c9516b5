import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_SOURCE } from '../domain/audit.ts';
import { MAX_DELIVERY_ATTEMPTS } from '../domain/outbound-events.ts';
import { createLogger } from '../logger.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { recordOptOut } from './consent.ts';
import { createCredentialBox } from './credential-box.ts';
import { createWebhookSubscription, listDeliveriesPage } from './outbound-webhooks.ts';
import { WebhookDeliverer } from './webhook-deliverer.ts';
import { createWebhookPoster } from './webhook-poster.ts';

const T0 = Date.parse('2026-06-01T08:00:00Z');

/** A real HTTP receiver on loopback: records each request and answers the next status of `answers` (then 200). */
async function startReceiver(answers: number[]) {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, port, received, close: () => new Promise((r) => server.close(r)) };
}

describe.each(TEST_BACKENDS)('outbound webhook deliveries on %s', (backend) => {
  let test: TestDatabase;
  let now = T0;
  const box = createCredentialBox(randomBytes(32));
  const db = () => test.database.db;
  const deliverer = () =>
    new WebhookDeliverer({
      database: test.database,
      box,
      post: createWebhookPoster({ allowPrivateTargets: true }),
      clock: () => now,
      logger: createLogger('silent'),
      random: () => 0,
    });
  const subscribe = (url: string) =>
    createWebhookSubscription(
      db(),
      { box, allowPrivateTargets: true },
      { url, events: ['contact.opted_out'] },
      SYSTEM_SOURCE,
      now,
    );

  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(async () => test.drop());

  it('enqueues nothing while no webhook is subscribed', async () => {
    await recordOptOut(db(), '+4915112340000', { source: 'api' }, () => now);
    expect(await db().selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]);
  });

  it('signs each delivery, retries after a 500 with backoff, and lists how it went', async () => {
    const receiver = await startReceiver([500]);
    const webhook = await subscribe(receiver.url);
    await recordOptOut(db(), '+4915112340001', { source: 'api', purpose: 'marketing' }, () => now);

    expect(await deliverer().deliverDue()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    now += 9_000;
    expect(await deliverer().deliverDue()).toBe(0);
    now += 1_000;
    expect(await deliverer().deliverDue()).toBe(1);
    expect(receiver.received).toHaveLength(2);

    const [first, second] = receiver.received;
    expect(second?.body).toBe(first?.body);
    const body = JSON.parse(second?.body ?? '{}');
    expect(body).toEqual({
      id: expect.any(String),
      type: 'contact.opted_out',
      created_at: new Date(T0).toISOString(),
      data: { phone: '+4915112340001', purpose: 'marketing', source: 'api' },
    });
    const expected = `sha256=${createHmac('sha256', webhook.secret)
      .update(second?.body ?? '')
      .digest('hex')}`;
    expect(second?.headers['x-chorus-signature-256']).toBe(expected);
    expect(second?.headers['x-chorus-event-id']).toBe(body.id);

    const page = await listDeliveriesPage(db(), webhook.id, { limit: 10 });
    expect(page.data).toEqual([
      expect.objectContaining({
        type: 'contact.opted_out',
        state: 'delivered',
        attempts: 2,
        last_status: 200,
        last_error: null,
      }),
    ]);
    await receiver.close();
  });

  it('marks a delivery dead after its last attempt, and keeps why', async () => {
    const receiver = await startReceiver(Array(MAX_DELIVERY_ATTEMPTS).fill(503));
    const webhook = await subscribe(receiver.url);
    await recordOptOut(db(), '+4915112340002', { source: 'api' }, () => now);
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
      await deliverer().deliverDue();
      now += 7 * 60 * 60 * 1000;
    }
    expect(receiver.received.length).toBe(MAX_DELIVERY_ATTEMPTS);
    const page = await listDeliveriesPage(db(), webhook.id, { limit: 10 });
    expect(page.data[0]).toMatchObject({
      state: 'dead',
      attempts: MAX_DELIVERY_ATTEMPTS,
      last_status: 503,
      last_error: 'answered 503',
    });
    await receiver.close();
  });
});

describe('the live-mode poster', () => {
  it('refuses a name that resolves into a private network, at connection time', async () => {
    const receiver = await startReceiver([]);
    const post = createWebhookPoster({ allowPrivateTargets: false });
    await expect(post(`http://localhost:${receiver.port}/hooks`, '{}', {}, AbortSignal.timeout(5_000))).rejects.toThrow(
      /private network/,
    );
    expect(receiver.received).toEqual([]);
    await receiver.close();
  });
});

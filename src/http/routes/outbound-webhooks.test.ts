import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialBox } from '../../app/credential-box.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs, requestWithSession, signInAs } from '../testing.ts';
import { ACCESS_ROUTES, seedUser, TEST_PASSWORD } from './access-testing.ts';
import { registerOutboundWebhookRoutes } from './outbound-webhooks.ts';

const NOW = Date.parse('2026-06-01T08:00:00Z');

describe('outbound webhooks over the API (live mode)', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  const json = (method: string, path: string, body?: unknown) =>
    requestAs(app, method, path, body === undefined ? {} : { body: JSON.stringify(body), type: 'application/json' });

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    const box = createCredentialBox(randomBytes(32));
    const routes = [
      ...ACCESS_ROUTES,
      (a: ChorusApp, d: Parameters<typeof registerOutboundWebhookRoutes>[1]) =>
        registerOutboundWebhookRoutes(a, d, { box, allowPrivateTargets: false }),
    ];
    ({ app } = await createTestApi(test.database, routes, NOW));
  });
  afterAll(async () => test.drop());

  it('creates a webhook whose secret is shown once, lists it without it, and removes it', async () => {
    const created = await json('POST', '/api/v1/webhooks', {
      url: 'https://crm.example.com/chorus',
      events: ['message.status', 'contact.opted_out'],
    });
    expect(created.status).toBe(201);
    const webhook = (await created.json()) as { id: string; secret: string };
    expect(webhook).toMatchObject({ id: expect.stringMatching(/^wh_/), secret: expect.stringMatching(/^whsec_/) });
    const list = await (await json('GET', '/api/v1/webhooks')).text();
    expect(list).toContain(webhook.id);
    expect(list).not.toContain(webhook.secret);
    const stored = await test.database.db
      .selectFrom('webhook_subscriptions')
      .select('secret_sealed')
      .executeTakeFirst();
    expect(stored?.secret_sealed).not.toContain(webhook.secret);
    const deliveries = await json('GET', `/api/v1/webhooks/${webhook.id}/deliveries`);
    expect(await deliveries.json()).toEqual({ data: [], next_cursor: null });
    expect((await json('DELETE', `/api/v1/webhooks/${webhook.id}`)).status).toBe(204);
    expect((await json('GET', `/api/v1/webhooks/${webhook.id}/deliveries`)).status).toBe(404);
    const audit = await test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', webhook.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['webhook.create', 'webhook.delete']);
  });

  it('names the field at fault: unknown events, non-http URLs, private targets', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ url: 'https://x.example.com', events: [] }, 'events', /at least one/],
      [{ url: 'https://x.example.com', events: ['message.sent'] }, 'events.0', /./],
      [{ url: 'file:///etc/passwd', events: ['message.reply'] }, 'url', /http or https/],
      [{ url: 'http://169.254.169.254/latest', events: ['message.reply'] }, 'url', /private network/],
      [{ url: 'http://127.0.0.1:9/in', events: ['message.reply'] }, 'url', /CHORUS_WEBHOOKS_ALLOW_PRIVATE/],
    ];
    for (const [body, field, message] of cases) {
      const response = await json('POST', '/api/v1/webhooks', body);
      expect(response.status, field).toBe(400);
      const { error } = (await response.json()) as { error: { field: string; message: string } };
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    }
    expect(await test.database.db.selectFrom('webhook_subscriptions').selectAll().execute()).toEqual([]);
  });

  it('lets only admins change webhooks', async () => {
    await seedUser(test.database, 'ops@shop.test', 'operator', NOW);
    const operator = await signInAs(app, 'ops@shop.test', TEST_PASSWORD);
    const body = { url: 'https://x.example.com', events: ['message.reply'] };
    expect((await requestWithSession(app, operator, 'POST', '/api/v1/webhooks', { json: body })).status).toBe(403);
    expect((await requestWithSession(app, operator, 'GET', '/api/v1/webhooks')).status).toBe(200);
  });
});

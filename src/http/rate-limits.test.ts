import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../app/api-keys.ts';
import { DEFAULT_EDGE, type RateLimits } from '../config.ts';
import { createTestDatabase, type TestDatabase } from '../store/testing.ts';
import type { ChorusApp } from './app.ts';
import { registerContactRoutes } from './routes/contacts.ts';
import { registerSessionRoutes } from './routes/session.ts';
import { createTestApi, TEST_API_KEY } from './testing.ts';

const NOW = Date.parse('2026-04-01T10:00:00Z');
const OFF: RateLimits = { apiPerKey: 0, apiPerIp: 0, signInPerIp: 0, joinPerIp: 0 };

/** Stand-ins for routes other files own: a sign-up form and Meta's webhook. */
const publicPaths = (app: ChorusApp) => {
  app.post('/join/spring', (c) => c.html('<p>Thanks</p>'));
  app.get('/join/spring', (c) => c.html('<form></form>'));
  app.post('/webhooks/whatsapp', (c) => c.body(null, 200));
};

const from = (ip: string, key = TEST_API_KEY) => ({ 'x-forwarded-for': ip, authorization: `Bearer ${key}` });

describe('rate limits', () => {
  let test: TestDatabase;
  let otherKey: string;
  const appWith = async (limits: Partial<RateLimits>, trustProxy = true) =>
    (
      await createTestApi(test.database, [registerContactRoutes, registerSessionRoutes, publicPaths], NOW, {
        trustProxy,
        edge: { ...DEFAULT_EDGE, rateLimits: { ...OFF, ...limits } },
      })
    ).app;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    await createTestApi(test.database, [], NOW);
    ({ key: otherKey } = await createApiKey(test.database.db, { name: 'crm', role: 'admin', createdBy: 'test' }, NOW));
  });
  afterAll(async () => test.drop());

  it('refuses /api/* past the per-address limit with a JSON 429 and Retry-After, other addresses unaffected', async () => {
    const app = await appWith({ apiPerIp: 3 });
    for (let i = 0; i < 3; i++)
      expect((await app.request('/api/v1/contacts', { headers: from('203.0.113.7') })).status).toBe(200);
    const refused = await app.request('/api/v1/contacts', { headers: from('203.0.113.7') });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({
      error: { code: 'too_many_requests', message: expect.stringMatching(/at most 3 a minute/), field: null },
    });
    // Without a key too: guessing keys from one address is limited before authentication.
    expect((await app.request('/api/v1/contacts', { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(429);
    expect((await app.request('/api/v1/contacts', { headers: from('198.51.100.2') })).status).toBe(200);
  });

  it('refuses /api/* past the per-key limit, whatever the address, and counts each key on its own', async () => {
    const app = await appWith({ apiPerKey: 2 });
    expect((await app.request('/api/v1/contacts', { headers: from('203.0.113.7') })).status).toBe(200);
    expect((await app.request('/api/v1/contacts', { headers: from('198.51.100.2') })).status).toBe(200);
    const refused = await app.request('/api/v1/contacts', { headers: from('192.0.2.9') });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect((await app.request('/api/v1/contacts', { headers: from('203.0.113.7', otherKey) })).status).toBe(200);
  });

  it('limits sign-in attempts per address', async () => {
    const app = await appWith({ signInPerIp: 2 });
    const attempt = (ip: string) =>
      app.request('/api/v1/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ email: 'nobody@shop.test', password: 'wrong' }),
      });
    expect((await attempt('203.0.113.7')).status).toBe(401);
    expect((await attempt('203.0.113.7')).status).toBe(401);
    const refused = await attempt('203.0.113.7');
    expect(refused.status).toBe(429);
    expect((await refused.json()) as unknown).toMatchObject({ error: { code: 'too_many_requests' } });
    expect((await attempt('198.51.100.2')).status).toBe(401);
  });

  it('limits sign-up form submissions per address, not the page itself', async () => {
    const app = await appWith({ joinPerIp: 2 });
    const submit = () => app.request('/join/spring', { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect((await submit()).status).toBe(200);
    expect((await submit()).status).toBe(200);
    const refused = await submit();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(await refused.text()).toMatch(/^too many sign-ups from your address/);
    for (let i = 0; i < 3; i++) {
      expect((await app.request('/join/spring', { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(200);
    }
  });

  it("never limits Meta's webhook deliveries by address", async () => {
    const app = await appWith({ apiPerIp: 1, apiPerKey: 1, signInPerIp: 1, joinPerIp: 1 });
    for (let i = 0; i < 10; i++) {
      const delivery = await app.request('/webhooks/whatsapp', {
        method: 'POST',
        headers: { 'x-forwarded-for': '173.252.88.1' },
      });
      expect(delivery.status).toBe(200);
    }
  });

  it('does not limit by address when the address is unknown (in-process calls without a socket)', async () => {
    const app = await appWith({ apiPerIp: 1 }, false);
    for (let i = 0; i < 3; i++)
      expect((await app.request('/api/v1/contacts', { headers: from('x') })).status).toBe(200);
  });
});

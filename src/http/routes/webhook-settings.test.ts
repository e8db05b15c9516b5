import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, TEST_API_KEY } from '../testing.ts';
import { registerWebhookRoutes } from './webhook.ts';
import { registerWebhookSettingsRoutes } from './webhook-settings.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');

describe('webhook settings over a real socket', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  let server: ReturnType<typeof serve>;
  let base = '';
  const settings = { verifyToken: 'paste-me-into-meta' as string | undefined, hasAppSecret: true };
  const call = (method: string, path: string) =>
    fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${TEST_API_KEY}` } }).then((r) => r.json());

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(
      test.database,
      [
        (a, d) =>
          registerWebhookSettingsRoutes(a, d, {
            verifyToken: () => settings.verifyToken,
            hasAppSecret: () => settings.hasAppSecret,
          }),
        (a) =>
          registerWebhookRoutes(a, {
            secrets: () => ({ appSecrets: ['s3cret-s3cret'], verifyToken: 'paste-me-into-meta' }),
            apply: async () => {},
          }),
      ],
      NOW,
    ));
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await test.drop();
  });

  it('shows the URL as the request reached Chorus, and the verify token', async () => {
    expect(await call('GET', '/api/v1/settings/webhook')).toEqual({
      url: `${base}/webhooks/whatsapp`,
      verify_token: 'paste-me-into-meta',
      app_secret_set: true,
    });
  });

  it('checks the handshake for real, and says when the token does not match', async () => {
    expect(await call('POST', '/api/v1/settings/webhook/check')).toMatchObject({ ok: true });
    settings.verifyToken = 'another-token';
    const refused = (await call('POST', '/api/v1/settings/webhook/check')) as { ok: boolean; message: string };
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/^The URL answered 403/);
    settings.verifyToken = 'paste-me-into-meta';
    settings.hasAppSecret = false;
    expect(await call('POST', '/api/v1/settings/webhook/check')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/no sender has an app secret/),
    });
  });
});

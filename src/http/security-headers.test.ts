import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EDGE } from '../config.ts';
import { createTestDatabase, type TestDatabase } from '../store/testing.ts';
import type { ChorusApp } from './app.ts';
import { createTestApi } from './testing.ts';

const NOW = Date.parse('2026-04-01T10:00:00Z');

/** A sign-up page stand-in that sets its own CSP, as the form pages do. */
const JOIN_CSP = "default-src 'self'; frame-ancestors *";
const joinPage = (app: ChorusApp) => {
  app.get('/join/spring', (c) => c.html('<form></form>', 200, { 'content-security-policy': JOIN_CSP }));
};

describe('security headers', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  let behindProxy: ChorusApp;
  let noHsts: ChorusApp;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(test.database, [joinPage], NOW));
    ({ app: behindProxy } = await createTestApi(test.database, [], NOW, { trustProxy: true }));
    ({ app: noHsts } = await createTestApi(test.database, [], NOW, {
      trustProxy: true,
      edge: { ...DEFAULT_EDGE, hstsMaxAgeSec: 0 },
    }));
  });
  afterAll(async () => test.drop());

  it('puts a CSP without inline scripts, no framing, nosniff and a referrer policy on every answer', async () => {
    for (const path of ['/healthz', '/', '/api/v1/contacts', '/api/v1/nothing', '/docs']) {
      const headers = (await app.request(path)).headers;
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('referrer-policy'), path).toBe('same-origin');
      expect(headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('lets sign-up pages be framed by any site, keeping the CSP the page set itself', async () => {
    const page = await app.request('/join/spring');
    expect(page.headers.get('content-security-policy')).toBe(JOIN_CSP);
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // A /join answer whose handler set no CSP (here: an unknown form) still allows framing.
    const missing = await app.request('/join/unknown');
    expect(missing.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(missing.headers.get('x-frame-options')).toBeNull();
    // Not a prefix match on the word: /joiners is not a form.
    expect((await app.request('/joiners')).headers.get('x-frame-options')).toBe('DENY');
  });

  it('sends HSTS only on HTTPS: directly, or through a trusted proxy, and never when set to 0', async () => {
    const viaProxy = { 'x-forwarded-proto': 'https' };
    expect((await app.request('https://chorus.example.com/healthz')).headers.get('strict-transport-security')).toBe(
      `max-age=${DEFAULT_EDGE.hstsMaxAgeSec}; includeSubDomains`,
    );
    expect((await app.request('/healthz', { headers: viaProxy })).headers.get('strict-transport-security')).toBeNull();
    expect(
      (await behindProxy.request('/healthz', { headers: viaProxy })).headers.get('strict-transport-security'),
    ).toMatch(/^max-age=\d+/);
    expect(
      (await noHsts.request('/healthz', { headers: viaProxy })).headers.get('strict-transport-security'),
    ).toBeNull();
  });
});

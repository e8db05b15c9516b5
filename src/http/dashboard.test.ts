import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv, ChorusApp } from './app.ts';
import { registerDashboard } from './dashboard.ts';

const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

describe('the dashboard files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-dashboard-'));
  let app: ChorusApp;

  beforeAll(() => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets/index-AbC123.js'), SCRIPT);
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = new OpenAPIHono<AppEnv>();
    app.notFound((c) => c.json({ error: { code: 'not_found' } }, 404));
    app.get('/healthz', (c) => c.json({ ok: true }));
    registerDashboard(app, dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves index.html at / and for the page routes, never cached stale', async () => {
    for (const route of ['/', '/settings/users', '/campaigns/12']) {
      const response = await app.request(route);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year, compressed, and answers 304 to a known ETag', async () => {
    const response = await app.request('/assets/index-AbC123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await response.arrayBuffer())).toString()).toBe(SCRIPT);
    const etag = response.headers.get('etag') ?? '';
    const again = await app.request('/assets/index-AbC123.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers 404 for a missing file and JSON 404 for an unknown API path, and leaves other routes alone', async () => {
    expect((await app.request('/assets/index-Old999.js')).status).toBe(404);
    const api = await app.request('/api/v1/nothing');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'not_found' } });
    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true });
  });

  it('says how to build the dashboard when it is missing', async () => {
    const bare = new OpenAPIHono<AppEnv>();
    registerDashboard(bare, path.join(dir, 'nowhere'));
    const response = await bare.request('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });
});

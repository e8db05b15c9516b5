import { describe, expect, it } from 'vitest';
import { createHealthApp } from './health-app.ts';

describe('a worker process over HTTP', () => {
  it('answers /healthz as it is ready, and nothing else', async () => {
    let isReady = false;
    const app = createHealthApp(() => isReady);
    expect((await app.request('/healthz')).status).toBe(503);
    isReady = true;
    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true });
    expect((await app.request('/api/v1/campaigns')).status).toBe(404);
    expect((await app.request('/webhooks/whatsapp', { method: 'POST' })).status).toBe(404);
  });
});

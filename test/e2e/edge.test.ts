// The public edge of a real `chorus start` over a real socket: headers, CORS and the per-address
// API limit as the environment sets them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChorusProcess, freePort, startChorusProcess, stopChild } from './support/processes.ts';

const API_KEY = 'e2e-edge-key';
const CRM = 'https://crm.example.com';
const PER_ADDRESS = 8;

describe('the public edge of a running Chorus', () => {
  let dir = '';
  let chorus: ChorusProcess;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-edge-e2e-'));
    const port = await freePort();
    chorus = await startChorusProcess(
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${path.join(dir, 'chorus.db')}`,
        CHORUS_SANDBOX: '1',
        CHORUS_LOG_LEVEL: 'warn',
        CHORUS_API_KEY: API_KEY,
        CHORUS_CORS_ORIGINS: CRM,
        CHORUS_RATE_LIMIT_API_IP: String(PER_ADDRESS),
      },
      path.join(dir, 'chorus.log'),
    );
  });
  afterAll(async () => {
    if (chorus) await stopChild(chorus.child, 'SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the listed origin, and the per-address limit then refuses with 429 and Retry-After', async () => {
    const call = () =>
      fetch(`${chorus.url}/api/v1/contacts`, { headers: { authorization: `Bearer ${API_KEY}`, origin: CRM } });
    const first = await call();
    expect(first.status).toBe(200);
    expect(first.headers.get('access-control-allow-origin')).toBe(CRM);
    expect(first.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    for (let i = 1; i < PER_ADDRESS; i++) expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    // The dashboard and the health check are not API calls.
    expect((await fetch(`${chorus.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${chorus.url}/`)).headers.get('x-frame-options')).toBe('DENY');
  });
});

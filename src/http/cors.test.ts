import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EDGE } from '../config.ts';
import { createTestDatabase, type TestDatabase } from '../store/testing.ts';
import type { ChorusApp } from './app.ts';
import { registerContactRoutes } from './routes/contacts.ts';
import { createTestApi, TEST_API_KEY } from './testing.ts';

const NOW = Date.parse('2026-04-01T10:00:00Z');
const CRM = 'https://crm.example.com';
const EVIL = 'https://evil.example.net';

const preflight = (app: ChorusApp, path: string, origin: string) =>
  app.request(path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
  });
const getFrom = (app: ChorusApp, path: string, origin: string) =>
  app.request(path, { headers: { origin, authorization: `Bearer ${TEST_API_KEY}` } });

describe('CORS', () => {
  let test: TestDatabase;
  let closed: ChorusApp;
  let open: ChorusApp;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app: closed } = await createTestApi(test.database, [registerContactRoutes], NOW));
    ({ app: open } = await createTestApi(test.database, [registerContactRoutes], NOW, {
      edge: { ...DEFAULT_EDGE, corsOrigins: [CRM] },
    }));
  });
  afterAll(async () => test.drop());

  it('is closed by default: no preflight approval and no Access-Control-Allow-Origin', async () => {
    const answer = await preflight(closed, '/api/v1/contacts', CRM);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(answer.headers.get('access-control-allow-methods')).toBeNull();
    const read = await getFrom(closed, '/api/v1/contacts', CRM);
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('opens /api/* to exactly the listed origins, without credentials', async () => {
    const answer = await preflight(open, '/api/v1/contacts', CRM);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(CRM);
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
    expect(answer.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    const read = await getFrom(open, '/api/v1/contacts', CRM);
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe(CRM);
    expect((await preflight(open, '/api/v1/contacts', EVIL)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await getFrom(open, '/api/v1/contacts', EVIL)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('leaves everything outside /api/* closed even to a listed origin', async () => {
    for (const path of ['/healthz', '/', '/webhooks/whatsapp', '/metrics']) {
      expect((await getFrom(open, path, CRM)).headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });
});

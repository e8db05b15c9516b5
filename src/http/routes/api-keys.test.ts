import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestWithSession, signInAs, type TestSession } from '../testing.ts';
import { ACCESS_ROUTES, seedUser, TEST_PASSWORD } from './access-testing.ts';
import { registerContactRoutes } from './contacts.ts';

const NOW = Date.parse('2026-04-01T09:00:00Z');

describe('API keys managed over the API', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  let admin: TestSession;
  const withKey = (key: string, method: string, path: string, body?: string) =>
    app.request(path, {
      method,
      body,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'text/csv' } : {}) },
    });

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(test.database, [...ACCESS_ROUTES, registerContactRoutes], NOW));
    await seedUser(test.database, 'ada@shop.test', 'admin', NOW);
    admin = await signInAs(app, 'ada@shop.test', TEST_PASSWORD);
  });
  afterAll(async () => test.drop());

  it('creates a key shown once, lists it by prefix, and it works with its role', async () => {
    const created = await requestWithSession(app, admin, 'POST', '/api/v1/api-keys', {
      json: { name: 'Shop sync', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string; prefix: string; created_by: string };
    expect(key).toMatchObject({
      key: expect.stringMatching(/^chorus_[\w-]{32}$/),
      role: 'viewer',
      created_by: 'ada@shop.test',
    });
    expect(key.key.startsWith(key.prefix)).toBe(true);

    const list = await requestWithSession(app, admin, 'GET', '/api/v1/api-keys');
    const listed = ((await list.json()) as { data: Record<string, unknown>[] }).data;
    expect(listed[0]).toMatchObject({ id: key.id, name: 'Shop sync', prefix: key.prefix, last_used_at: null });
    expect(JSON.stringify(listed)).not.toContain(key.key);

    expect((await withKey(key.key, 'GET', '/api/v1/contacts')).status).toBe(200);
    expect((await withKey(key.key, 'POST', '/api/v1/contacts/import', 'phone\n+4915112345678\n')).status).toBe(403);
    const used = await requestWithSession(app, admin, 'GET', '/api/v1/api-keys');
    expect(((await used.json()) as { data: { last_used_at: string | null }[] }).data[0]?.last_used_at).toBe(
      new Date(NOW).toISOString(),
    );
  });

  it('makes operator keys unless told otherwise, and revokes a key at once', async () => {
    const created = await requestWithSession(app, admin, 'POST', '/api/v1/api-keys', { json: { name: 'CRM' } });
    const key = (await created.json()) as { id: string; key: string; role: string };
    expect(key.role).toBe('operator');
    expect((await withKey(key.key, 'POST', '/api/v1/contacts/import', 'phone\n+4915112345678\n')).status).toBe(200);
    expect((await requestWithSession(app, admin, 'DELETE', `/api/v1/api-keys/${key.id}`)).status).toBe(204);
    expect((await withKey(key.key, 'GET', '/api/v1/contacts')).status).toBe(401);
    const again = await requestWithSession(app, admin, 'DELETE', `/api/v1/api-keys/${key.id}`);
    expect(again.status).toBe(404);
  });

  it('refuses a key without a name', async () => {
    const response = await requestWithSession(app, admin, 'POST', '/api/v1/api-keys', { json: { name: ' ' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { field: 'name' } });
  });

  it('audits key creation and revocation, naming the admin and the address', async () => {
    const rows = await test.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_label', 'target_type', 'details'])
      .where('action', 'in', ['api_key.create', 'api_key.revoke'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.action, r.actor_type, r.actor_label, r.target_type])).toEqual([
      ['api_key.create', 'user', 'ada@shop.test', 'api_key'],
      ['api_key.create', 'user', 'ada@shop.test', 'api_key'],
      ['api_key.revoke', 'user', 'ada@shop.test', 'api_key'],
    ]);
    expect(JSON.parse(rows[0]?.details ?? '{}')).toMatchObject({ name: 'Shop sync', role: 'viewer' });
    expect(rows[0]?.details).not.toMatch(/chorus_[\w-]{32}/);
  });
});

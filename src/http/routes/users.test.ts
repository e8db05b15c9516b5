import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs, requestWithSession, signInAs, type TestSession } from '../testing.ts';
import { ACCESS_ROUTES, seedUser, TEST_PASSWORD } from './access-testing.ts';
import { registerContactRoutes } from './contacts.ts';

const NOW = Date.parse('2026-04-01T09:00:00Z');
const CSV = 'phone,first_name\n+4915112345678,Ana\n';

describe('roles and user management', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  let admin: TestSession;
  let operator: TestSession;
  let viewer: TestSession;
  let viewerId: number;
  const importAs = (session: TestSession) =>
    app.request('/api/v1/contacts/import', {
      method: 'POST',
      body: CSV,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'text/csv' },
    });

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(test.database, [...ACCESS_ROUTES, registerContactRoutes], NOW));
    await seedUser(test.database, 'ada@shop.test', 'admin', NOW);
    await seedUser(test.database, 'otto@shop.test', 'operator', NOW);
    viewerId = await seedUser(test.database, 'vera@shop.test', 'viewer', NOW);
    admin = await signInAs(app, 'ada@shop.test', TEST_PASSWORD);
    operator = await signInAs(app, 'otto@shop.test', TEST_PASSWORD);
    viewer = await signInAs(app, 'vera@shop.test', TEST_PASSWORD);
  });
  afterAll(async () => test.drop());

  it('lets a viewer read but refuses their writes with 403, changing nothing', async () => {
    expect((await requestWithSession(app, viewer, 'GET', '/api/v1/contacts')).status).toBe(200);
    const refused = await importAs(viewer);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { code: 'forbidden', message: 'this needs the operator role; you are viewer' },
    });
    expect(await test.database.db.selectFrom('contacts').select('id').execute()).toEqual([]);
    expect((await requestWithSession(app, viewer, 'GET', '/api/v1/users')).status).toBe(403);
    expect((await requestWithSession(app, viewer, 'GET', '/api/v1/audit')).status).toBe(403);
  });

  it('lets an operator run contacts but not manage users, keys or the audit log', async () => {
    expect((await importAs(operator)).status).toBe(200);
    expect((await requestWithSession(app, operator, 'GET', '/api/v1/users')).status).toBe(403);
    const key = await requestWithSession(app, operator, 'POST', '/api/v1/api-keys', { json: { name: 'mine' } });
    expect(key.status).toBe(403);
    expect((await requestWithSession(app, operator, 'GET', '/api/v1/audit.csv')).status).toBe(403);
  });

  it('lists users for an admin, with their role and state', async () => {
    const page = (await (await requestWithSession(app, admin, 'GET', '/api/v1/users?limit=2')).json()) as {
      data: { email: string; role: string; status: string }[];
      next_cursor: string | null;
    };
    expect(page.data).toEqual([
      expect.objectContaining({ email: 'ada@shop.test', role: 'admin', status: 'active' }),
      expect.objectContaining({ email: 'otto@shop.test', role: 'operator' }),
    ]);
    const rest = await requestWithSession(app, admin, 'GET', `/api/v1/users?cursor=${page.next_cursor}`);
    expect(await rest.json()).toMatchObject({ data: [{ email: 'vera@shop.test' }], next_cursor: null });
  });

  it('refuses a taken email and a bad role, naming the field', async () => {
    const taken = await requestWithSession(app, admin, 'POST', '/api/v1/users', {
      json: { email: 'VERA@shop.test', role: 'viewer', password: TEST_PASSWORD },
    });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: { code: 'conflict', field: 'email' } });
    const badRole = await requestWithSession(app, admin, 'POST', '/api/v1/users', {
      json: { email: 'new@shop.test', role: 'owner' },
    });
    expect(badRole.status).toBe(400);
    expect(await badRole.json()).toMatchObject({ error: { field: 'role' } });
  });

  it('applies a role change to a signed-in user at once', async () => {
    const promoted = await requestWithSession(app, admin, 'PATCH', `/api/v1/users/${viewerId}`, {
      json: { role: 'operator' },
    });
    expect(await promoted.json()).toMatchObject({ role: 'operator' });
    expect((await importAs(viewer)).status).toBe(200);
    await requestWithSession(app, admin, 'PATCH', `/api/v1/users/${viewerId}`, { json: { role: 'viewer' } });
    expect((await importAs(viewer)).status).toBe(403);
  });

  it('keeps one active admin and never lets an admin disable themselves', async () => {
    const adminId = (
      await test.database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'ada@shop.test')
        .executeTakeFirstOrThrow()
    ).id;
    const demote = await requestWithSession(app, admin, 'PATCH', `/api/v1/users/${adminId}`, {
      json: { role: 'viewer' },
    });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ error: { field: 'role' } });
    const viaKey = await requestAs(app, 'PATCH', `/api/v1/users/${adminId}`, {
      body: JSON.stringify({ disabled: true }),
      type: 'application/json',
    });
    expect(viaKey.status).toBe(409);
    const self = await requestWithSession(app, admin, 'PATCH', `/api/v1/users/${adminId}`, {
      json: { role: 'admin', disabled: true },
    });
    expect(self.status).toBe(409);
    expect((await requestWithSession(app, admin, 'GET', '/api/v1/me')).status).toBe(200);
  });

  it('disables a user: their sessions end and they cannot sign in; enabling lets them back', async () => {
    const disabled = await requestWithSession(app, admin, 'PATCH', `/api/v1/users/${viewerId}`, {
      json: { disabled: true },
    });
    expect(await disabled.json()).toMatchObject({ status: 'disabled' });
    expect((await requestWithSession(app, viewer, 'GET', '/api/v1/me')).status).toBe(401);
    await expect(signInAs(app, 'vera@shop.test', TEST_PASSWORD)).rejects.toThrow(/403.*disabled/);
    await requestWithSession(app, admin, 'PATCH', `/api/v1/users/${viewerId}`, { json: { disabled: false } });
    viewer = await signInAs(app, 'vera@shop.test', TEST_PASSWORD);
  });

  it('resets a password: a generated one, the old sessions end, and it must be changed', async () => {
    const reset = await requestWithSession(app, admin, 'POST', `/api/v1/users/${viewerId}/reset-password`);
    const body = (await reset.json()) as { temporary_password: string; user: { must_change_password: boolean } };
    expect(body.user.must_change_password).toBe(true);
    expect((await requestWithSession(app, viewer, 'GET', '/api/v1/me')).status).toBe(401);
    await expect(signInAs(app, 'vera@shop.test', TEST_PASSWORD)).rejects.toThrow(/401/);
    expect(await signInAs(app, 'vera@shop.test', body.temporary_password)).toMatchObject({
      csrfToken: expect.any(String),
    });
  });

  it('audits every change made to users, by whom', async () => {
    const rows = await test.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label', 'details'])
      .where('action', 'like', 'user.%')
      .where('actor_type', '!=', 'system')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.action, r.actor_label])).toEqual([
      ['user.update', 'ada@shop.test'],
      ['user.update', 'ada@shop.test'],
      ['user.disable', 'ada@shop.test'],
      ['user.enable', 'ada@shop.test'],
      ['user.reset_password', 'ada@shop.test'],
    ]);
    expect(JSON.parse(rows[0]?.details ?? '{}')).toEqual({
      email: 'vera@shop.test',
      role: { from: 'viewer', to: 'operator' },
    });
  });
});

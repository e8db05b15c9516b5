import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestWithSession, signInAs, type TestSession } from '../testing.ts';
import { ACCESS_ROUTES, seedUser, TEST_PASSWORD } from './access-testing.ts';
import { registerContactRoutes } from './contacts.ts';

const T0 = Date.parse('2026-04-01T09:00:00Z');
const MINUTE = 60_000;

function postJson(app: ChorusApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('first run, sign-in, sessions and CSRF', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  let now = T0;
  let admin: TestSession;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(test.database, [...ACCESS_ROUTES, registerContactRoutes], T0, { clock: () => now }));
  });
  afterAll(async () => test.drop());

  it('asks for the first admin while no user exists, then never again', async () => {
    expect(await (await app.request('/api/v1/setup')).json()).toEqual({ needs_setup: true });
    const short = await postJson(app, '/api/v1/setup', { email: 'ada@shop.test', password: 'short' });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ error: { code: 'validation_failed', field: 'password' } });

    const created = await postJson(app, '/api/v1/setup', { email: 'Ada@Shop.test', password: TEST_PASSWORD });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      user: { email: 'ada@shop.test', role: 'admin' },
      csrf_token: expect.any(String),
    });
    const cookie = created.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^chorus_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    expect(await (await app.request('/api/v1/setup')).json()).toEqual({ needs_setup: false });
    const again = await postJson(app, '/api/v1/setup', { email: 'eve@shop.test', password: TEST_PASSWORD });
    expect(again.status).toBe(409);
    expect(await test.database.db.selectFrom('users').select('email').execute()).toEqual([{ email: 'ada@shop.test' }]);
  });

  it('signs in with the right password and tells who is signed in', async () => {
    admin = await signInAs(app, 'ada@shop.test', TEST_PASSWORD);
    const me = await requestWithSession(app, admin, 'GET', '/api/v1/me');
    expect(await me.json()).toMatchObject({
      kind: 'user',
      role: 'admin',
      user: { email: 'ada@shop.test', last_sign_in_at: new Date(now).toISOString() },
      csrf_token: admin.csrfToken,
      sandbox: false,
    });
  });

  it('answers a wrong password or an unknown email alike, naming the password field', async () => {
    for (const email of ['ada@shop.test', 'nobody@shop.test']) {
      const response = await postJson(app, '/api/v1/session', { email, password: 'not the password' });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: {
          code: 'unauthorized',
          message: 'wrong email or password (4 tries left before this account is locked for 15 minutes)',
          field: 'password',
        },
      });
    }
    const failed = await postJson(app, '/api/v1/session', { email: 'x@y.test', password: 'nope' });
    expect(failed.headers.get('set-cookie')).toBeNull();
  });

  it('refuses cookie-signed writes without the CSRF token, and accepts them with it', async () => {
    const user = { email: 'olga@shop.test', role: 'operator', password: TEST_PASSWORD };
    const missing = await requestWithSession(app, admin, 'POST', '/api/v1/users', { json: user, csrf: false });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('x-csrf-token') },
    });
    const wrong = await requestWithSession(app, admin, 'POST', '/api/v1/users', { json: user, csrf: 'forged' });
    expect(wrong.status).toBe(403);
    expect(
      await test.database.db.selectFrom('users').select('email').where('email', '=', user.email).execute(),
    ).toEqual([]);
    const ok = await requestWithSession(app, admin, 'POST', '/api/v1/users', { json: user });
    expect(ok.status).toBe(201);
    expect((await requestWithSession(app, admin, 'GET', '/api/v1/users', { csrf: false })).status).toBe(200);
  });

  it('locks an account after five failures, even against the right password, for 15 minutes', async () => {
    await seedUser(test.database, 'lou@shop.test', 'viewer', now);
    const attempt = (password: string) => postJson(app, '/api/v1/session', { email: 'lou@shop.test', password });
    for (let i = 0; i < 4; i++) expect((await attempt('wrong password')).status).toBe(401);
    const fifth = await attempt('wrong password');
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('retry-after')).toBe('900');
    expect(((await fifth.json()) as { error: { message: string } }).error.message).toBe(
      'this account is locked after 5 failed sign-ins: try again after 09:15 UTC, or ask an admin to reset the password',
    );
    expect((await attempt(TEST_PASSWORD)).status).toBe(429);
    now += 14 * MINUTE;
    expect((await attempt(TEST_PASSWORD)).status).toBe(429);
    now += MINUTE;
    expect((await attempt(TEST_PASSWORD)).status).toBe(200);
    const actions = await test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('actor_label', '=', 'lou@shop.test')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      ...Array(5).fill('session.sign_in_failed'),
      'session.locked',
      'session.sign_in',
    ]);
  });

  it('ends a session after 12 idle hours and clears the cookie', async () => {
    const session = await signInAs(app, 'ada@shop.test', TEST_PASSWORD);
    now += 11 * 60 * MINUTE;
    expect((await requestWithSession(app, session, 'GET', '/api/v1/me')).status).toBe(200);
    now += 12 * 60 * MINUTE + 1;
    const idle = await requestWithSession(app, session, 'GET', '/api/v1/me');
    expect(idle.status).toBe(401);
    expect(idle.headers.get('set-cookie')).toMatch(/^chorus_session=;.*Max-Age=0/);
    admin = await signInAs(app, 'ada@shop.test', TEST_PASSWORD);
  });

  it('signs out: the session ends and its cookie no longer works', async () => {
    const session = await signInAs(app, 'ada@shop.test', TEST_PASSWORD);
    const out = await requestWithSession(app, session, 'DELETE', '/api/v1/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await requestWithSession(app, session, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await requestWithSession(app, admin, 'GET', '/api/v1/me')).status).toBe(200);
  });

  it('makes an invited user choose a new password before anything else', async () => {
    const invited = await requestWithSession(app, admin, 'POST', '/api/v1/users', {
      json: { email: 'ivy@shop.test', role: 'operator' },
    });
    const { temporary_password } = (await invited.json()) as { temporary_password: string };
    expect(temporary_password).toMatch(/^[\w-]{20}$/);
    const ivy = await signInAs(app, 'ivy@shop.test', temporary_password);
    const blocked = await requestWithSession(app, ivy, 'GET', '/api/v1/contacts');
    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toMatchObject({ error: { code: 'password_change_required' } });
    const wrongCurrent = await requestWithSession(app, ivy, 'POST', '/api/v1/me/password', {
      json: { current_password: 'guess', new_password: 'a brand new one' },
    });
    expect(await wrongCurrent.json()).toMatchObject({ error: { field: 'current_password' } });
    const changed = await requestWithSession(app, ivy, 'POST', '/api/v1/me/password', {
      json: { current_password: temporary_password, new_password: 'a brand new one' },
    });
    expect(await changed.json()).toMatchObject({ must_change_password: false });
    expect((await requestWithSession(app, ivy, 'GET', '/api/v1/contacts')).status).toBe(200);
  });
});

describe('behind a trusted proxy', () => {
  let test: TestDatabase;
  let app: ChorusApp;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(test.database, ACCESS_ROUTES, T0, { trustProxy: true }));
    await seedUser(test.database, 'ada@shop.test', 'admin', T0);
  });
  afterAll(async () => test.drop());

  it('marks the cookie Secure when the proxy says the browser used HTTPS', async () => {
    const response = await postJson(
      app,
      '/api/v1/session',
      { email: 'ada@shop.test', password: TEST_PASSWORD },
      { 'x-forwarded-proto': 'https' },
    );
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('slows one address down after 20 failures across accounts, and not the others', async () => {
    const from = (ip: string, email: string) =>
      postJson(app, '/api/v1/session', { email, password: 'wrong password' }, { 'x-forwarded-for': `${ip}, 10.0.0.1` });
    for (let i = 0; i < 20; i++) expect((await from('203.0.113.7', `guess${i}@shop.test`)).status).toBe(401);
    const refused = await from('203.0.113.7', 'ada@shop.test');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { message: expect.stringContaining('from your address') } });
    expect((await from('198.51.100.2', 'ada@shop.test')).status).toBe(401);
    const failed = await test.database.db
      .selectFrom('audit_log')
      .select('ip')
      .where('action', '=', 'session.sign_in_failed')
      .execute();
    expect(new Set(failed.map((f) => f.ip))).toEqual(new Set(['203.0.113.7', '198.51.100.2']));
  });
});

import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../app/audit.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs, requestWithSession, signInAs, type TestSession } from '../testing.ts';
import { ACCESS_ROUTES, seedUser, TEST_PASSWORD } from './access-testing.ts';
import { registerContactRoutes } from './contacts.ts';

const NOW = Date.parse('2026-04-01T09:00:00Z');
type AuditPage = {
  data: { action: string; actor: { type: string; label: string }; target: unknown }[];
  next_cursor: string | null;
};

describe('the audit log over HTTP', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  let admin: TestSession;
  const list = async (query: string) =>
    (await (await requestWithSession(app, admin, 'GET', `/api/v1/audit${query}`)).json()) as AuditPage;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(test.database, [...ACCESS_ROUTES, registerContactRoutes], NOW));
    await seedUser(test.database, 'ada@shop.test', 'admin', NOW);
    await app.request('/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@shop.test', password: 'wrong password' }),
    });
    admin = await signInAs(app, 'ada@shop.test', TEST_PASSWORD);
    await requestAs(app, 'POST', '/api/v1/contacts/import?file_name=spring.csv', {
      body: 'phone,first_name\n+4915112345678,Ana\n',
      type: 'text/csv',
    });
    await requestWithSession(app, admin, 'POST', `/api/v1/contacts/${encodeURIComponent('+4915112345678')}/opt-out`);
  });
  afterAll(async () => test.drop());

  it('lists who did what, newest first, with the actor and the target', async () => {
    const page = await list('');
    expect(page.data.map((e) => [e.action, e.actor.type, e.actor.label])).toEqual([
      ['contact.opt_out', 'user', 'ada@shop.test'],
      ['contacts.import', 'api_key', 'CHORUS_API_KEY'],
      ['session.sign_in', 'user', 'ada@shop.test'],
      ['session.sign_in_failed', 'user', 'ada@shop.test'],
      ['user.create', 'system', 'system'],
    ]);
    expect(page.data[0]?.target).toEqual({ type: 'contact', id: '1' });
    expect(JSON.stringify(page.data)).not.toContain('+4915112345678');
  });

  it('filters by action, by action group and by actor, and pages with a cursor', async () => {
    expect((await list('?action=session')).data.map((e) => e.action)).toEqual([
      'session.sign_in',
      'session.sign_in_failed',
    ]);
    expect((await list('?action=contacts.import')).data).toHaveLength(1);
    expect((await list('?actor=api_key')).data.map((e) => e.action)).toEqual(['contacts.import']);
    expect((await list('?actor=ADA@shop.test')).data).toHaveLength(3);
    const first = await list('?limit=2');
    expect(first.data).toHaveLength(2);
    const second = await list(`?limit=2&cursor=${first.next_cursor}`);
    expect(second.data.map((e) => e.action)).toEqual(['session.sign_in', 'session.sign_in_failed']);
  });

  it('refuses an unknown action filter, naming it', async () => {
    const response = await requestWithSession(app, admin, 'GET', '/api/v1/audit?action=campaign.launch');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'validation_failed', field: 'action' } });
  });

  it('exports CSV in which no cell can run as a formula, phones kept as they are', async () => {
    const at = NOW + 1;
    const actor = { type: 'user' as const, id: '9', label: '=cmd|"/c calc"!A1' };
    await recordAudit(
      test.database.db,
      { actor, action: 'contact.update', details: { note: '+1+1' }, ip: '@evil' },
      at,
    );
    await recordAudit(
      test.database.db,
      { actor: { type: 'system', id: null, label: '+4915112345678' }, action: 'settings.update' },
      at,
    );
    const response = await requestWithSession(app, admin, 'GET', '/api/v1/audit.csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="chorus-audit-2026-04-01.csv"');
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatchObject({ action: 'settings.update', actor: '+4915112345678' });
    expect(rows[1]).toMatchObject({ actor: `'=cmd|"/c calc"!A1`, ip: "'@evil", details: '{"note":"+1+1"}' });
    for (const row of rows) {
      for (const cell of Object.values(row)) expect(cell === '+4915112345678' || !/^[=+\-@\t\r]/.test(cell)).toBe(true);
    }
  });
});

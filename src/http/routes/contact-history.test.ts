import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPendingCampaign } from '../../store/campaign-fixtures.testing.ts';
import { createTestDatabase, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs } from '../testing.ts';
import { registerContactRoutes } from './contacts.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');
const ANA = '+4915112345678';

describe('a contact’s mapped import, consent ledger and messages over HTTP', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  const call = (method: string, path: string, init: Parameters<typeof requestAs>[3] = {}) =>
    requestAs(app, method, path, init);

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(test.database, [registerContactRoutes], NOW));
  });
  afterAll(async () => test.drop());

  it('imports with a column mapping: file columns become phone, first_name and an attribute', async () => {
    const mapping = encodeURIComponent(
      JSON.stringify({ Mobil: 'phone', Vorname: 'first_name', Filiale: 'attr.store', Notiz: 'skip' }),
    );
    const csv = `Mobil,Vorname,Filiale,Notiz\n${ANA},Ana,Berlin,call back\nnonsense,Bo,Köln,\n`;
    const response = await call('POST', `/api/v1/contacts/import?consent_source=shop&mapping=${mapping}`, {
      body: csv,
      type: 'text/csv',
    });
    expect(await response.json()).toMatchObject({
      imported: 1,
      invalid: 1,
      errors: [{ row: 3, reason: expect.any(String) }],
    });
    const contact = await (await call('GET', `/api/v1/contacts/${encodeURIComponent(ANA)}`)).json();
    expect(contact).toMatchObject({ first_name: 'Ana', attributes: { store: 'Berlin' } });
  });

  it('refuses a bad mapping, naming the field, and imports nothing', async () => {
    const bad = await call('POST', `/api/v1/contacts/import?mapping=${encodeURIComponent('{"Mobil":"mobile"}')}`, {
      body: 'Mobil\n+4915100000001\n',
      type: 'text/csv',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed', field: 'mapping.Mobil' } });
    const missing = await call('POST', `/api/v1/contacts/import?mapping=${encodeURIComponent('{"Handy":"phone"}')}`, {
      body: 'Mobil\n+4915100000001\n',
      type: 'text/csv',
    });
    expect(await missing.json()).toMatchObject({ error: { code: 'invalid_csv', field: 'mapping.Handy' } });
    expect((await call('GET', '/api/v1/contacts/%2B4915100000001')).status).toBe(404);
  });

  it('answers the consent ledger oldest first, the opt-out after the import’s grant', async () => {
    await call('POST', `/api/v1/contacts/${encodeURIComponent(ANA)}/opt-out`, {
      body: JSON.stringify({ source: 'dashboard', evidence: 'asked by phone' }),
      type: 'application/json',
    });
    const ledger = (await (await call('GET', `/api/v1/contacts/${encodeURIComponent(ANA)}/consent`)).json()) as {
      data: { action: string; purpose: string; source: string; proof: Record<string, unknown> }[];
    };
    expect(ledger.data.map((e) => [e.action, e.purpose, e.source])).toEqual([
      ['grant', 'marketing', 'shop'],
      ['revoke', 'marketing', 'dashboard'],
      ['revoke', 'utility', 'dashboard'],
    ]);
    expect(ledger.data[2]?.proof).toMatchObject({ evidence: 'asked by phone' });
    expect((await call('GET', '/api/v1/contacts/%2B4915100000009/consent')).status).toBe(404);
  });

  it('lists the messages sent to the contact with their campaign and status', async () => {
    const campaignId = await seedPendingCampaign(test.database.db, NOW, { status: 'running', phones: [ANA] });
    const response = await call('GET', `/api/v1/contacts/${encodeURIComponent(ANA)}/messages`);
    expect(await response.json()).toMatchObject({
      data: [{ campaign: { id: String(campaignId) }, status: expect.any(String) }],
      replies: [],
      next_cursor: null,
    });
  });
});

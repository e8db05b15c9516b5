import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_CSV } from '../../domain/contacts-fixtures.testing.ts';
import { welcome } from '../../domain/template-fixtures.testing.ts';
import { messageStatusesOf, seedPendingCampaign } from '../../store/campaign-fixtures.testing.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs } from '../testing.ts';
import { registerContactRoutes } from './contacts.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');

describe('contacts HTTP routes', () => {
  let test: TestDatabase;
  let app: ChorusApp;
  const call = (method: string, path: string, init: Parameters<typeof requestAs>[3] = {}) =>
    requestAs(app, method, path, init);

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    ({ app } = await createTestApi(test.database, [registerContactRoutes], NOW));
  });
  afterAll(async () => test.drop());

  it('imports a text/csv body and answers the exact report', async () => {
    const response = await call('POST', '/api/v1/contacts/import?tag=spring', { body: HARNESS_CSV, type: 'text/csv' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      imported: 4,
      updated: 0,
      invalid: 1,
      duplicates: 1,
      errors: [{ row: 6, reason: expect.any(String) }],
    });
  });

  it('imports the file field of a multipart form', async () => {
    const form = new FormData();
    form.append('file', new Blob(['phone;first_name\n+4915199999999;Mia\n']), 'more.csv');
    const response = await call('POST', '/api/v1/contacts/import?default_country=DE', { body: form });
    expect(await response.json()).toMatchObject({ imported: 1, invalid: 0 });
  });

  it('answers invalid_csv for a file without a phone column', async () => {
    const response = await call('POST', '/api/v1/contacts/import', { body: 'name\nAna\n', type: 'text/csv' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_csv', field: 'file' } });
  });

  it('gets a contact by URL-encoded E.164 phone, with consent and tags', async () => {
    const response = await call('GET', `/api/v1/contacts/${encodeURIComponent('+4915112345678')}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      phone: '+4915112345678',
      first_name: 'Ana',
      tags: ['news', 'spring', 'vip'],
      attributes: { code: 'A1' },
      consent: { marketing: '2026-01-05T10:00:00.000Z', utility: '2026-01-05T10:00:00.000Z' },
      suppressed: null,
    });
  });

  it('answers 400 invalid_phone for a non-E.164 phone and 404 for an unknown one', async () => {
    const bad = await call('GET', '/api/v1/contacts/0151123');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_phone', field: 'phone' } });
    expect((await call('GET', '/api/v1/contacts/%2B4915100000000')).status).toBe(404);
  });

  it('lists with tag, prefix and cursor paging', async () => {
    const first = (await (await call('GET', '/api/v1/contacts?tag=vip&limit=2')).json()) as {
      data: { phone: string }[];
      next_cursor: string | null;
    };
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    const rest = (await (
      await call('GET', `/api/v1/contacts?tag=vip&limit=10&cursor=${first.next_cursor}`)
    ).json()) as {
      data: unknown[];
      next_cursor: string | null;
    };
    expect(rest).toMatchObject({ next_cursor: null });
    expect(rest.data).toHaveLength(2);
    const byName = (await (await call('GET', '/api/v1/contacts?q=cos')).json()) as { data: { phone: string }[] };
    expect(byName.data.map((c) => c.phone)).toEqual(['+5511987654321']);
  });

  it('patches a contact and names the bad field', async () => {
    const ok = await call('PATCH', '/api/v1/contacts/%2B4915112345678', {
      body: JSON.stringify({ language: 'de', tags: ['a'] }),
      type: 'application/json',
    });
    expect(await ok.json()).toMatchObject({ language: 'de', tags: ['a'] });
    const bad = await call('PATCH', '/api/v1/contacts/%2B4915112345678', {
      body: JSON.stringify({ language: 'Deutsch!' }),
      type: 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed', field: 'language' } });
  });

  it('records opt-out with the API key as proof, then opt-in', async () => {
    const out = await call('POST', '/api/v1/contacts/%2B447911123456/opt-out', {
      body: JSON.stringify({ evidence: 'replied STOP' }),
      type: 'application/json',
    });
    expect(await out.json()).toEqual({
      phone: '+447911123456',
      consent: { marketing: null, utility: null },
      suppressed: 'opted_out',
    });
    const back = await call('POST', '/api/v1/contacts/%2B447911123456/opt-in');
    expect(await back.json()).toMatchObject({ suppressed: null, consent: { marketing: new Date(NOW).toISOString() } });
    const proof = await test.database.db
      .selectFrom('consent_events')
      .select('proof')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(JSON.parse(proof?.proof ?? '{}')).toMatchObject({ api_key_id: expect.any(Number) });
  });

  it('erases a contact on DELETE', async () => {
    const response = await call('DELETE', '/api/v1/contacts/%2B919876543210');
    expect(await response.json()).toMatchObject({
      phone: '+919876543210',
      erased: true,
      erasure: { requested_by: 'CHORUS_API_KEY', is_repeat: false },
      removed: { contact: true },
    });
    expect((await call('GET', '/api/v1/contacts/%2B919876543210')).status).toBe(404);
  });

  it('requires a key and lists the routes in the OpenAPI document', async () => {
    expect((await call('GET', '/api/v1/contacts', { auth: false })).status).toBe(401);
    const doc = (await (await call('GET', '/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/contacts/import',
        '/api/v1/contacts/{phone}',
        '/api/v1/contacts/{phone}/opt-out',
      ]),
    );
  });
});

describe.each(TEST_BACKENDS)('opt-out through the API on %s', (backend) => {
  const [ana, ben] = ['+4915112345001', '+4915112345002'];
  let test: TestDatabase;
  let app: ChorusApp;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    ({ app } = await createTestApi(test.database, [registerContactRoutes], NOW));
  });
  afterAll(async () => test.drop());

  it('skips the number’s pending messages of running and paused campaigns before it answers', async () => {
    const { db } = test.database;
    const running = await seedPendingCampaign(db, NOW, { status: 'running', phones: [ana, ben] });
    const paused = await seedPendingCampaign(db, NOW, { status: 'paused', phones: [ana, ben], definition: welcome });
    const out = await requestAs(app, 'POST', `/api/v1/contacts/${encodeURIComponent(ana)}/opt-out`, {
      body: JSON.stringify({ evidence: 'asked by email' }),
      type: 'application/json',
    });
    expect(out.status).toBe(200);
    expect(await messageStatusesOf(db, ana)).toEqual([
      [running, 'skipped', 'suppressed: asked by email'],
      [paused, 'skipped', 'suppressed: asked by email'],
    ]);
    expect(await messageStatusesOf(db, ben)).toEqual([
      [running, 'pending', null],
      [paused, 'pending', null],
    ]);
  });
});

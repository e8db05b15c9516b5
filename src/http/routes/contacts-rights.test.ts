import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER, PERSON, PERSON_NOW, type PersonSeed, seedPerson } from '../../app/person-seed.testing.ts';
import { ERASED_NUMBER_REASON } from '../../domain/erased-recipient.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../store/testing.ts';
import type { ChorusApp } from '../app.ts';
import { createTestApi, requestAs } from '../testing.ts';
import { registerContactRoutes } from './contacts.ts';

const path = (phone: string, tail = '') => `/api/v1/contacts/${encodeURIComponent(phone)}${tail}`;

describe.each(TEST_BACKENDS)("a person's data rights over HTTP on %s", (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;
  let seed: PersonSeed;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    seed = await seedPerson(test.database);
    ({ app } = await createTestApi(test.database, [registerContactRoutes], PERSON_NOW + 60_000));
  });
  afterAll(async () => test.drop());

  it('exports everything held about the person', async () => {
    const response = await requestAs(app, 'GET', path(PERSON.phone, '/export'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      phone: PERSON.phone,
      exported_at: new Date(PERSON_NOW + 60_000).toISOString(),
      contact: {
        first_name: PERSON.firstName,
        last_name: PERSON.lastName,
        attributes: { code: PERSON.attribute },
        tags: ['later', 'vip'],
        suppressed: 'opted_out',
      },
      consent: [
        {
          action: 'grant',
          purpose: 'marketing',
          source: 'csv-import',
          at: '2026-01-05T10:00:00.000Z',
          proof: { import_file: 'people.csv', import_row: 2 },
        },
      ],
      suppression: { reason: 'opted_out', source: 'keyword' },
      erasure: null,
      replies: [{ type: 'text', text: `${PERSON.firstName} here, please stop`, in_reply_to: PERSON.wamid }],
    });
    const messages = body.messages as Record<string, unknown>[];
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({
      campaign: { id: String(seed.deliveredCampaignId), name: 'Delivered', sender: 'default' },
      template: { name: 'welcome', language: 'en_US', category: 'MARKETING' },
      status: 'delivered',
      wamid: PERSON.wamid,
      status_events: [{ status: 'delivered' }],
    });
    // The body as rendered for this person, their name and attribute filled in.
    expect(JSON.stringify(messages[0]?.body)).toContain(`${PERSON.firstName} ${PERSON.attribute}`);
    expect(messages[1]).toMatchObject({ campaign: { name: 'Running' }, status: 'pending' });
    expect(JSON.stringify(body)).not.toContain(OTHER.phone);
  });

  it('erases on DELETE; afterwards the export holds only the erasure record', async () => {
    const erased = await requestAs(app, 'DELETE', path(PERSON.phone));
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({
      phone: PERSON.phone,
      erased: true,
      erasure: { is_repeat: false, requested_by: 'CHORUS_API_KEY' },
      removed: { contact: true, messages_scrubbed: 2, replies_scrubbed: 1 },
    });
    expect((await requestAs(app, 'GET', path(PERSON.phone))).status).toBe(404);
    const after = await requestAs(app, 'GET', path(PERSON.phone, '/export'));
    expect(await after.json()).toMatchObject({
      contact: null,
      consent: [],
      messages: [],
      replies: [],
      suppression: { reason: 'erased' },
      erasure: { requested_by: 'CHORUS_API_KEY' },
    });
    const audited = await test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'in', ['contact.erase', 'contact.export'])
      .orderBy('id')
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['contact.export', 'contact.erase', 'contact.export']);
    expect(audited[1]).toMatchObject({ actor_label: 'CHORUS_API_KEY', target_type: 'erasure' });
    expect(JSON.stringify(audited)).not.toContain(PERSON.phone.slice(1));
  });

  it('refuses an opt-in of the erased number with 409, and an import of it with the row', async () => {
    const optIn = await requestAs(app, 'POST', path(PERSON.phone, '/opt-in'));
    expect(optIn.status).toBe(409);
    expect(await optIn.json()).toEqual({
      error: { code: 'number_erased', message: ERASED_NUMBER_REASON, field: 'phone' },
    });
    const csv = `phone,first_name\n${PERSON.phone},Back\n`;
    const imported = await requestAs(app, 'POST', '/api/v1/contacts/import', { body: csv, type: 'text/csv' });
    expect(await imported.json()).toEqual({
      imported: 0,
      updated: 0,
      invalid: 1,
      duplicates: 0,
      errors: [{ row: 2, reason: ERASED_NUMBER_REASON }],
    });
  });

  it('answers an unknown number with empty sections, and a bad one with 400', async () => {
    const unknown = await requestAs(app, 'GET', path('+4915100000999', '/export'));
    expect(await unknown.json()).toMatchObject({ contact: null, messages: [], replies: [], suppression: null });
    const bad = await requestAs(app, 'GET', path('12345', '/export'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_phone', field: 'phone' } });
  });
});

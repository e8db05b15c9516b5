import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listConsentEvents } from '../store/consent-repo.ts';
import { findContactByPhone } from '../store/contacts-repo.ts';
import { addSuppression } from '../store/suppressions-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { consentStatus, recordOptIn, recordOptOut } from './consent.ts';
import { getContact, listContactsPage, patchContact } from './contacts.ts';
import { erasePerson } from './erase-person.ts';

let now = Date.parse('2026-02-01T00:00:00Z');
const clock = () => now;
const PHONE = '+4915112345678';

describe.each(TEST_BACKENDS)('consent and contacts use cases on %s', (backend) => {
  let test: TestDatabase;
  const db = () => test.database.db;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(async () => test.drop());
  beforeEach(async () => {
    for (const table of ['contact_tags', 'consent_events', 'contacts', 'suppressions'] as const) {
      await db().deleteFrom(table).execute();
    }
  });

  it('opt-in creates the contact and records the proof; opt-out revokes all and suppresses', async () => {
    const optedIn = await recordOptIn(db(), PHONE, { source: 'form', formUrl: 'https://x.test/f', apiKeyId: 3 }, clock);
    expect(optedIn).toEqual({
      phone: PHONE,
      consent: { marketing: new Date(now).toISOString(), utility: new Date(now).toISOString() },
      suppressed: null,
    });
    now += 1000;
    const optedOut = await recordOptOut(db(), PHONE, { source: 'webhook:stop' }, clock);
    expect(optedOut).toEqual({ phone: PHONE, consent: { marketing: null, utility: null }, suppressed: 'opted_out' });
    const contact = await findContactByPhone(db(), PHONE);
    const ledger = await listConsentEvents(db(), contact?.id ?? 0);
    expect(ledger.map((e) => `${e.action}:${e.purpose}`)).toEqual([
      'grant:marketing',
      'revoke:marketing',
      'revoke:utility',
    ]);
    expect(JSON.parse(ledger[0]?.proof ?? '{}')).toEqual({ form_url: 'https://x.test/f', api_key_id: 3 });
  });

  it('opt-out of an unknown number still suppresses it', async () => {
    const status = await recordOptOut(db(), '+447911123456', { source: 'api' }, clock);
    expect(status.suppressed).toBe('opted_out');
    expect(await findContactByPhone(db(), '+447911123456')).toBeUndefined();
  });

  it('a marketing-only opt-out keeps utility and does not suppress', async () => {
    await recordOptIn(db(), PHONE, { source: 'form' }, clock);
    now += 1000;
    const status = await recordOptOut(db(), PHONE, { source: 'button', purpose: 'marketing' }, clock);
    expect(status).toMatchObject({ consent: { marketing: null }, suppressed: null });
    expect(status.consent.utility).not.toBeNull();
  });

  it('opt-in lifts opted_out but never blocked', async () => {
    await recordOptOut(db(), PHONE, { source: 'api' }, clock);
    expect((await recordOptIn(db(), PHONE, { source: 'form' }, clock)).suppressed).toBeNull();
    await addSuppression(db(), { phone: PHONE, reason: 'blocked', source: 'admin', now });
    expect((await recordOptIn(db(), PHONE, { source: 'form' }, clock)).suppressed).toBe('blocked');
  });

  it('refuses a phone that is not E.164', async () => {
    await expect(recordOptOut(db(), '0151 123', { source: 'api' }, clock)).rejects.toMatchObject({
      code: 'invalid_phone',
    });
  });

  it('erasure deletes the data, keeps the number suppressed as erased and refuses to opt it in again', async () => {
    await recordOptIn(db(), PHONE, { source: 'form' }, clock);
    await erasePerson(db(), PHONE, { requestedBy: 'test' }, clock);
    await expect(getContact(db(), PHONE)).rejects.toMatchObject({ code: 'not_found' });
    expect(
      Number(
        (
          await db()
            .selectFrom('consent_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(0);
    await expect(recordOptIn(db(), PHONE, { source: 'form' }, clock)).rejects.toMatchObject({
      code: 'number_erased',
      field: 'phone',
    });
    expect(await consentStatus(db(), PHONE)).toMatchObject({ suppressed: 'erased' });
    // An opt-out of an erased number changes nothing: it is never listed in plain again.
    expect((await recordOptOut(db(), PHONE, { source: 'api' }, clock)).suppressed).toBe('erased');
    expect(await db().selectFrom('suppressions').select('phone').where('phone', '=', PHONE).execute()).toEqual([]);
  });

  it('patches fields, replaces tags, and pages with a keyset cursor filtered by tag and prefix', async () => {
    for (const phone of ['+4915100000001', '+4915100000002', '+4915100000003', '+447911123456']) {
      await recordOptIn(db(), phone, { source: 'form' }, clock);
      await patchContact(db(), phone, { firstName: phone.endsWith('2') ? 'Zoe' : 'Ana', tags: ['vip'] }, clock);
    }
    const first = await listContactsPage(db(), { tag: 'vip', q: '49', limit: 2 });
    expect(first.data.map((c) => c.phone)).toEqual(['+4915100000001', '+4915100000002']);
    const second = await listContactsPage(db(), { tag: 'vip', q: '49', limit: 2, cursor: first.next_cursor ?? '' });
    expect(second).toMatchObject({ data: [{ phone: '+4915100000003' }], next_cursor: null });
    expect((await listContactsPage(db(), { q: 'zo' })).data.map((c) => c.phone)).toEqual(['+4915100000002']);
    expect((await listContactsPage(db(), { tag: 'none' })).data).toEqual([]);
    await expect(listContactsPage(db(), { cursor: 'garbage' })).rejects.toMatchObject({ field: 'cursor' });
  });
});

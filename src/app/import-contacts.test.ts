import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HARNESS_CSV } from '../domain/contacts-fixtures.testing.ts';
import { AppError } from '../domain/errors.ts';
import { seedDraftCampaign } from '../store/campaign-fixtures.testing.ts';
import { listConsentEvents } from '../store/consent-repo.ts';
import { findContactByPhone } from '../store/contacts-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { recordOptOut } from './consent.ts';
import { importContacts, MAX_REPORTED_ERRORS } from './import-contacts.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');
const clock = () => NOW;

async function* chunks(text: string, size = 7): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe.each(TEST_BACKENDS)('importContacts on %s', (backend) => {
  let test: TestDatabase;
  const run = (text: string, options: Partial<Parameters<typeof importContacts>[2]> = {}) =>
    importContacts(test.database, chunks(text), { fileName: 'contacts.csv', ...options }, clock);
  const count = async (table: 'contacts' | 'consent_events' | 'imports') =>
    Number(
      (
        await test.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(async () => test.drop());
  beforeEach(async () => {
    for (const table of ['contact_tags', 'consent_events', 'contacts', 'suppressions', 'imports'] as const) {
      await test.database.db.deleteFrom(table).execute();
    }
  });

  it('answers the harness file exactly and records consent with proof', async () => {
    const report = await run(HARNESS_CSV);
    expect(report).toEqual({
      imported: 4,
      updated: 0,
      invalid: 1,
      duplicates: 1,
      errors: [{ row: 6, reason: expect.stringContaining('not-a-number') }],
    });
    const ana = await findContactByPhone(test.database.db, '+4915112345678');
    expect(ana).toMatchObject({
      firstName: 'Ana',
      lastName: 'Alves',
      tags: ['news', 'vip'],
      attributes: { code: 'A1' },
    });
    expect(ana?.marketingConsentAt).toBe(Date.parse('2026-01-05T10:00:00Z'));
    expect(ana?.utilityConsentAt).toBe(Date.parse('2026-01-05T10:00:00Z'));
    const events = await listConsentEvents(test.database.db, ana?.id ?? 0);
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.proof ?? '{}')).toMatchObject({ import_file: 'contacts.csv', import_row: 2 });
    const noConsent = await findContactByPhone(test.database.db, '+919876543210');
    expect(noConsent?.marketingConsentAt).toBeNull();
    expect(await count('consent_events')).toBe(3);
    const imports = await test.database.db.selectFrom('imports').selectAll().execute();
    expect(imports).toMatchObject([{ file_name: 'contacts.csv', imported: 4, invalid: 1, duplicates: 1 }]);
  });

  it('counts a second run as updates, keeps names that cells leave empty, and adds tags', async () => {
    await run(HARNESS_CSV);
    const report = await run('phone,first_name,tags\n+4915112345678,,extra\n', { tags: ['again'] });
    expect(report).toMatchObject({ imported: 0, updated: 1, duplicates: 0 });
    const ana = await findContactByPhone(test.database.db, '+4915112345678');
    expect(ana).toMatchObject({ firstName: 'Ana', tags: ['again', 'extra', 'news', 'vip'] });
  });

  it('reads BOM, CRLF, ";" delimiters, quoted fields and national numbers with a default country', async () => {
    const csv = '\uFEFFPhone;First Name;note\r\n"0151 1234 5678";"Doe; Jane";"said ""hi""\r\nthen left"\r\n';
    const report = await run(csv, { defaultCountry: 'de' });
    expect(report).toEqual({ imported: 1, updated: 0, invalid: 0, duplicates: 0, errors: [] });
    const jane = await findContactByPhone(test.database.db, '+4915112345678');
    expect(jane).toMatchObject({ firstName: 'Doe; Jane', attributes: { note: 'said "hi"\r\nthen left' } });
  });

  it('grants at the import time with only an import-level source, for the chosen purpose', async () => {
    await run('phone\n+4915112345678\n', { consentSource: 'paper-form', consentPurpose: 'utility' });
    const contact = await findContactByPhone(test.database.db, '+4915112345678');
    expect(contact).toMatchObject({ marketingConsentAt: null, utilityConsentAt: NOW });
  });

  it('does not let an older opted_in_at undo a newer opt-out', async () => {
    await run(HARNESS_CSV);
    await recordOptOut(test.database.db, '+4915112345678', { source: 'test', purpose: 'marketing' }, clock);
    await run(HARNESS_CSV);
    const ana = await findContactByPhone(test.database.db, '+4915112345678');
    expect(ana?.marketingConsentAt).toBeNull();
    expect(ana?.utilityConsentAt).toBe(Date.parse('2026-01-05T10:00:00Z'));
  });

  it.each([
    ['', /empty/],
    ['name,email\nAna,a@example.com\n', /no "phone" column/],
    ['PK\u0003\u0004\u0000\u0000binary', /binary/],
  ])('refuses %j as invalid_csv and changes nothing', async (csv, message) => {
    const error = await run(csv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'invalid_csv', message: expect.stringMatching(message) });
    expect(await count('contacts')).toBe(0);
    expect(await count('imports')).toBe(0);
  });

  it('refuses rows holding a NUL or bytes that are not UTF-8, by line, and imports the others', async () => {
    const latin1Name = Buffer.from('+4915100000003,Jos\xe9\n', 'latin1');
    const bytes = Buffer.concat([
      Buffer.from('phone,first_name,note\n+4915100000001,Ana,ok\n+4915100000002,Bo\u0000b,x\n'),
      latin1Name,
      Buffer.from('+4915100000004,Cy,"a\u0000"\n'),
    ]);
    async function* input() {
      yield bytes;
    }
    const report = await importContacts(test.database, input(), { fileName: 'mixed.csv' }, clock);
    expect(report).toMatchObject({ imported: 1, invalid: 3 });
    expect(report.errors).toEqual([
      { row: 3, reason: 'column 2 holds a NUL character (U+0000), which is never stored' },
      { row: 4, reason: expect.stringMatching(/^column 2 is not valid UTF-8 text/) },
      { row: 5, reason: 'column 3 holds a NUL character (U+0000), which is never stored' },
    ]);
    expect((await findContactByPhone(test.database.db, '+4915100000001'))?.firstName).toBe('Ana');
    expect(await count('contacts')).toBe(1);
  });

  it('keeps counts exact past the error cap, across batches', async () => {
    const rows = Array.from({ length: MAX_REPORTED_ERRORS + 5 }, () => 'bad').join('\n');
    const good = Array.from({ length: 30 }, (_, i) => `+49151${String(i).padStart(8, '0')}`).join('\n');
    const report = await run(`phone\n${good}\n${rows}\n+4915100000000\n`, { batchSize: 7 });
    expect(report).toMatchObject({ imported: 30, invalid: MAX_REPORTED_ERRORS + 5, duplicates: 1 });
    expect(report.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(report.errors[0]?.row).toBe(32);
  });

  it('rolls back the transaction of a failed write and stops reading the file', async () => {
    const { error, stored, isClosed } = await importUntilRefused();
    expect(error).toMatch(/refused by test/);
    // Batches 1-3 shared the failed batch's transaction: none of them is stored.
    expect(stored).toBe(0);
    expect(isClosed).toBe(true);
  });

  it('commits each batch on its own while a campaign is sending', async () => {
    const campaignId = await seedDraftCampaign(test.database.db, NOW, 0);
    await test.database.db.updateTable('campaigns').set({ status: 'running' }).where('id', '=', campaignId).execute();
    try {
      const { error, stored } = await importUntilRefused();
      expect(error).toMatch(/refused by test/);
      expect(stored).toBe(21);
    } finally {
      await test.database.db.deleteFrom('campaigns').execute();
    }
  });

  /** Imports 1,000 phones in batches of 7 while the 26th is refused by a trigger. */
  async function importUntilRefused() {
    await refuseInsertOf('+4915100000025');
    let isClosed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield Buffer.from('phone\n');
        for (let i = 0; i < 1000; i++) yield Buffer.from(`+49151${String(i).padStart(8, '0')}\n`);
      } finally {
        isClosed = true;
      }
    }
    try {
      const importing = importContacts(test.database, source(), { fileName: 'c.csv', batchSize: 7 }, clock);
      const error = await importing.then(
        () => 'no error',
        (e: unknown) => String(e),
      );
      return { error, stored: await count('contacts'), isClosed };
    } finally {
      await dropRefusal();
    }
  }

  async function refuseInsertOf(phone: string) {
    if (backend === 'sqlite') {
      await sql`create trigger refuse_phone before insert on contacts when new.phone = ${sql.lit(phone)}
        begin select raise(abort, 'refused by test'); end`.execute(test.database.db);
      return;
    }
    await sql`create function refuse_phone() returns trigger language plpgsql as $$ begin
        if new.phone = ${sql.lit(phone)} then raise exception 'refused by test'; end if; return new; end $$`.execute(
      test.database.db,
    );
    await sql`create trigger refuse_phone before insert on contacts for each row execute function refuse_phone()`.execute(
      test.database.db,
    );
  }

  async function dropRefusal() {
    if (backend === 'sqlite') await sql`drop trigger refuse_phone`.execute(test.database.db);
    else await sql`drop function refuse_phone() cascade`.execute(test.database.db);
  }

  it('writes tags and grants past one multi-row statement, each for its own contact', async () => {
    const lines = Array.from(
      { length: 700 },
      (_, i) => `+49151${String(i).padStart(8, '0')},t${i % 3};all,2026-01-0${1 + (i % 9)}`,
    );
    const cacheSize = test.database.sqlite?.pragma('cache_size', { simple: true });
    const tempStore = test.database.sqlite?.pragma('temp_store', { simple: true });
    const report = await run(`phone,tags,opted_in_at\n${lines.join('\n')}\n`, { batchSize: 600 });
    expect(report).toMatchObject({ imported: 700, invalid: 0 });
    expect(await count('consent_events')).toBe(700);
    const last = await findContactByPhone(test.database.db, '+4915100000699');
    expect(last?.tags).toEqual(['all', 't0']);
    const events = await listConsentEvents(test.database.db, last?.id ?? 0);
    expect(events).toMatchObject([{ occurred_at: Date.parse('2026-01-07') }]);
    expect(JSON.parse(events[0]?.proof ?? '{}')).toMatchObject({ import_row: 701 });
    if (backend === 'sqlite') {
      // The import skips the per-row foreign-key lookups, keeps a page cache and temporary files of its own; all come back.
      expect(test.database.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(test.database.sqlite?.pragma('cache_size', { simple: true })).toBe(cacheSize);
      expect(test.database.sqlite?.pragma('temp_store', { simple: true })).toBe(tempStore);
      expect(test.database.sqlite?.pragma('foreign_key_check')).toEqual([]);
    }
  });
});

describe('importContacts with rows parsed in a worker thread', () => {
  let test: TestDatabase;
  const run = (text: string, parseMode: 'worker' | 'inline', options: { batchSize?: number } = {}) =>
    importContacts(test.database, chunks(text, 64), { fileName: 'contacts.csv', parseMode, ...options }, clock);
  const contacts = () =>
    test.database.db.selectFrom('contacts').select(['phone', 'attributes']).orderBy('id').execute();
  const events = () =>
    test.database.db.selectFrom('consent_events').select(['contact_id', 'proof']).orderBy('id').execute();

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
  });
  afterAll(async () => test.drop());

  async function both(text: string, options: { batchSize?: number } = {}) {
    const outcomes = [];
    for (const mode of ['inline', 'worker'] as const) {
      for (const table of ['contact_tags', 'consent_events', 'contacts', 'imports'] as const) {
        await test.database.db.deleteFrom(table).execute();
      }
      const report = await run(text, mode, options).catch((e: unknown) => e);
      outcomes.push({ report, contacts: await contacts(), events: (await events()).length });
    }
    return outcomes;
  }

  it('answers and stores exactly what inline parsing does, across batches and past a syntax error', async () => {
    const good = Array.from({ length: 40 }, (_, i) => `+49151${String(i % 30).padStart(8, '0')},N${i},v;x,,,A${i}`);
    const csv = `${HARNESS_CSV}${good.join('\n')}\nbad\n+4915199999999,"unclosed\n`;
    const [inline, worker] = await both(csv, { batchSize: 7 });
    expect(worker).toEqual(inline);
    expect(worker?.report).toMatchObject({ imported: 34, duplicates: 11, invalid: 3 });
  });

  it('refuses an unreadable header with the same invalid_csv error', async () => {
    const [inline, worker] = await both('name,email\nAna,a@example.com\n');
    expect(worker?.report).toBeInstanceOf(AppError);
    expect(inline?.report).toBeInstanceOf(AppError);
    expect(worker?.report).toMatchObject({
      code: 'invalid_csv',
      message: String((inline?.report as AppError | undefined)?.message),
    });
  });
});

describe('importContacts on postgres, for the planner', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(async () => test.drop());

  const planned = async () => {
    const { rows } = await sql<{ reltuples: number; last_analyze: Date | null }>`
      select c.reltuples, s.last_analyze from pg_class c join pg_stat_user_tables s on s.relid = c.oid
      where c.relname = 'contacts'`.execute(test.database.db);
    return rows[0];
  };
  const csv = (count: number, first: number) =>
    `phone,tags\n${Array.from({ length: count }, (_, i) => `+49151${String(first + i).padStart(8, '0')},vip`).join('\n')}\n`;

  it('gathers fresh statistics after a large import, so a campaign started at once is planned for its size', async () => {
    await importContacts(test.database, chunks(csv(100, 0), 4096), { fileName: 'small.csv' }, clock);
    // A small import leaves it to autovacuum, which marks its own runs apart.
    expect((await planned())?.last_analyze).toBeNull();
    await importContacts(test.database, chunks(csv(10_000, 100), 65_536), { fileName: 'large.csv' }, clock);
    // What the planner reads, set by the ANALYZE itself before the import answered.
    expect(Number((await planned())?.reltuples)).toBeGreaterThanOrEqual(10_000);
  });
});

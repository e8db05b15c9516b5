// Property-based: whatever a contacts CSV holds (BOM, CRLF, quotes, NUL, HTML, SQL, 100 columns,
// a 1 MB row), the import never throws once the header is readable, every data row is counted
// exactly once, what it stores is exactly what it reports, and refused rows name their line.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { importContacts } from './import-contacts.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');

const hostileCell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    "O'Brien'; DROP TABLE contacts; --",
    '<script>alert(1)</script>',
    '" OR 1=1 --',
    'a"b',
    'line\nbreak',
    'cr\r\nlf',
    'nul\u0000here',
    '=SUM(A1)',
    '',
  ),
);
const phone = fc.oneof(
  fc.integer({ min: 10_000_000, max: 99_999_999 }).map((n) => `+49151${n}`),
  fc.constantFrom('not-a-phone', '', '+0000', '0151 2345 6789'),
);
const row = fc.tuple(phone, hostileCell, hostileCell, hostileCell);
const file = fc.record({
  rows: fc.array(row, { maxLength: 30 }),
  hasBom: fc.boolean(),
  lineEnd: fc.constantFrom('\n', '\r\n'),
});

/** A well-formed CSV of these rows (csv-stringify quotes what needs quoting). */
function toCsv(rows: readonly (readonly string[])[], hasBom: boolean, lineEnd: string): string {
  const body = stringify([['phone', 'first_name', 'last_name', 'note'], ...rows], { record_delimiter: lineEnd });
  return `${hasBom ? '\uFEFF' : ''}${body}`;
}

describe.each(TEST_BACKENDS)('importing hostile CSV on %s', (backend) => {
  let test: TestDatabase;
  const numRuns = backend === 'sqlite' ? 40 : 15;
  const run = (csv: string | Buffer, chunkBytes = 64) => {
    const bytes = Buffer.from(csv);
    const chunks = Array.from({ length: Math.ceil(bytes.length / chunkBytes) }, (_, i) =>
      bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes),
    );
    return importContacts(test.database, Readable.from(chunks), { fileName: 'fuzz.csv' }, () => NOW);
  };
  const storedContacts = () =>
    test.database.db.selectFrom('contacts').select(['phone', 'first_name', 'last_name', 'attributes']).execute();
  const clear = async () => {
    for (const table of ['contact_tags', 'consent_events', 'contacts', 'imports'] as const) {
      await test.database.db.deleteFrom(table).execute();
    }
  };

  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(async () => test.drop());
  beforeEach(clear);

  it('counts every row once, stores exactly what it reports, and stores text as it was', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 200 }), async ({ rows, hasBom, lineEnd }, chunkBytes) => {
        await clear();
        const report = await run(toCsv(rows, hasBom, lineEnd), chunkBytes);
        expect(report.imported + report.updated + report.invalid + report.duplicates).toBe(rows.length);
        const stored = await storedContacts();
        expect(stored).toHaveLength(report.imported);
        for (const error of report.errors) expect(error.row).toBeGreaterThanOrEqual(2);
        // The first row of each stored phone that was not refused is what was stored (later ones
        // are duplicates); a refused row is named by the line it starts on (the header is line 1).
        const refusedLines = new Set(report.errors.map((error) => error.row));
        let line = 2;
        const startLines = rows.map((cells) => {
          const start = line;
          line += 1 + cells.join('').split('\n').length - 1;
          return start;
        });
        for (const contact of stored) {
          const first = rows.find(([p], i) => p === contact.phone && !refusedLines.has(startLines[i] as number));
          if (first) expect(contact.first_name).toBe(first[1].trim() === '' ? null : first[1].trim());
        }
      }),
      {
        numRuns,
        // A refused first row (a NUL in its name) and a good one for the same phone after it.
        examples: [
          [
            {
              rows: [
                ['+4915199999994', 'nul\u0000here', '', ''],
                ['+4915199999994', "O'Brien'; DROP TABLE contacts; --", '', ''],
              ],
              hasBom: false,
              lineEnd: '\n',
            },
            1,
          ],
        ],
      },
    );
  });

  it('never throws on stray quotes, and keeps what it stores equal to what it reports', async () => {
    const strayQuotes = fc.array(
      fc.tuple(phone, fc.stringMatching(/^[a-z" ,]{0,12}$/)).map(([p, junk]) => `${p},${junk}`),
      { maxLength: 20 },
    );
    await fc.assert(
      fc.asyncProperty(strayQuotes, async (lines) => {
        await clear();
        const report = await run(`phone,first_name\n${lines.join('\n')}\n`);
        expect(await storedContacts()).toHaveLength(report.imported);
        for (const error of report.errors) expect(error.row).toBeGreaterThanOrEqual(2);
      }),
      { numRuns },
    );
  });

  it('imports a 100-column row and a 1 MB row, and refuses a row that is not UTF-8 by its line', async () => {
    const columns = Array.from({ length: 98 }, (_, i) => `c${i}`);
    const wide = `phone,first_name,${columns.join(',')}\n+4915100000001,Ana,${columns.map((c) => `<b>${c}</b>`).join(',')}\n`;
    expect(await run(wide, 4096)).toMatchObject({ imported: 1, invalid: 0 });
    const stored = (await storedContacts())[0];
    expect(JSON.parse(stored?.attributes ?? '{}')).toMatchObject({ c0: '<b>c0</b>', c97: '<b>c97</b>' });

    await clear();
    const huge = 'x'.repeat(1024 * 1024);
    const big = `phone,first_name,note\n+4915100000002,Bo,${huge}\n+4915100000003,Cy,short\n`;
    expect(await run(big, 65_536)).toMatchObject({ imported: 2, invalid: 0 });

    await clear();
    const latin1 = Buffer.concat([
      Buffer.from('phone,first_name\n+4915100000004,Ana\n+4915100000005,Jos'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const report = await run(latin1);
    expect(report).toMatchObject({ imported: 1, invalid: 1 });
    expect(report.errors).toEqual([{ row: 3, reason: expect.stringMatching(/not valid UTF-8/) }]);
  });
});

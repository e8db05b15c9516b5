import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from './schema.ts';
import { type InsertColumn, rowsToInsert, valuesTable } from './sql-batch.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

// Row sets travel as one parameter a column (PostgreSQL's arrays) or one JSON parameter (SQLite):
// every value must come out as it went in, whatever its text holds.

const COLUMNS = [
  ['id', 'bigint'],
  ['label', 'text'],
  ['amount', 'bigint'],
] as const satisfies readonly InsertColumn[];

const AWKWARD_TEXTS = [
  'plain',
  'NULL',
  '',
  'with "quotes", commas, {braces} and \\backslashes\\',
  "it's",
  '{"json": [1, 2]}',
  'Zoë 😀 مرحبا',
  ' spaced ',
];

describe.each(TEST_BACKENDS)('row sets as one statement on %s', (backend) => {
  let test: TestDatabase;
  let db: Kysely<DB>;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    db = test.database.db;
    await sql`create table batch_rows (id bigint primary key, label text, amount bigint)`.execute(db);
  });
  afterAll(async () => test.drop());

  const stored = async () =>
    (
      await sql<{
        id: unknown;
        label: string | null;
        amount: unknown;
      }>`select id, label, amount from batch_rows order by id`.execute(db)
    ).rows.map((row) => ({
      id: Number(row.id),
      label: row.label,
      amount: row.amount === null ? null : Number(row.amount),
    }));

  it('inserts every row with its values intact: awkward text, nulls and numbers past 32 bits', async () => {
    const rows: [number, string | null, number | null][] = AWKWARD_TEXTS.map((label, i) => [
      i + 1,
      label,
      1_800_000_000_000 + i,
    ]);
    rows.push([AWKWARD_TEXTS.length + 1, null, null]);
    await sql`insert into batch_rows (id, label, amount) ${rowsToInsert(db, rows, COLUMNS)}`.execute(db);
    expect(await stored()).toEqual(rows.map(([id, label, amount]) => ({ id, label, amount })));
  });

  it('joins a row set on integer keys to update the rows it names, and only those', async () => {
    const before = await stored();
    const values = valuesTable(
      db,
      [
        [2, 'second, renamed'],
        [4, null],
      ],
      ['bigint', 'text'],
    );
    await sql`update batch_rows set label = v.column2 from ${values} where batch_rows.id = v.column1`.execute(db);
    expect(await stored()).toEqual(
      before.map((row) =>
        row.id === 2 ? { ...row, label: 'second, renamed' } : row.id === 4 ? { ...row, label: null } : row,
      ),
    );
  });
});

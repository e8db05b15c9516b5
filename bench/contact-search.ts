// bench:search — the contacts page's search (GET /api/v1/contacts?q=) over N contacts, on SQLite
// and PostgreSQL: the time of one page (50 rows) for a prefix many contacts share, one only a
// few share, and one nobody has (the worst case: nothing stops the walk early).
// Usage: npm run bench:search -- [--contacts N] [--samples N] [--sqlite-only]
import { sql } from 'kysely';
import { listContacts } from '../src/store/contacts-repo.ts';
import type { Database } from '../src/store/db.ts';
import { createTestDatabase } from '../src/store/testing.ts';
import { hasFlag, numberOption } from './support/args.ts';
import { describeMachine } from './support/machine.ts';
import { median } from './support/median.ts';

const CONTACTS = numberOption('--contacts', 1_000_000);
const SAMPLES = numberOption('--samples', 5);
const FIRST_NAMES = ['Ana', 'Ben', 'Cem', 'Dora', 'Emil', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jana'];
const SEARCHES = [
  { what: 'common phone prefix', q: '+49151' },
  { what: 'common first name', q: 'ana' },
  { what: 'one phone', q: `+4915${String(10_000_000 + Math.floor(CONTACTS / 2))}` },
  { what: 'no match', q: 'zzz' },
];

// Rows written by the database itself: one statement, so the fill takes seconds, not minutes.
async function fill(database: Database): Promise<void> {
  const names = `(ARRAY['${FIRST_NAMES.join("','")}'])`;
  if (database.dialect === 'sqlite') {
    await sql`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${CONTACTS})
      INSERT INTO contacts (phone, first_name, last_name, created_at, updated_at)
      SELECT '+4915' || (10000000 + i), ${sql.raw(`json_extract('${JSON.stringify(FIRST_NAMES)}', '$[' || (i % 10) || ']')`)},
        'Guest' || i, 0, 0 FROM n`.execute(database.db);
  } else {
    await sql`INSERT INTO contacts (phone, first_name, last_name, created_at, updated_at)
      SELECT '+4915' || (10000000 + i), ${sql.raw(names)}[1 + i % 10], 'Guest' || i, 0, 0
      FROM generate_series(0, ${CONTACTS - 1}) AS i`.execute(database.db);
    await sql`ANALYZE contacts`.execute(database.db);
  }
}

async function timeSearch(database: Database, q: string): Promise<{ ms: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    rows = (await listContacts(database.db, { q, limit: 51 })).length;
    times.push(performance.now() - started);
  }
  return { ms: median(times), rows };
}

async function run(kind: 'sqlite' | 'postgres'): Promise<void> {
  const test = await createTestDatabase(kind);
  try {
    const started = performance.now();
    await fill(test.database);
    console.log(
      `${kind}: ${CONTACTS.toLocaleString('en')} contacts written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const search of SEARCHES) {
      const { ms, rows } = await timeSearch(test.database, search.q);
      console.log(
        `  ${search.what.padEnd(20)} q=${search.q.padEnd(16)} ${ms.toFixed(1).padStart(8)} ms  (${rows} rows)`,
      );
    }
  } finally {
    await test.drop();
  }
}

console.log(describeMachine());
await run('sqlite');
if (!hasFlag('--sqlite-only')) await run('postgres');

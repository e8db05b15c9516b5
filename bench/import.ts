// Benchmark: a generated contacts CSV imported through importContacts (the code path of the API
// and the CLI) into a fresh SQLite file, then into a throw-away PostgreSQL database. Each import
// runs in a fresh process from the compiled build when dist/ is fresh (`npm run build`), as
// `chorus contacts import` does, so its memory is what users see. SQLite imports the file twice:
// with phones in the order of the rows, and scattered as in real lists, where every new phone
// lands at a random place of the unique phone index.
// With `--erased N` the database holds N erased numbers first, so every batch is hashed and looked
// up against them (docs/data-rights.md).
// Usage: npm run bench:import -- [--rows N] [--skip-postgres] [--skip-scattered] [--parse inline|worker|auto] [--erased N]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { ParseMode } from '../src/app/contact-rows.ts';
import type { ImportReport } from '../src/app/import-contacts.ts';
import type { DatabaseTarget } from '../src/config.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/store/testing.ts';
import { describeMachine } from './support/machine.ts';
import { scatteredNumber } from './support/scatter.ts';

const args = process.argv.slice(2);
const rowsArg = args.indexOf('--rows');
const ROWS = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 1_000_000;
const SKIP_POSTGRES = args.includes('--skip-postgres');
const SKIP_SCATTERED = args.includes('--skip-scattered');
const parseArg = args.indexOf('--parse');
const PARSE_MODE = (parseArg >= 0 ? args[parseArg + 1] : undefined) as ParseMode | undefined;
const writeArg = args.indexOf('--write-csv');
const IS_SCATTERED = args.includes('--scattered');
const erasedArg = args.indexOf('--erased');
const ERASED = erasedArg >= 0 ? Number(args[erasedArg + 1]) : 0;

/** Writes N rows: four countries' mobiles, names, tags, consent on 80%, ~1% invalid, ~0.5% repeats. */
async function writeCsv(file: string, rows: number): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write('phone,first_name,last_name,tags,opted_in_at,consent_source,code\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${phoneFor(i)},Name${i % 977},Family${i % 1013},${i % 2 ? 'vip;news' : 'news'},${i % 5 ? '2026-01-05T10:00:00Z' : ''},${i % 5 ? 'signup-form' : ''},C${i}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
}

function phoneFor(i: number): string {
  if (i % 100 === 7) return 'not-a-number';
  const n = i % 200 === 11 ? i - 1 : i; // a repeat of the row above
  const tail = String(IS_SCATTERED ? scatteredNumber(n) : n).padStart(8, '0');
  switch (n % 4) {
    case 0:
      return `+49151${tail}`;
    case 1:
      return `"+44 79${tail.slice(0, 4)} ${tail.slice(4)}"`;
    case 2:
      return `+55 11 9${tail.slice(0, 4)}-${tail.slice(4)}`;
    default:
      return `+9198${tail}`;
  }
}

interface Run {
  build: string;
  seconds: number;
  cpuSeconds: number;
  startRssMb: number;
  peakRssMb: number;
  checkpoints: string[];
  report: ImportReport;
}

// A child process per import: nothing of the CSV writer or of an earlier run is in its memory.
function runImport(target: DatabaseTarget, file: string): Run {
  const child = path.resolve(import.meta.dirname, 'support/import-child.mjs');
  const input = JSON.stringify({ target, file, parseMode: PARSE_MODE, rows: ROWS, erased: ERASED });
  const output = execFileSync(process.execPath, [child, input], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Run;
}

function print(label: string, run: Run): void {
  const { errors, ...counts } = run.report;
  console.log(`\n${label}, ${run.build}`);
  console.log(
    `  ${ROWS.toLocaleString('en')} rows in ${run.seconds.toFixed(2)} s = ${Math.round(ROWS / run.seconds).toLocaleString('en')} rows/s`,
  );
  // The machine may be shared: CPU time of this process says what the code costs whatever the load.
  console.log(
    `  this process used ${run.cpuSeconds.toFixed(2)} s of CPU = ${Math.round(ROWS / run.cpuSeconds).toLocaleString('en')} rows per CPU-second; load average ${os.loadavg()[0]?.toFixed(1)}`,
  );
  console.log(
    `  RSS ${run.startRssMb.toFixed(0)} MB before, peak ${run.peakRssMb.toFixed(0)} MB; at ${run.checkpoints.join(', ')}`,
  );
  console.log(`  ${JSON.stringify(counts)} (${errors.length} errors listed)`);
}

// The CSV is written by a child process, so its garbage is not counted in the import's RSS.
function writeCsvElsewhere(file: string, isScattered: boolean): void {
  const runner = path.resolve(import.meta.dirname, '../bin/run-ts.mjs');
  const order = isScattered ? ['--scattered'] : [];
  execFileSync(
    process.execPath,
    [runner, import.meta.filename, '--rows', String(ROWS), ...order, '--write-csv', file],
    {
      stdio: 'inherit',
    },
  );
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-import-'));
  try {
    await benchmark(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchmark(dir: string): Promise<void> {
  const csv = path.join(dir, `contacts-${ROWS}.csv`);
  const t0 = performance.now();
  writeCsvElsewhere(csv, false);
  const sizeMb = fs.statSync(csv).size / 2 ** 20;
  console.log(`generated ${csv} (${sizeMb.toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${describeMachine()}; parse ${PARSE_MODE ?? 'default'}; ${ERASED} erased numbers`);
  print(
    'SQLite (fresh file), phones in row order',
    runImport({ kind: 'sqlite', path: path.join(dir, 'bench.db') }, csv),
  );
  if (!SKIP_SCATTERED) {
    const scattered = path.join(dir, `contacts-${ROWS}-scattered.csv`);
    writeCsvElsewhere(scattered, true);
    const target = { kind: 'sqlite', path: path.join(dir, 'scattered.db') } as const;
    print('SQLite (fresh file), phones scattered', runImport(target, scattered));
  }
  if (SKIP_POSTGRES) return;
  const pg = await createPostgresDatabase();
  try {
    print('PostgreSQL (throw-away database)', runImport(pg, csv));
  } finally {
    await dropPostgresDatabase(pg.url);
  }
}

if (writeArg >= 0) await writeCsv(args[writeArg + 1] ?? 'contacts.csv', ROWS);
else await main();

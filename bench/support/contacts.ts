// Benchmark audiences: N consented contacts with unique German mobile numbers, written through
// importContacts (the code path of the API and the CLI) from a generated CSV stream.
import { Readable } from 'node:stream';
import { type ImportReport, importContacts } from '../../src/app/import-contacts.ts';
import type { Database } from '../../src/store/db.ts';
import { scatteredNumber } from './scatter.ts';

/** The phone of bench contact i (E.164, unique for i < 10^8, not in the order of i). */
export function benchPhone(i: number): string {
  return `+49151${String(scatteredNumber(i)).padStart(8, '0')}`;
}

/** Imports `count` contacts tagged `tag`, all with marketing consent; answers the report and seconds taken. */
export async function importBenchContacts(
  database: Database,
  count: number,
  tag = 'bench',
  firstIndex = 0,
): Promise<{ report: ImportReport; seconds: number }> {
  const started = performance.now();
  const report = await importContacts(
    database,
    Readable.from(csvChunks(count, firstIndex)),
    { fileName: `bench-${count}.csv`, tags: [tag], consentSource: 'bench' },
    Date.now,
  );
  return { report, seconds: (performance.now() - started) / 1000 };
}

function* csvChunks(count: number, firstIndex: number): Generator<string> {
  yield 'phone,first_name,last_name,opted_in_at,code\n';
  let chunk = '';
  for (let i = firstIndex; i < firstIndex + count; i++) {
    chunk += `${benchPhone(i)},Name${i % 977},Family${i % 1013},2026-01-05T10:00:00Z,C${i}\n`;
    if (chunk.length > 1 << 18) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

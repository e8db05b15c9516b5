// One measured import in a process of its own, as `chorus contacts import` runs it: from the
// compiled build when dist/ is fresh (no TypeScript loader in memory), else from the sources
// through tsx. Plain JavaScript so that nothing but Chorus's own modules is loaded.
// Usage (from bench/import.ts): node import-child.mjs '{"target":…,"file":…,"parseMode":…,"rows":N,"erased":N}'

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isBuildFresh } from '../../bin/build-freshness.mjs';

const { target, file, parseMode, rows, erased = 0 } = JSON.parse(process.argv[2] ?? '{}');
const isCompiled = isBuildFresh();
if (!isCompiled) (await import('tsx/esm/api')).register();
const from = (name) => new URL(isCompiled ? `../../dist/${name}.js` : `../../src/${name}.ts`, import.meta.url).href;
const { importContacts } = await import(from('app/import-contacts'));
const { openDatabase } = await import(from('store/db'));
const { keepHeapNearLiveSize } = await import(from('cli/heap'));
const { migrateToLatest } = await import(from('store/migrate'));

// As `chorus contacts import` runs.
keepHeapNearLiveSize();
const database = openDatabase(target);
await migrateToLatest(database);
// Erased numbers (hashes of no row of the file): each batch is then hashed and looked up.
for (let done = 0; done < erased; done += 1000) {
  const values = Array.from({ length: Math.min(1000, erased - done) }, () => ({
    phone_hash: randomBytes(32).toString('hex'),
    erased_at: 0,
    requested_by: 'bench',
  }));
  await database.db.insertInto('erased_numbers').values(values).execute();
}
const mb = () => process.memoryUsage().rss / 2 ** 20;
let peak = mb();
const sampler = setInterval(() => {
  peak = Math.max(peak, mb());
}, 50);
const checkpoints = [];
const marks = [0.25, 0.5, 1].map((f) => Math.floor(rows * f));
const startRssMb = mb();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const report = await importContacts(
  database,
  fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
  {
    fileName: path.basename(file),
    parseMode,
    onProgress: ({ rows: done }) => {
      peak = Math.max(peak, mb());
      while (marks.length > 0 && done >= marks[0])
        checkpoints.push(`${marks.shift().toLocaleString('en')} rows: ${mb().toFixed(0)} MB`);
    },
  },
  Date.now,
);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
peak = Math.max(peak, mb());
await database.close();
const build = isCompiled ? 'compiled build (dist/)' : 'sources through tsx';
const run = {
  build,
  seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  startRssMb,
  peakRssMb: peak,
  checkpoints,
  report,
};
process.stdout.write(`${JSON.stringify(run)}\n`);

// The machine a benchmark ran on, printed first so figures can be compared honestly.
import fs from 'node:fs';
import os from 'node:os';

/** One line: cores, memory, CPU model, Node version and the load at start. */
export function describeMachine(): string {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  const memGb = (os.totalmem() / 2 ** 30).toFixed(1);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${os.availableParallelism()} cores (${model}), ${memGb} GiB RAM, node ${process.version}, load ${load}, speed probe ${speedProbeMs()} ms`;
}

/**
 * The best of three runs of a fixed workload like Chorus's own (objects built and serialised):
 * the same machine has run 2-3x slower on some days, and this figure says which day a result
 * came from. Lower is faster; the README's Benchmarks section gives the probe of each day.
 */
export function speedProbeMs(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    let length = 0;
    for (let i = 0; i < 200_000; i++) {
      const message = { name: 'order_update', body: [{ type: 'text', text: `C${i}` }], buttons: [] };
      length += JSON.stringify(message).length;
    }
    if (length === 0) throw new Error('unreachable: keeps the loop from being optimised away');
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(best);
}

/** Sleeps. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

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
  return `${os.availableParallelism()} cores (${model}), ${memGb} GiB RAM, node ${process.version}, load ${load}`;
}

/** Sleeps. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

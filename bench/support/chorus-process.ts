// Chorus as a real `chorus start` process pointed at a benchmark simulator, with its HTTP API and
// its memory (RSS from /proc) in reach of the benchmark.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { BENCH_IDS } from './sim-process.ts';

/** A running Chorus process. */
export interface ChorusProcess {
  url: string;
  pid: number;
  /** Calls the REST API with the bench's key; answers the status and parsed JSON. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** Current resident set size in MB. */
  rssMb(): number;
  /** Peak resident set size in MB since start (VmHWM). */
  peakRssMb(): number;
  /** CPU seconds used so far by the main thread (the one that sends) and by all the others together. */
  cpuSeconds(): { mainThread: number; otherThreads: number };
  close(): Promise<void>;
}

export const BENCH_API_KEY = 'bench-api-key-0123456789';

/** Starts `node bin/chorus.mjs start` against the simulator at `graphUrl` with these limits. */
export async function startChorusProcess(setup: {
  graphUrl: string;
  databaseUrl: string;
  ratePerSec: number;
  dailyLimit: number;
  logFile: string;
}): Promise<ChorusProcess> {
  const port = await freePort();
  const chorusBin = fileURLToPath(new URL('../../bin/chorus.mjs', import.meta.url));
  const log = fs.openSync(setup.logFile, 'a');
  // BENCH_CPU_PROF=DIR writes a CPU profile of the Chorus process there when it stops.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_FLAGS adds V8/Node flags to the Chorus process (e.g. --trace-gc).
  profile.push(...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []));
  const child: ChildProcess = spawn(process.execPath, [...npmStartNodeFlags(), ...profile, chorusBin, 'start'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: setup.databaseUrl,
      CHORUS_API_KEY: BENCH_API_KEY,
      CHORUS_SANDBOX: '0',
      CHORUS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      WA_GRAPH_URL: setup.graphUrl,
      WA_PHONE_NUMBER_ID: BENCH_IDS.phoneNumberId,
      WA_BUSINESS_ACCOUNT_ID: BENCH_IDS.businessAccountId,
      WA_ACCESS_TOKEN: BENCH_IDS.accessToken,
      WA_APP_SECRET: BENCH_IDS.appSecret,
      WA_VERIFY_TOKEN: 'bench-verify',
      WA_MPS: String(setup.ratePerSec),
      WA_DAILY_LIMIT: String(setup.dailyLimit),
    },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`chorus exited early; see ${setup.logFile}`);
    if (i > 400) throw new Error(`chorus did not come up; see ${setup.logFile}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid as number;
  return {
    url,
    pid,
    async api(method, path, body) {
      const response = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: text === '' ? null : JSON.parse(text) };
    },
    rssMb: () => procStatusMb(pid, 'VmRSS'),
    peakRssMb: () => procStatusMb(pid, 'VmHWM'),
    cpuSeconds: () => threadCpuSeconds(pid),
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The node flags of `npm start` (package.json), so the benches measure the server users start. */
export function npmStartNodeFlags(): string[] {
  const manifest = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const words: string[] = manifest.scripts.start.split(' ');
  return words.slice(words.indexOf('node') + 1, words.indexOf('bin/chorus.mjs'));
}

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

// /proc/<pid>/task/<tid>/stat counts CPU time in clock ticks of 1/100 s (USER_HZ on Linux).
const TICKS_PER_SECOND = 100;

/** CPU seconds of a process's live threads: its main thread (tid = pid) and the rest summed. */
export function threadCpuSeconds(pid: number): { mainThread: number; otherThreads: number } {
  const used = { mainThread: 0, otherThreads: 0 };
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // Fields after the parenthesised name: state is the 3rd field, utime and stime the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    if (Number(tid) === pid) used.mainThread += seconds;
    else used.otherThreads += seconds;
  }
  return used;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

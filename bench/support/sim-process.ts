// A Cloud API simulator in its own process, driven over IPC, so benchmarks load it the way Meta
// would be loaded: from outside. Run as `run-ts.mjs bench/support/sim-process.ts` by startSimProcess.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SANDBOX_TEMPLATES } from '../../src/simulator/sandbox-templates.ts';
import type { SendArrivals, SimBehaviour, SimStats, SimulatorOptions } from '../../src/simulator/types.ts';

/** The credentials every benchmark simulator accepts (Chorus gets them as WA_*). */
export const BENCH_IDS = {
  accessToken: 'bench-token',
  phoneNumberId: '100000000000001',
  businessAccountId: '200000000000001',
  appSecret: 'bench-app-secret',
};

type Request =
  | { cmd: 'stats' }
  | { cmd: 'acceptedTimes' }
  | { cmd: 'arrivals' }
  | { cmd: 'setBehaviour'; patch: Partial<SimBehaviour> }
  | { cmd: 'setWebhookUrl'; url: string | undefined }
  | { cmd: 'flushWebhooks' }
  | { cmd: 'reset' };

/** A simulator child process and the few control calls benchmarks need. */
export interface SimProcess {
  url: string;
  pid: number;
  stats(): Promise<SimStats>;
  /** Acceptance times (ms) of the sends the detailed log kept, oldest first. */
  acceptedTimes(): Promise<number[]>;
  /** Arrival times (ms) of every send request, accepted or refused, as far as the log kept them. */
  arrivals(): Promise<SendArrivals>;
  setBehaviour(patch: Partial<SimBehaviour>): Promise<void>;
  setWebhookUrl(url: string | undefined): Promise<void>;
  flushWebhooks(): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Forks a simulator with these behaviour knobs and the sandbox templates. */
export async function startSimProcess(behaviour: Partial<SimBehaviour>): Promise<SimProcess> {
  const runner = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
  const self = fileURLToPath(import.meta.url);
  const child: ChildProcess = fork(runner, [self, '--serve', JSON.stringify(behaviour)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { url: string }).url)));
  let nextId = 0;
  const waiting = new Map<number, (value: unknown) => void>();
  child.on('message', (m) => {
    const { id, value } = m as { id: number; value: unknown };
    waiting.get(id)?.(value);
    waiting.delete(id);
  });
  const call = <T>(request: Request) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (value: unknown) => void);
      child.send({ id, request });
    });
  return {
    url,
    pid: child.pid as number,
    stats: () => call<SimStats>({ cmd: 'stats' }),
    acceptedTimes: () => call<number[]>({ cmd: 'acceptedTimes' }),
    arrivals: () => call<SendArrivals>({ cmd: 'arrivals' }),
    setBehaviour: (patch) => call({ cmd: 'setBehaviour', patch }),
    setWebhookUrl: (webhookUrl) => call({ cmd: 'setWebhookUrl', url: webhookUrl }),
    flushWebhooks: () => call({ cmd: 'flushWebhooks' }),
    reset: () => call({ cmd: 'reset' }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

async function serve(behaviour: Partial<SimBehaviour>): Promise<void> {
  const { startSimulator } = await import('../../src/simulator/index.ts');
  const options: SimulatorOptions = {
    ...BENCH_IDS,
    templates: SANDBOX_TEMPLATES.map((t) => structuredClone(t)),
    behaviour,
  };
  const sim = await startSimulator(options);
  const answer = async (request: Request): Promise<unknown> => {
    switch (request.cmd) {
      case 'stats':
        return sim.control.stats();
      case 'acceptedTimes':
        return sim.control.acceptedMessages({ limit: Number.MAX_SAFE_INTEGER }).map((m) => m.atMs);
      case 'arrivals':
        return sim.control.arrivals();
      case 'setBehaviour':
        return sim.control.setBehaviour(request.patch) && null;
      case 'setWebhookUrl':
        return sim.control.setWebhookUrl(request.url) ?? null;
      case 'flushWebhooks':
        return (await sim.control.flushWebhooks()) ?? null;
      case 'reset':
        return sim.control.reset() ?? null;
    }
  };
  process.on('message', (m) => {
    const { id, request } = m as { id: number; request: Request };
    void answer(request).then((value) => process.send?.({ id, value }));
  });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
  process.send?.({ url: sim.url });
}

if (process.argv[2] === '--serve') await serve(JSON.parse(process.argv[3] ?? '{}') as Partial<SimBehaviour>);

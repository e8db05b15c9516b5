// bench:client — requests/s and p50/p99 latency of CloudApiClient → simulator on loopback, beside a
// bare undici loop against the same simulator, at 64 and 256 in flight. The simulator runs in a
// child process (this file with --simulator) so the two share the machine the way production would.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { buildTemplateMessage } from '../src/cloud-api/build-template-message.ts';
import { CloudApiClient } from '../src/cloud-api/cloud-api-client.ts';
import { parseSendAnswer } from '../src/cloud-api/send-answer.ts';
import type { OutboundMessage } from '../src/domain/outbound-message.ts';
import { startSimulator } from '../src/simulator/index.ts';
import { describeMachine } from './support/machine.ts';
import { median } from './support/median.ts';

const TOKEN = 'bench-token';
const PHONE_ID = '100000000000001';
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1_000);
const WARM_UP_MS = 1_000;
const CONCURRENCIES = [64, 256];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

async function serveSimulator(): Promise<void> {
  const sim = await startSimulator({
    accessToken: TOKEN,
    phoneNumberId: PHONE_ID,
    businessAccountId: '200000000000001',
    appSecret: 'bench-secret',
    templates: [
      {
        name: 'order_update',
        language: 'en_US',
        category: 'UTILITY',
        status: 'APPROVED',
        components: [{ type: 'BODY', text: 'Order {{1}} is {{2}}.' }],
      },
    ],
    behaviour: {
      isMpsCapEnforced: false,
      isPairRateEnforced: false,
      dailyRecipientLimit: null,
      acceptedLogLimit: 1_000,
    },
  });
  process.send?.({ url: sim.url });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
}

interface RunResult {
  requests: number;
  failures: number;
  elapsedMs: number;
  cpuMs: number;
  latencies: number[];
}

type SendOnce = (i: number) => Promise<boolean>;

async function runLoop(inFlight: number, durationMs: number, sendOnce: SendOnce): Promise<RunResult> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      const ok = await sendOnce(i);
      latencies.push(performance.now() - t0);
      if (!ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: latencies.length,
    failures,
    elapsedMs: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    latencies,
  };
}

function message(i: number): OutboundMessage {
  const to = `+1650${String(1_000_000 + (i % 5_000_000)).padStart(7, '0')}`;
  const body = [
    { type: 'text' as const, text: `A-${i}` },
    { type: 'text' as const, text: 'shipped' },
  ];
  return {
    to,
    callbackData: `bench-${i}`,
    template: { name: 'order_update', languageCode: 'en_US', body, buttons: [] },
  };
}

function bareSender(url: string, inFlight: number): Sender {
  const pool = new Pool(url, { connections: inFlight, pipelining: 1 });
  const path = `/v23.0/${PHONE_ID}/messages`;
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const send: SendOnce = async (i) => {
    const m = message(i);
    const body = JSON.stringify({
      messaging_product: 'whatsapp',
      to: m.to,
      type: 'template',
      biz_opaque_callback_data: m.callbackData,
      template: {
        name: 'order_update',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: m.template.body }],
      },
    });
    const answer = await pool.request({ path, method: 'POST', headers, body });
    const parsed = JSON.parse(await answer.body.text()) as { messages?: { id: string }[] };
    return answer.statusCode === 200 && parsed.messages?.[0]?.id !== undefined;
  };
  return { send, close: () => pool.close() };
}

function clientSender(url: string, inFlight: number): Sender {
  const client = new CloudApiClient({
    graphUrl: url,
    apiVersion: 'v23.0',
    phoneNumberId: PHONE_ID,
    accessToken: TOKEN,
    maxInFlight: inFlight,
  });
  const signal = new AbortController().signal;
  return { send: async (i) => (await client.send(message(i), signal)).ok, close: () => client.close() };
}

type Sender = { send: SendOnce; close: () => Promise<void> };
const SENDERS = { 'bare undici': bareSender, CloudApiClient: clientSender } as const;
type SenderName = keyof typeof SENDERS;

/**
 * The machine's throughput drifts by tens of percent within a minute (the bare loop alone ranges
 * from 10k to 23k req/s), so one long run per sender compares two different machines.
 * Short runs alternate instead, each pair is compared on its own, and the median ratio is reported.
 */
async function compareAt(url: string, inFlight: number) {
  const senders = Object.fromEntries(
    Object.entries(SENDERS).map(([name, make]) => [name, make(url, inFlight)]),
  ) as Record<SenderName, Sender>;
  const names = Object.keys(SENDERS) as SenderName[];
  for (const name of names) await runLoop(inFlight, WARM_UP_MS, senders[name].send); // connections, JIT
  const runs: Record<SenderName, RunResult[]> = { 'bare undici': [], CloudApiClient: [] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) runs[name].push(await runLoop(inFlight, ROUND_MS, senders[name].send));
    const [bare, client] = [runs['bare undici'].at(-1), runs.CloudApiClient.at(-1)];
    if (bare && client) ratios.push(perSec(client) / perSec(bare));
  }
  for (const name of names) await senders[name].close();
  return { runs, medianRatio: median(ratios), ratios };
}

function perSec(run: RunResult): number {
  return run.requests / (run.elapsedMs / 1000);
}

function summarise(name: string, inFlight: number, runs: RunResult[]) {
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const elapsedMs = runs.reduce((sum, r) => sum + r.elapsedMs, 0);
  const cpuMs = runs.reduce((sum, r) => sum + r.cpuMs, 0);
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return {
    sender: name,
    inFlight,
    requests,
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
    'req/s': Math.round(requests / (elapsedMs / 1000)),
    'p50 ms': pct(0.5).toFixed(2),
    'p99 ms': pct(0.99).toFixed(2),
    'CPU µs/req': ((cpuMs * 1000) / requests).toFixed(1),
  };
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const runner = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
  const child: ChildProcess = fork(runner, [self, '--simulator'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { url: string }).url)));
  console.log(describeMachine());
  console.log(
    `bench:client — simulator ${url} (child process); ${ROUNDS} alternating rounds of ${ROUND_MS} ms per sender`,
  );
  const rows = [];
  const verdicts = [];
  for (const inFlight of CONCURRENCIES) {
    const { runs, medianRatio, ratios } = await compareAt(url, inFlight);
    for (const name of Object.keys(runs) as SenderName[]) rows.push(summarise(name, inFlight, runs[name]));
    const spread = ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(' ');
    verdicts.push(
      `${inFlight} in flight: client at ${(medianRatio * 100).toFixed(1)}% of bare undici (median of rounds: ${spread})`,
    );
  }
  console.table(rows);
  for (const verdict of verdicts) console.log(verdict);
  console.log(`client CPU per send without network (build + serialise + parse answer): ${clientCpuUs().toFixed(2)} µs`);
  child.disconnect();
}

/** The client's own work per send, which is all it adds over a bare loop. */
function clientCpuUs(): number {
  const answer = JSON.stringify({
    messaging_product: 'whatsapp',
    messages: [{ id: 'wamid.X', message_status: 'accepted' }],
  });
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) {
    JSON.stringify(buildTemplateMessage(message(i)));
    parseSendAnswer(200, answer);
  }
  return ((performance.now() - t0) * 1000) / n;
}

if (process.argv.includes('--simulator')) await serveSimulator();
else await main();

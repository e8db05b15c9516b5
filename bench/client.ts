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

const TOKEN = 'bench-token';
const PHONE_ID = '100000000000001';
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4_000);
const CONCURRENCIES = [64, 256];
const ROUNDS = 2;

if (process.argv.includes('--simulator')) await serveSimulator();
else await main();

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
  label: string;
  inFlight: number;
  requests: number;
  failures: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
}

type SendOnce = (i: number) => Promise<boolean>;

async function runLoop(label: string, inFlight: number, sendOnce: SendOnce): Promise<RunResult> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + DURATION_MS;
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
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return {
    label,
    inFlight,
    requests: latencies.length,
    failures,
    perSec: latencies.length / elapsedS,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
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

function bareSender(url: string, inFlight: number): { send: SendOnce; close: () => Promise<void> } {
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

function clientSender(url: string, inFlight: number): { send: SendOnce; close: () => Promise<void> } {
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

async function measure(url: string, label: string, inFlight: number): Promise<RunResult> {
  const sender = label === 'bare undici' ? bareSender(url, inFlight) : clientSender(url, inFlight);
  await runLoop(label, inFlight, sender.send); // warm-up: connections, JIT
  const result = await runLoop(label, inFlight, sender.send);
  await sender.close();
  return result;
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const runner = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
  const child: ChildProcess = fork(runner, [self, '--simulator'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve) => child.once('message', (m) => resolve((m as { url: string }).url)));
  console.log(`bench:client — simulator ${url} (child process), ${DURATION_MS} ms per run, best of ${ROUNDS} rounds`);
  const rows: RunResult[] = [];
  for (const inFlight of CONCURRENCIES) {
    const best = new Map<string, RunResult>();
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate the order so neither sender always meets a fresher simulator.
      const order = round % 2 === 0 ? ['bare undici', 'CloudApiClient'] : ['CloudApiClient', 'bare undici'];
      for (const label of order) {
        const r = await measure(url, label, inFlight);
        if ((best.get(label)?.perSec ?? 0) < r.perSec) best.set(label, r);
      }
    }
    rows.push(...best.values());
  }
  console.table(
    rows.map((r) => ({
      sender: r.label,
      inFlight: r.inFlight,
      requests: r.requests,
      failures: r.failures,
      'req/s': Math.round(r.perSec),
      'p50 ms': r.p50Ms.toFixed(2),
      'p99 ms': r.p99Ms.toFixed(2),
    })),
  );
  for (const inFlight of CONCURRENCIES) {
    const bare = rows.find((r) => r.inFlight === inFlight && r.label === 'bare undici');
    const client = rows.find((r) => r.inFlight === inFlight && r.label === 'CloudApiClient');
    if (bare && client)
      console.log(
        `${inFlight} in flight: client at ${((client.perSec / bare.perSec) * 100).toFixed(1)}% of bare undici`,
      );
  }
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

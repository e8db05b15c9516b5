// How many template sends per second the simulator answers on loopback (limits off), with and
// without a webhook receiver taking the status batches. Prints figures; not a test.

import { spawn } from 'node:child_process';
import { startSimulator } from '../src/simulator/index.ts';
import { SANDBOX_TEMPLATES } from '../src/simulator/sandbox-templates.ts';
import { startWebhookSink } from './support/webhook-sink.ts';

const TOTAL = Number(process.env.BENCH_SENDS ?? 60_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

async function run(withWebhooks: boolean): Promise<void> {
  const sink = withWebhooks ? await startWebhookSink() : undefined;
  const sim = await startSimulator({
    accessToken: 'bench',
    phoneNumberId: '100',
    businessAccountId: '200',
    appSecret: 'secret',
    webhookUrl: sink?.url,
    templates: [...SANDBOX_TEMPLATES],
    behaviour: {
      isMpsCapEnforced: false,
      isPairRateEnforced: false,
      dailyRecipientLimit: null,
      sentDelayMs: 10,
      deliveredDelayMs: 50,
      readDelayMs: 100,
    },
  });
  const cpuBefore = process.cpuUsage();
  const child = spawn(process.execPath, ['-e', LOAD_SCRIPT, sim.url, String(TOTAL), String(CONCURRENCY)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise((resolve) => child.once('exit', resolve));
  const seconds = Number(output);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMicrosPerSend = (cpu.user + cpu.system) / TOTAL;
  await sim.control.flushWebhooks();
  await new Promise((r) => setTimeout(r, 300));
  await sim.control.flushWebhooks();
  const stats = sim.control.stats();
  process.stdout.write(
    `${withWebhooks ? 'with webhooks   ' : 'without webhooks'}: ${TOTAL} sends in ${seconds.toFixed(2)} s = ${Math.round(TOTAL / seconds)} req/s; ` +
      `simulator CPU ${cpuMicrosPerSend.toFixed(0)} µs/send (= ${Math.round(1e6 / cpuMicrosPerSend)} sends/s per core); accepted ${stats.accepted}, webhook events delivered ${stats.webhooks.eventsDelivered} in ${stats.webhooks.batchesDelivered} batches\n`,
  );
  await sim.close();
  await sink?.close();
}

// The load generator: plain JavaScript in its own process, so the simulator's CPU time is its own.
const LOAD_SCRIPT = `
const { Pool } = require('undici');
const [url, total, concurrency] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const pool = new Pool(url, { connections: concurrency });
let next = 0;
async function worker() {
  while (next < total) {
    const i = next++;
    const body = JSON.stringify({
      messaging_product: 'whatsapp', to: '+4477009' + String(i).padStart(5, '0'), type: 'template',
      biz_opaque_callback_data: 'm' + i,
      template: { name: 'order_update', language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: '#' + i }, { type: 'text', text: 'shipped' }] }] },
    });
    const res = await pool.request({ path: '/v23.0/100/messages', method: 'POST',
      headers: { authorization: 'Bearer bench', 'content-type': 'application/json' }, body });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error('status ' + res.statusCode);
  }
}
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, worker)).then(async () => {
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  process.stdout.write(String(seconds));
});
`;

await run(false);
await run(true);

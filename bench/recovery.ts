// bench:recovery — twenty kill -9s at random moments during a 50,000-message campaign (limiter off,
// WA_MPS=0), against the simulator in its own process, which also drops some connections after
// accepting. Prints the duplicates and losses (both must be zero) and, for each restart, how long
// until Chorus was sending again (target < 5 s).
// Usage: npm run bench:recovery -- [--messages N] [--kills K] [--seed S] [--postgres]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/store/testing.ts';
import {
  acceptedSends,
  type CampaignState,
  contactsCsv,
  countBy,
  launchCampaign,
  seededRandom,
  waitForCompletion,
} from '../test/e2e/support/campaign-run.ts';
import {
  type ChorusProcess,
  chorusApi,
  chorusEnvFor,
  freePort,
  killHard,
  startChorusProcess,
  startSimulatorProcess,
  stopChild,
  waitFor,
} from '../test/e2e/support/processes.ts';
import { hasFlag, numberOption } from './support/args.ts';
import { npmStartNodeFlags } from './support/chorus-process.ts';
import { describeMachine, sleep } from './support/machine.ts';

const MESSAGES = numberOption('--messages', 50_000);
const KILLS = numberOption('--kills', 20);
const SEED = numberOption('--seed', Date.now() % 1_000_000);
const API_KEY = 'bench-recovery-key';

/** One restart: how long until /healthz answered and until the simulator accepted a new send. */
interface Restart {
  killedAtAccepted: number;
  healthyMs: number;
  sendingMs: number;
  /** Messages queued when the restart came up; 0 when all that was left were unknown outcomes. */
  pendingAtRestart: number;
  /** Messages the killed process held (`sending`): they wait for a webhook or the reconciliation window. */
  heldAtRestart: number;
}

const random = seededRandom(SEED);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-recovery-'));
const isPostgres = hasFlag('--postgres');
const databaseUrl = isPostgres ? (await createPostgresDatabase()).url : `sqlite:${path.join(dir, 'chorus.db')}`;
console.log(`bench:recovery — ${describeMachine()}`);
console.log(
  `${MESSAGES} messages, ${KILLS} kill -9s, seed ${SEED}, ${isPostgres ? 'PostgreSQL' : 'SQLite'}; logs in ${dir}`,
);

// The server as `npm start` runs it: its node flags are part of what is measured.
const nodeFlags = npmStartNodeFlags();
console.log(`chorus start runs with npm start's node flags: ${nodeFlags.join(' ') || '(none)'}`);
const port = await freePort();
const sim = await startSimulatorProcess(
  {
    isMpsCapEnforced: false,
    isPairRateEnforced: false,
    dailyRecipientLimit: null,
    dropAfterAcceptRate: 0.01,
    webhookMaxAttempts: 1_000_000,
    webhookRetryBaseMs: 50,
    acceptedLogLimit: MESSAGES * 2,
  },
  `http://127.0.0.1:${port}/webhooks/whatsapp`,
  path.join(dir, 'simulator.log'),
);
const env = chorusEnvFor(
  { port, databaseUrl, apiKey: API_KEY, simulatorUrl: sim.url },
  {
    WA_MPS: '0',
    WA_DAILY_LIMIT: String(MESSAGES * 2),
    CHORUS_LEASE_MS: '5000',
    // The default reconciliation window (60 s). It must outlast the provider's redelivery after
    // outages: the simulator backs off up to 30 s (×1.5 jitter) between retries of one batch, so a
    // window of 5 or 20 s resends accepted messages whose webhooks are still on their way.
    CHORUS_RECONCILE_MS: '60000',
  },
);
const logFile = path.join(dir, 'chorus.log');
const acceptedNow = async () => (await sim.control<{ accepted: number }>('GET', 'stats')).accepted;

let chorus: ChorusProcess | undefined;
try {
  const startedAt = Date.now();
  chorus = await startChorusProcess(env, logFile, nodeFlags);
  const api = chorusApi(chorus.url, API_KEY);
  const { csv, phones } = contactsCsv('bench', MESSAGES, 0);
  const campaignId = await launchCampaign(api, 'bench', csv);
  const launchedAt = Date.now();
  console.log(`imported and launched in ${((launchedAt - startedAt) / 1000).toFixed(1)} s`);

  // Kill points spread over the campaign at random; each waits for the restart to send again first.
  const targets = Array.from({ length: KILLS }, () => Math.floor(random() * 0.95 * MESSAGES)).sort((a, b) => a - b);
  const restarts: Restart[] = [];
  for (const target of targets) {
    await waitFor(`${target} accepted`, async () => ((await acceptedNow()) >= target ? true : undefined), 120_000, 10);
    await sleep(random() * 250);
    await killHard(chorus.child);
    const killedAtAccepted = await acceptedNow();
    const restartedAt = Date.now();
    chorus = await startChorusProcess(env, logFile, nodeFlags);
    const healthyMs = Date.now() - restartedAt;
    const { json: atRestart } = await api<CampaignState>('GET', `/api/v1/campaigns/${campaignId}`);
    await waitFor(
      'sending again',
      async () => ((await acceptedNow()) > killedAtAccepted ? true : undefined),
      60_000,
      10,
    );
    restarts.push({
      killedAtAccepted,
      healthyMs,
      sendingMs: Date.now() - restartedAt,
      pendingAtRestart: atRestart.counts.pending ?? 0,
      heldAtRestart: atRestart.counts.sending ?? 0,
    });
  }

  const final = await waitForCompletion(api, campaignId, 300_000, 250);
  const finishedAt = Date.now();
  const accepted = await acceptedSends(sim);
  const perCallback = countBy(accepted, (m) => m.callbackData ?? '(none)');
  const duplicates = [...perCallback.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0);
  const perPhone = countBy(accepted, (m) => `+${m.to.replace(/\D/g, '')}`);
  const lost = phones.filter((p) => !perPhone.has(p)).length;
  const stats = await sim.control<{ accepted: number; duplicateCallbackData: number; faults: { dropped: number } }>(
    'GET',
    'stats',
  );

  // A restart with nothing queued cannot send before a reconciliation window ends: every message
  // left was in flight at some kill, and only a webhook or the window may release it (no resend
  // of what Meta may have accepted). Those restarts are listed, not counted in the target.
  const withWork = restarts.filter((r) => r.pendingAtRestart > 0);
  const sending = withWork.map((r) => r.sendingMs).sort((a, b) => a - b);
  const healthy = restarts.map((r) => r.healthyMs).sort((a, b) => a - b);
  const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log('');
  console.log('restart  killed at (accepted)  healthy   sending again  pending  held (sending)');
  restarts.forEach((r, i) => {
    console.log(
      `${String(i + 1).padStart(7)}  ${String(r.killedAtAccepted).padStart(20)}  ${s(r.healthyMs).padStart(7)}  ${s(r.sendingMs).padStart(14)}  ${String(r.pendingAtRestart).padStart(7)}  ${String(r.heldAtRestart).padStart(14)}`,
    );
  });
  console.log('');
  console.log(`campaign:          ${final.status} in ${s(finishedAt - launchedAt)} after launch`);
  console.log(`counts:            ${JSON.stringify(final.counts)}`);
  console.log(`accepted by sim:   ${stats.accepted} (${perPhone.size} distinct recipients of ${MESSAGES})`);
  console.log(`duplicates:        ${duplicates} (simulator's own count: ${stats.duplicateCallbackData})`);
  console.log(`lost:              ${lost}`);
  console.log(`dropped after accepting (unknown outcomes): ${stats.faults.dropped}`);
  console.log(`restart → healthy:       median ${s(pct(healthy, 0.5))}, max ${s(healthy.at(-1) ?? 0)}`);
  console.log(
    `restart → sending again: median ${s(pct(sending, 0.5))}, p90 ${s(pct(sending, 0.9))}, max ${s(sending.at(-1) ?? 0)} (target < 5 s) over the ${withWork.length} restarts with messages queued`,
  );
  const idle = restarts.length - withWork.length;
  if (idle > 0)
    console.log(`${idle} restart(s) found nothing queued: only unknown outcomes were left, waiting out their window`);
  const isOk = final.status === 'completed' && duplicates === 0 && lost === 0;
  console.log(isOk ? 'OK: zero duplicates, zero lost' : 'FAILED');
  process.exitCode = isOk ? 0 : 1;
} finally {
  if (chorus) await stopChild(chorus.child, 'SIGKILL');
  await sim.stop();
  if (isPostgres) await dropPostgresDatabase(databaseUrl);
  if (process.exitCode === 0) fs.rmSync(dir, { recursive: true, force: true });
}

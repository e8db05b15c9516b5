// Signed status-webhook batches, shaped and signed the way Meta sends them (reference/cloud-api.md
// §4), replayed over loopback with a bounded number of POSTs in flight.
import { Pool } from 'undici';
import { buildEnvelope } from '../../src/simulator/webhook-payloads.ts';
import { signBody } from '../../src/simulator/webhook-sender.ts';
import { BENCH_IDS } from './sim-process.ts';

/** One status update to replay. */
export interface ReplayStatus {
  wamid: string;
  status: 'sent' | 'delivered' | 'read';
  timestampSec: number;
  recipient: string;
  callbackData: string;
}

/** A batch ready to post: the raw body and its signature. */
export interface SignedBatch {
  body: string;
  signature: string;
  events: number;
}

/** Builds one signed `messages` change carrying these statuses. */
export function signBatch(statuses: readonly ReplayStatus[]): SignedBatch {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: BENCH_IDS.businessAccountId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: BENCH_IDS.phoneNumberId },
              statuses: statuses.map((s) => ({
                id: s.wamid,
                status: s.status,
                timestamp: String(s.timestampSec),
                recipient_id: s.recipient,
                biz_opaque_callback_data: s.callbackData,
                pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
              })),
            },
          },
        ],
      },
    ],
  });
  return { body, signature: signBody(BENCH_IDS.appSecret, body), events: statuses.length };
}

/** The statuses replayed for every message, one wave each, in their true order. */
export const STATUS_WAVES = ['sent', 'delivered', 'read'] as const;

/**
 * Signed batches of `batchSize` carrying sent, delivered and read for every message, each in its
 * own wave per slice of messages, plus 1% repeats: Meta retries and fans out, so expect
 * duplicates (reference/cloud-api.md §4).
 */
export function statusBatches(
  messages: readonly { id: number; wamid: string; phone: string }[],
  batchSize: number,
): SignedBatch[] {
  const baseSec = Math.floor(Date.now() / 1000);
  const events: ReplayStatus[] = [];
  for (let start = 0; start < messages.length; start += batchSize) {
    const slice = messages.slice(start, start + batchSize);
    STATUS_WAVES.forEach((status, i) => {
      for (const m of slice) {
        events.push({
          wamid: m.wamid,
          status,
          timestampSec: baseSec + i,
          recipient: m.phone.slice(1),
          callbackData: String(m.id),
        });
      }
    });
  }
  for (let i = 0; i < events.length; i += 100) events.push(events[i] as ReplayStatus);
  const batches: SignedBatch[] = [];
  for (let i = 0; i < events.length; i += batchSize) batches.push(signBatch(events.slice(i, i + batchSize)));
  return batches;
}

/** Builds one signed `messages` change carrying a text a user wrote (an inbound message, §4). */
export function signInboundText(inbound: {
  from: string;
  wamid: string;
  text: string;
  timestampSec: number;
}): SignedBatch {
  const waId = inbound.from.replace(/^\+/, '');
  const message = { from: waId, id: inbound.wamid, timestamp: String(inbound.timestampSec), type: 'text' as const };
  const envelope = buildEnvelope(
    [{ kind: 'inbound', message: { ...message, text: { body: inbound.text } }, contact: { wa_id: waId } }],
    { ...BENCH_IDS, displayPhoneNumber: '15550000000' },
    inbound.timestampSec,
  );
  const body = JSON.stringify(envelope);
  return { body, signature: signBody(BENCH_IDS.appSecret, body), events: 1 };
}

/** What a replay measured. */
export interface ReplayResult {
  seconds: number;
  events: number;
  non200: number;
  latenciesMs: number[];
  /** When each POST went out, in ms since the replay began (same order as latenciesMs). */
  sentAtMs: number[];
}

/** The timings a replay gathers as its POSTs are answered. */
class ReplayRecorder {
  readonly latenciesMs: number[] = [];
  readonly sentAtMs: number[] = [];
  non200 = 0;
  events = 0;
  readonly started = performance.now();

  /** Posts one batch and records its answer. */
  async post(pool: Pool, path: string, batch: SignedBatch): Promise<void> {
    const t0 = performance.now();
    const answer = await pool.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': batch.signature },
      body: batch.body,
    });
    await answer.body.dump();
    this.latenciesMs.push(performance.now() - t0);
    this.sentAtMs.push(t0 - this.started);
    if (answer.statusCode === 200) this.events += batch.events;
    else this.non200++;
  }

  result(): ReplayResult {
    const seconds = (performance.now() - this.started) / 1000;
    return {
      seconds,
      events: this.events,
      non200: this.non200,
      latenciesMs: this.latenciesMs,
      sentAtMs: this.sentAtMs,
    };
  }
}

/** Posts every batch to `url` with `concurrency` in flight; answers timings of each POST. */
export async function replay(url: string, batches: readonly SignedBatch[], concurrency: number): Promise<ReplayResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: concurrency });
  const recorder = new ReplayRecorder();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < batches.length; i = next++)
      await recorder.post(pool, target.pathname, batches[i] as SignedBatch);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.close();
  return recorder.result();
}

/**
 * Posts the batches at a steady `batchesPerSec`, as Meta delivers them: each leaves on its own
 * schedule whatever the answers before it are doing (up to `maxInFlight` open at once), so a slow
 * answer shows in the timings instead of quietly slowing the sender down.
 */
export async function replayAtRate(
  url: string,
  batches: readonly SignedBatch[],
  batchesPerSec: number,
  maxInFlight: number,
): Promise<ReplayResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: maxInFlight });
  const recorder = new ReplayRecorder();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < batches.length; i++) {
    const dueMs = (i * 1000) / batchesPerSec - (performance.now() - recorder.started);
    if (dueMs > 1) await new Promise((resolve) => setTimeout(resolve, dueMs));
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const posted: Promise<void> = recorder.post(pool, target.pathname, batches[i] as SignedBatch).finally(() => {
      inFlight.delete(posted);
    });
    inFlight.add(posted);
  }
  await Promise.all(inFlight);
  await pool.close();
  return recorder.result();
}

/** The p-th percentile (0..1) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** p50/p99 of the answers sent in each `windowMs` slice of a replay, to show when slow answers happen. */
export function latencyTimeline(result: ReplayResult, windowMs: number): string {
  const windows = new Map<number, number[]>();
  result.sentAtMs.forEach((at, i) => {
    const w = Math.floor(at / windowMs);
    windows.set(w, [...(windows.get(w) ?? []), result.latenciesMs[i] as number]);
  });
  return [...windows]
    .map(
      ([w, samples]) =>
        `${(w * windowMs) / 1000}s ${percentile(samples, 0.5).toFixed(0)}/${percentile(samples, 0.99).toFixed(0)}`,
    )
    .join('  ');
}

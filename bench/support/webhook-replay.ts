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

/** Posts every batch to `url` with `concurrency` in flight; answers timings of each POST. */
export async function replay(url: string, batches: readonly SignedBatch[], concurrency: number): Promise<ReplayResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: concurrency });
  const latenciesMs: number[] = [];
  const sentAtMs: number[] = [];
  let next = 0;
  let non200 = 0;
  let events = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < batches.length; i = next++) {
      const batch = batches[i] as SignedBatch;
      const t0 = performance.now();
      const answer = await pool.request({
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': batch.signature },
        body: batch.body,
      });
      await answer.body.dump();
      latenciesMs.push(performance.now() - t0);
      sentAtMs.push(t0 - started);
      if (answer.statusCode === 200) events += batch.events;
      else non200++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { seconds, events, non200, latenciesMs, sentAtMs };
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

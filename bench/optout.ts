// bench:optout — how long a STOP keeps Meta's webhook waiting, beside an ordinary reply, while a
// large campaign waits in the outbox. A real `chorus start` process materialises a campaign of N
// recipients and sends it at Meta's default 80 msg/s, so nearly all of it stays `pending`; then the
// bench posts signed inbound texts from recipients near the end of the queue, one at a time,
// alternating "STOP" and an ordinary reply, and times each answer from the outside. A STOP is
// applied before the 200 (suppression, consent ledger, and the number's pending messages skipped);
// a reply is only stored. At the end it checks that every STOP skipped its message and no reply did.
// Usage: npm run bench:optout -- [--pending N] [--samples N] [--rate MPS]
import { sql } from 'kysely';
import type { MessageStatus } from '../src/domain/message-status.ts';
import type { Database } from '../src/store/db.ts';
import { numberOption } from './support/args.ts';
import { startMaterialisedCampaign } from './support/bench-stack.ts';
import { readCampaign } from './support/campaign.ts';
import { benchPhone } from './support/contacts.ts';
import { describeMachine } from './support/machine.ts';
import { percentile, replay, type SignedBatch, signInboundText } from './support/webhook-replay.ts';

const PENDING = numberOption('--pending', 1_000_000);
const SAMPLES = numberOption('--samples', 40);
const RATE = numberOption('--rate', 80);
// Untimed pairs first: the server's first requests compile code and prepare statements.
const WARM_UP_PAIRS = 5;

/** Recipients from the end of the queue (claimed last): STOPs, then replies, after the warm-up's. */
function pickSenders(): { stops: string[]; replies: string[] } {
  const last = (offset: number) => Array.from({ length: SAMPLES + WARM_UP_PAIRS }, (_, i) => benchPhone(offset - i));
  return { stops: last(PENDING - 1), replies: last(PENDING - 1 - SAMPLES - WARM_UP_PAIRS) };
}

/** STOP, reply, STOP, reply…: each pair posted back to back, one request in flight. */
function buildInbound(stops: string[], replies: string[]): SignedBatch[] {
  const nowSec = Math.floor(Date.now() / 1000);
  return stops.flatMap((stop, i) => [
    signInboundText({ from: stop, wamid: `wamid.stop.${i}`, text: 'STOP', timestampSec: nowSec }),
    signInboundText({
      from: replies[i] as string,
      wamid: `wamid.reply.${i}`,
      text: 'Thanks, see you Friday',
      timestampSec: nowSec,
    }),
  ]);
}

async function main(): Promise<void> {
  console.log(`bench:optout — ${describeMachine()}`);
  const { stack, campaignId: id } = await startMaterialisedCampaign('optout', PENDING, RATE);
  const { chorus, reader } = stack;
  try {
    const { stops, replies } = pickSenders();
    const inbound = buildInbound(stops, replies);
    const pendingBefore = await countMessages(reader, Number(id), 'pending');
    const result = await replay(`${chorus.url}/webhooks/whatsapp`, inbound, 1);
    const timed = result.latenciesMs.slice(2 * WARM_UP_PAIRS);
    const stopMs = timed.filter((_, i) => i % 2 === 0);
    const replyMs = timed.filter((_, i) => i % 2 === 1);
    const final = await readCampaign(chorus, id);
    console.log(
      `${SAMPLES} STOPs and ${SAMPLES} replies (after ${WARM_UP_PAIRS} untimed pairs), one request in flight, ` +
        `with ${pendingBefore.toLocaleString('en')} messages pending while the campaign sends at ${RATE} msg/s`,
    );
    console.table({
      'STOP answer': summary(stopMs),
      'reply answer': summary(replyMs),
    });
    const skippedStops = await countMessages(reader, Number(id), 'skipped', stops);
    const skippedReplies = await countMessages(reader, Number(id), 'skipped', replies);
    console.log(
      `  non-200 answers: ${result.non200}; STOP senders' messages skipped: ${skippedStops} (expected ${stops.length}); ` +
        `reply senders' messages skipped: ${skippedReplies} (expected 0); ` +
        `campaign ${final.status}, ${(final.counts.pending ?? 0).toLocaleString('en')} pending`,
    );
  } finally {
    await stack.close();
  }
}

function summary(samplesMs: number[]): Record<string, number> {
  return {
    'p50 ms': Number(percentile(samplesMs, 0.5).toFixed(1)),
    'p99 ms': Number(percentile(samplesMs, 0.99).toFixed(1)),
  };
}

/** Messages of the campaign in `status`, to these phones only when given. */
async function countMessages(
  reader: Database,
  campaignId: number,
  status: MessageStatus,
  phones?: string[],
): Promise<number> {
  let query = reader.db
    .selectFrom('messages')
    .select(sql<number>`count(*)`.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', status);
  if (phones) query = query.where('phone', 'in', phones);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

await main();

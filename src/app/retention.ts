import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import type { RetentionPolicy } from '../config.ts';
import type { Database } from '../store/db.ts';
import { settleErasureFollowups } from '../store/erasure-repo.ts';
import {
  campaignMessageIdRange,
  deleteClosedRecipientWindows,
  deleteOldWebhookRows,
  findCampaignWithOldBodies,
  markBodiesPurged,
  type PurgeStep,
  purgeBodiesInRange,
  purgeInbound,
  purgeStatusEventPayloads,
} from '../store/retention-repo.ts';

/** What a retention run purged, by kind. */
export interface RetentionReport {
  status_event_payloads: number;
  inbound_payloads: number;
  unrouted_webhook_events: number;
  set_aside_inbox_batches: number;
  reply_texts: number;
  message_bodies: number;
  campaigns_with_bodies_purged: number;
  /** Messages of erased people whose in-flight send was answered since, scrubbed again. */
  erasure_followups: number;
  /** Recipient records (a number per sender) no limit needs any more: always purged. */
  closed_recipient_windows: number;
}

/** Rows one purge transaction touches at most: a few milliseconds of SQLite's write lock. */
export const RETENTION_BATCH_ROWS = 2_000;
const DAY_MS = 86_400_000;
// The limits look back 24 hours; a day more leaves room for clocks that disagree.
const RECIPIENT_WINDOW_KEPT_MS = 2 * DAY_MS;

/** Runs one purge batch after batch, letting other work in between, and answers what it changed in all. */
async function drain(step: () => Promise<PurgeStep>): Promise<number> {
  let total = 0;
  for (;;) {
    const { changed, isDone } = await step();
    total += changed;
    if (isDone) return total;
    await nextTurnOfEventLoop();
  }
}

/**
 * Purges what the policy says is too old (docs/data-rights.md): raw webhook payloads after
 * `payloadDays`, message bodies and reply texts after `bodyDays`; statuses, times and counts stay.
 * Always, whatever the policy: finishes erasures whose messages were in flight, and forgets
 * recipient records the sending limits no longer need. Safe to run again at any time, from any process.
 */
export async function runRetention(
  database: Database,
  policy: RetentionPolicy,
  clock: () => number,
  batchRows = RETENTION_BATCH_ROWS,
): Promise<RetentionReport> {
  const { db } = database;
  const now = clock();
  const report: RetentionReport = {
    status_event_payloads: 0,
    inbound_payloads: 0,
    unrouted_webhook_events: 0,
    set_aside_inbox_batches: 0,
    reply_texts: 0,
    message_bodies: 0,
    campaigns_with_bodies_purged: 0,
    erasure_followups: await settleErasureFollowups(db),
    closed_recipient_windows: await drain(() =>
      deleteClosedRecipientWindows(db, now - RECIPIENT_WINDOW_KEPT_MS, batchRows),
    ),
  };
  const limit = batchRows;
  if (policy.payloadDays !== undefined) {
    const cutoff = now - policy.payloadDays * DAY_MS;
    report.status_event_payloads = await drain(() => purgeStatusEventPayloads(db, cutoff, limit));
    report.inbound_payloads = await drain(() => purgeInbound(db, 'payload', cutoff, limit));
    report.unrouted_webhook_events = await drain(() => deleteOldWebhookRows(db, 'webhook_unrouted', cutoff, limit));
    report.set_aside_inbox_batches = await drain(() => deleteOldWebhookRows(db, 'webhook_inbox', cutoff, limit));
  }
  if (policy.bodyDays !== undefined) {
    const cutoff = now - policy.bodyDays * DAY_MS;
    report.reply_texts = await drain(() => purgeInbound(db, 'text', cutoff, limit));
    await purgeCampaignBodies(database, { cutoffMs: cutoff, now, batchRows }, report);
  }
  return report;
}

/** Drops the bodies of every campaign that ended before the cutoff, one id slice per transaction. */
async function purgeCampaignBodies(
  database: Database,
  run: { cutoffMs: number; now: number; batchRows: number },
  report: RetentionReport,
) {
  const { db } = database;
  for (;;) {
    const campaignId = await findCampaignWithOldBodies(db, run.cutoffMs);
    if (campaignId === undefined) return;
    const range = await campaignMessageIdRange(db, campaignId);
    for (let from = range?.first ?? 1; range && from <= range.last; from += run.batchRows) {
      report.message_bodies += await purgeBodiesInRange(db, campaignId, from, from + run.batchRows);
      await nextTurnOfEventLoop();
    }
    await markBodiesPurged(db, campaignId, run.now);
    report.campaigns_with_bodies_purged++;
  }
}

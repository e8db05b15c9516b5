import { Counter, Histogram, type Registry } from 'prom-client';
import type { IntakeObserver } from '../app/webhook-observer.ts';

// Seconds; a healthy intake applies within a second of receipt, Meta stamps events a little
// earlier, and retried webhooks can arrive hours late.
const LAG_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** Webhook intake's counters and lag histograms; also counts events no sender owns. */
export interface WebhookMetrics extends IntakeObserver {
  unrouted(count: number): void;
}

/** Counters of webhook events by kind, status changes, failures by code, and the intake lag. */
export function createWebhookMetrics(registry: Registry): WebhookMetrics {
  const events = new Counter({
    name: 'chorus_webhook_events_total',
    help: 'Events in verified webhook POSTs, by kind (status, message, template_status…) and, for statuses, the status.',
    labelNames: ['kind', 'status'],
    registers: [registry],
  });
  const changes = new Counter({
    name: 'chorus_webhook_status_changes_total',
    help: 'Message statuses moved forward by webhooks (duplicates and late events change nothing and are not counted).',
    labelNames: ['status'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'chorus_webhook_failures_total',
    help: "Messages a webhook marked failed, by Meta's error code.",
    labelNames: ['code'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'chorus_webhook_lag_seconds',
    help: "Time until a webhook event was applied: since Meta's event timestamp (since=event, 1 s resolution) or since Chorus received it (since=receipt).",
    labelNames: ['since'],
    buckets: LAG_SECONDS_BUCKETS,
    registers: [registry],
  });
  const unrouted = new Counter({
    name: 'chorus_webhook_unrouted_events_total',
    help: 'Webhook events for a phone number or business account no sender has: stored in webhook_unrouted, not applied.',
    registers: [registry],
  });
  // A webhook brings hundreds of events: each series is looked up once a batch, not once an event.
  const sinceReceipt = lag.labels({ since: 'receipt' });
  const sinceEvent = lag.labels({ since: 'event' });
  return {
    received(batch) {
      const byKind = new Map<string, { kind: string; status: string; count: number }>();
      for (const event of batch) {
        const status = event.kind === 'status' ? event.status : '';
        const key = `${event.kind}\u0000${status}`;
        const seen = byKind.get(key);
        if (seen) seen.count++;
        else byKind.set(key, { kind: event.kind, status, count: 1 });
      }
      for (const { kind, status, count } of byKind.values()) events.inc({ kind, status }, count);
    },
    applied({ appliedAt, events: applied, changed }) {
      for (const event of applied) {
        sinceReceipt.observe(Math.max(0, appliedAt - event.receivedAt) / 1000);
        if (event.occurredAt !== null) sinceEvent.observe(Math.max(0, appliedAt - event.occurredAt) / 1000);
      }
      const byStatus = new Map<string, number>();
      for (const change of changed) {
        byStatus.set(change.status, (byStatus.get(change.status) ?? 0) + 1);
        if (change.status === 'failed') failures.inc({ code: String(change.errorCode ?? 'none') });
      }
      for (const [status, count] of byStatus) changes.inc({ status }, count);
    },
    unrouted: (count) => unrouted.inc(count),
  };
}

import { Gauge, type Registry } from 'prom-client';
import type { DispatchSnapshot } from '../dispatch/dispatch-observer.ts';

/** Where the sender gauges read from: each running send loop's snapshot. */
export type SenderSnapshots = () => readonly { senderId: string; snapshot: DispatchSnapshot }[];

/** One gauge per figure of a send loop's snapshot, read at each scrape (memory only, no I/O). */
export function registerSenderGauges(registry: Registry, snapshots: SenderSnapshots): void {
  const figures: [name: string, help: string, read: (s: DispatchSnapshot) => number | null][] = [
    [
      'chorus_sender_cap_messages_per_second',
      "The sender's configured throughput cap (WA_MPS or the sender's mps); 0 when the limit is off.",
      (s) => s.limits.capPerSec,
    ],
    [
      'chorus_sender_allowed_messages_per_second',
      'The rate the limiter lets through now: the cap, or less for a while after a throughput error (130429).',
      (s) => s.limits.allowedPerSec,
    ],
    [
      'chorus_sender_sent_last_second',
      'Send requests started in the last second: the current send rate, to compare with the cap.',
      (s) => s.limits.sentLastSecond,
    ],
    ['chorus_sender_requests_in_flight', 'Send requests waiting for their answer.', (s) => s.inFlight],
    [
      'chorus_sender_daily_recipients',
      'Unique recipients reached in the rolling 24 h, as this process counts them against the messaging limit.',
      (s) => s.limits.dailyRecipients,
    ],
    [
      'chorus_sender_daily_recipient_limit',
      "The sender's cap of unique recipients per rolling 24 h (WA_DAILY_LIMIT or the sender's daily_limit).",
      (s) => s.limits.dailyRecipientLimit,
    ],
  ];
  for (const [name, help, read] of figures) {
    new Gauge({
      name,
      help,
      labelNames: ['sender'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { senderId, snapshot } of snapshots()) {
          const value = read(snapshot);
          if (value !== null) this.set({ sender: senderId }, value);
        }
      },
    });
  }
}

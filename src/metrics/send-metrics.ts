import { Counter, Histogram, type Registry } from 'prom-client';
import type { SendObserver } from '../dispatch/dispatch-observer.ts';

// Seconds; Meta answers most sends in 50–500 ms, and the client gives up after 15 s.
const SEND_SECONDS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

/** Counters of the sends this process decided: by outcome, by Meta error code and class, retries, and latency. */
export function createSendMetrics(registry: Registry): SendObserver {
  const sends = new Counter({
    name: 'chorus_sends_total',
    help: 'Send attempts answered (or given up on) by this process, by what was decided: accepted, retry, unknown (outcome unknown, waiting for a webhook) or failed.',
    labelNames: ['sender', 'outcome'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'chorus_send_errors_total',
    help: "Send attempts that did not get a wamid, by Meta's error code (none: no answer, e.g. a timeout) and its class.",
    labelNames: ['sender', 'code', 'error_class'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'chorus_send_retries_total',
    help: 'Send attempts put back in the queue to be tried again, by error class.',
    labelNames: ['sender', 'error_class'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'chorus_send_duration_seconds',
    help: 'Time from a send request leaving to its answer.',
    labelNames: ['sender'],
    buckets: SEND_SECONDS_BUCKETS,
    registers: [registry],
  });
  return {
    sendDecided(senderId, result) {
      const { attempt } = result;
      sends.inc({ sender: senderId, outcome: result.kind });
      seconds.observe({ sender: senderId }, Math.max(0, attempt.finished_at - attempt.started_at) / 1000);
      if (attempt.outcome === 'accepted') return;
      const errorClass = attempt.error_class ?? 'unknown_outcome';
      errors.inc({ sender: senderId, code: String(attempt.error_code ?? 'none'), error_class: errorClass });
      if (result.kind === 'retry') retries.inc({ sender: senderId, error_class: errorClass });
    },
  };
}

// A short run of bench:webhook-flood: status webhooks posted at a steady 5,000 events a second
// for five seconds beside a dispatching campaign, against a real `chorus start` process. Every
// event must be answered 200, stored once and applied (the timing is the benchmark's to judge,
// on a quiet machine).
import { describe, expect, it } from 'vitest';
import { runWebhookFlood } from '../../bench/support/webhook-flood.ts';

describe('a webhook flood beside a dispatching campaign', () => {
  it('answers, stores and applies every event', async () => {
    const result = await runWebhookFlood({
      seconds: 5,
      eventsPerSec: 5_000,
      batchSize: 50,
      dispatchPerSec: 200,
      applyTimeoutMs: 30_000,
      onStep: (step) => console.log(`webhook flood: ${step}`),
    });
    expect(result.replay.non200).toBe(0);
    expect(result.replay.events).toBeGreaterThanOrEqual(result.distinctEvents);
    expect(result.storedEvents).toBe(result.distinctEvents);
    expect(result.completeMessages).toBe(result.messages);
    expect(result.dispatchedPerSec).toBeGreaterThan(0);
  }, 180_000);
});

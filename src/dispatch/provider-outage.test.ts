import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SendOutcome } from '../domain/outbound-message.ts';
import { createLogger } from '../logger.ts';
import { isOutageFailure, ProviderOutage } from './provider-outage.ts';

const OPTIONS = { threshold: 3, basePauseMs: 1_000, maxPauseMs: 4_000 };
const OK: SendOutcome = { ok: true, wamid: 'wamid.1', messageStatus: 'accepted' };

function failed(errorClass: 'retryable' | 'unknown_outcome' | 'recipient_permanent', httpStatus: number | null) {
  const error = { errorClass, code: null, subcode: null, title: 'down', details: null, fbtraceId: null, httpStatus };
  return { ok: false, error } as const;
}

/** A breaker whose log lines are kept as their messages. */
function breaker() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
      done();
    },
  });
  return { outage: new ProviderOutage(createLogger('info', sink), OPTIONS), lines };
}

describe('isOutageFailure', () => {
  it('counts server errors, failed connections and silence, never a message’s own error', () => {
    expect(isOutageFailure(failed('retryable', 503))).toBe(true);
    expect(isOutageFailure(failed('retryable', null))).toBe(true);
    expect(isOutageFailure(failed('unknown_outcome', null))).toBe(true);
    expect(isOutageFailure(failed('unknown_outcome', 200))).toBe(false);
    expect(isOutageFailure(failed('retryable', 400))).toBe(false);
    expect(isOutageFailure(failed('recipient_permanent', 400))).toBe(false);
    expect(isOutageFailure(OK)).toBe(false);
  });
});

describe('ProviderOutage', () => {
  it('stays up through fewer failures in a row than the threshold', () => {
    const { outage } = breaker();
    outage.note(failed('retryable', 500), 0, 10);
    outage.note(failed('retryable', 500), 0, 20);
    outage.note(OK, 0, 30);
    outage.note(failed('retryable', 500), 0, 40);
    expect(outage.isDown).toBe(false);
    expect(outage.allowance(50)).toBe(Number.POSITIVE_INFINITY);
  });

  it('pauses after a run of failures, lets one probe through per pause, doubling, and says so', async () => {
    const { outage, lines } = breaker();
    for (const at of [10, 20, 30]) outage.note(failed('unknown_outcome', null), 0, at);
    expect(outage.isDown).toBe(true);
    expect(outage.allowance(500)).toBe(0);
    expect(outage.waitMs(500)).toBe(530);
    // A send that left before the outage was seen says nothing new.
    outage.note(failed('retryable', 503), 5, 600);
    expect(outage.waitMs(600)).toBe(430);
    expect(outage.allowance(1_030)).toBe(1);
    expect(outage.allowance(1_031)).toBe(0);
    outage.note(failed('retryable', 503), 1_030, 1_100);
    expect(outage.waitMs(1_100)).toBe(2_000);
    outage.note(failed('retryable', 503), 3_100, 3_200);
    outage.note(failed('retryable', 503), 7_200, 7_300);
    // Capped at maxPauseMs.
    expect(outage.waitMs(7_300)).toBe(4_000);
    outage.note(OK, 11_300, 11_400);
    expect(outage.isDown).toBe(false);
    expect(outage.allowance(11_400)).toBe(Number.POSITIVE_INFINITY);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      'Cloud API unavailable: sending paused; one message will probe it until it answers again',
      'Cloud API answers again: sending resumed',
    ]);
  });

  it('grants another probe when one never answers', () => {
    const { outage } = breaker();
    for (const at of [1, 2, 3]) outage.note(failed('retryable', null), 0, at);
    expect(outage.allowance(1_003)).toBe(1);
    expect(outage.allowance(2_003)).toBe(1);
  });
});

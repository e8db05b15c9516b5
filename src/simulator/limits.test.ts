// Limits with an injected clock: throughput (130429), pair rate (131056), messaging limit, window (131047).
import { afterEach, describe, expect, it } from 'vitest';
import { MarketingCap, PairRate, ThroughputWindow, UniqueRecipients } from './limits.ts';
import { bodyParams, startTestSimulator, templateSend } from './testing.ts';

describe('ThroughputWindow', () => {
  it('takes N per sliding second, then refuses until the oldest is a second old', () => {
    const window = new ThroughputWindow(3);
    expect([0, 100, 200].map((t) => window.tryTake(t))).toEqual([true, true, true]);
    expect(window.tryTake(999)).toBe(false);
    expect(window.tryTake(1000)).toBe(true);
    expect(window.tryTake(1050)).toBe(false);
    expect(window.tryTake(1100)).toBe(true);
  });
});

describe('PairRate', () => {
  it('allows a burst, then one per interval, per recipient', () => {
    const pair = new PairRate();
    expect([0, 0, 0].map((t) => pair.tryTake('a', t, 6000, 2))).toEqual([true, true, false]);
    expect(pair.tryTake('b', 0, 6000, 2)).toBe(true);
    expect(pair.tryTake('a', 5999, 6000, 2)).toBe(false);
    expect(pair.tryTake('a', 6000, 6000, 2)).toBe(true);
    expect(pair.tryTake('a', 6001, 6000, 2)).toBe(false);
  });
});

describe('UniqueRecipients', () => {
  it('counts users once per rolling 24 h and refuses new ones over the limit', () => {
    const unique = new UniqueRecipients();
    expect(unique.tryAdd('a', 0, 2)).toBe(true);
    expect(unique.tryAdd('a', 10, 2)).toBe(true);
    expect(unique.tryAdd('b', 20, 2)).toBe(true);
    expect(unique.tryAdd('c', 30, 2)).toBe(false);
    expect(unique.tryAdd('c', 24 * 3600_000, 2)).toBe(true);
    expect(unique.size).toBe(2);
  });
});

describe('MarketingCap', () => {
  it('refuses the user past the cap until a day has passed', () => {
    const cap = new MarketingCap();
    expect([0, 1, 2].map((t) => cap.tryTake('a', t, 2))).toEqual([true, true, false]);
    expect(cap.tryTake('a', 24 * 3600_000, 2)).toBe(true);
  });
});

describe('limits over HTTP', () => {
  let nowMs = 1_750_000_000_000;
  const clock = () => nowMs;
  let h: Awaited<ReturnType<typeof startTestSimulator>> | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers 130429 past the mps cap in one second, and accepts again a second later', async () => {
    h = await startTestSimulator({ mps: 5, isPairRateEnforced: false }, { clock });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await h.send(templateSend('hello_world', `+4477009000${i}0`))).status);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await h.send(templateSend('hello_world', '+447700900999'));
    expect(refused.json.error.code).toBe(130429);
    expect(refused.json.error.error_subcode).toBe(2494055);
    nowMs += 1000;
    expect((await h.send(templateSend('hello_world', '+447700900999'))).status).toBe(200);
    expect(h.sim.control.stats().rejectedByCode['130429']).toBe(3);
  });

  it('takes any rate with the cap off', async () => {
    h = await startTestSimulator({ mps: 2, isMpsCapEnforced: false, isPairRateEnforced: false }, { clock });
    for (let i = 0; i < 6; i++) expect((await h.send(templateSend('hello_world', `+4477009001${i}`))).status).toBe(200);
  });

  it('answers 131056 past the pair-rate burst to one recipient, not to others', async () => {
    h = await startTestSimulator({ isMpsCapEnforced: false, pairRateBurst: 2, pairRateIntervalMs: 6000 }, { clock });
    const send = (to: string) => h!.send(templateSend('hello_world', to));
    expect((await send('+447700900201')).status).toBe(200);
    expect((await send('+447700900201')).status).toBe(200);
    const third = await send('+447700900201');
    expect(third.json.error.code).toBe(131056);
    expect((await send('+447700900202')).status).toBe(200);
    nowMs += 6000;
    expect((await send('+447700900201')).status).toBe(200);
    h.sim.control.setBehaviour({ isPairRateEnforced: false });
    for (let i = 0; i < 3; i++) expect((await send('+447700900201')).status).toBe(200);
  });

  it('refuses a new unique recipient past the daily limit, but not users inside their window', async () => {
    h = await startTestSimulator(
      { isMpsCapEnforced: false, isPairRateEnforced: false, dailyRecipientLimit: 2 },
      { clock },
    );
    h.sim.control.simulateInbound({ from: '+447700900303', type: 'text', text: 'hi' });
    expect((await h.send(templateSend('hello_world', '+447700900301'))).status).toBe(200);
    expect((await h.send(templateSend('hello_world', '+447700900302'))).status).toBe(200);
    expect((await h.send(templateSend('hello_world', '+447700900301'))).status).toBe(200);
    const over = await h.send(templateSend('hello_world', '+447700900304'));
    expect(over.json.error.code).toBe(131048);
    expect((await h.send(templateSend('hello_world', '+447700900303'))).status).toBe(200);
  });

  it('answers 131047 synchronously for free-form outside the window in sync mode', async () => {
    h = await startTestSimulator({ windowErrorMode: 'sync' }, { clock });
    const text = { messaging_product: 'whatsapp', to: '+447700900401', type: 'text', text: { body: 'hello' } };
    expect((await h.send(text)).json.error.code).toBe(131047);
    h.sim.control.simulateInbound({ from: '+447700900401', type: 'text', text: 'hi' });
    expect((await h.send(text)).status).toBe(200);
    nowMs += 24 * 3600_000;
    expect((await h.send(text)).json.error.code).toBe(131047);
    // Templates need no window.
    expect((await h.send(templateSend('welcome', '+447700900401', [bodyParams('Ann')]))).status).toBe(200);
  });
});

// Faults on the send path: 5xx, slow answers, a connection dropped after acceptance, and timed
// outages of the whole endpoint (POST /_sim/faults).

import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyParams, eventually, type Json, request, startTestSimulator, TEST_IDS, templateSend } from './testing.ts';

let h: Awaited<ReturnType<typeof startTestSimulator>> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const welcome = (to: string, callbackData?: string) =>
  templateSend('welcome', to, [bodyParams('Ann')], callbackData ? { biz_opaque_callback_data: callbackData } : {});

describe('faults', () => {
  it('answers 5xx with Meta’s transient codes and accepts nothing', async () => {
    h = await startTestSimulator({ serverErrorRate: 1 });
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => h!.send(welcome(`+44770090120${i}`))));
    for (const a of answers) {
      expect([500, 503]).toContain(a.status);
      expect([131000, 2]).toContain(a.json.error.code);
    }
    expect(h.sim.control.stats()).toMatchObject({ accepted: 0, faults: { serverErrors: 6 } });
  });

  it('answers slowly at slowRate, still accepting', async () => {
    h = await startTestSimulator({ slowRate: 1, slowDelayMs: 80 });
    const started = Date.now();
    const answer = await h.send(welcome('+447700901211'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(answer.status).toBe(200);
    expect(h.sim.control.stats().faults.slow).toBe(1);
  });

  it('drops the connection after accepting: the send counts and its webhooks still flow', async () => {
    h = await startTestSimulator({ dropAfterAcceptRate: 1 });
    const pool = new Pool(h.sim.url);
    const attempt = pool.request({
      path: `/v23.0/${TEST_IDS.phoneNumberId}/messages`,
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_IDS.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(welcome('+447700901212', 'msg-42')),
    });
    await expect(attempt).rejects.toThrow();
    await pool.close();
    expect(h.sim.control.stats()).toMatchObject({ accepted: 1, faults: { dropped: 1 } });
    const [accepted] = h.sim.control.acceptedMessages();
    expect(accepted).toMatchObject({ to: '+447700901212', callbackData: 'msg-42' });
    await eventually(() => h!.statuses().filter((s: Json) => s.id === accepted?.wamid).length === 3);
    expect(h.statuses()[0].biz_opaque_callback_data).toBe('msg-42');
  });

  it('a retry after a drop shows up as a duplicate callback data', async () => {
    h = await startTestSimulator({ dropAfterAcceptRate: 1, isPairRateEnforced: false });
    await h.send(welcome('+447700901213', 'msg-43')).catch(() => undefined);
    h.sim.control.setBehaviour({ dropAfterAcceptRate: 0 });
    expect((await h.send(welcome('+447700901213', 'msg-43'))).status).toBe(200);
    expect(h.sim.control.duplicateCallbackData()).toEqual([{ callbackData: 'msg-43', count: 2 }]);
    expect(h.sim.control.stats().duplicateCallbackData).toBe(1);
  });

  it('makes the same choices for the same seed', async () => {
    const run = async () => {
      const t = await startTestSimulator({ serverErrorRate: 0.5, isPairRateEnforced: false }, { seed: 99 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await t.send(welcome('+447700901214'))).status);
      await t.close();
      return statuses;
    };
    const [first, second] = [await run(), await run()];
    expect(first).toEqual(second);
    expect(new Set(first).size).toBeGreaterThan(1);
  });
});

describe('timed outages (POST /_sim/faults)', () => {
  const faults = (body: unknown) => request(h!.sim.url, 'POST', '/_sim/faults', { body: JSON.stringify(body) });

  it('answers 503 code 2 to every send for the window, then accepts again', async () => {
    h = await startTestSimulator({ isPairRateEnforced: false });
    expect((await faults({ mode: '5xx', for_ms: 300 })).status).toBe(200);
    const during = await h.send(welcome('+447700901220', 'msg-50'));
    expect(during.status).toBe(503);
    expect(during.json.error.code).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await h.send(welcome('+447700901220', 'msg-50'))).status).toBe(200);
    expect(h.sim.control.stats()).toMatchObject({ accepted: 1, duplicateCallbackData: 0 });
  });

  it('holds a send unanswered until a hang ends, then closes it; accept_rate 1 still takes it', async () => {
    h = await startTestSimulator();
    await faults({ mode: 'hang', for_ms: 400, accept_rate: 1 });
    const started = Date.now();
    await expect(h.send(welcome('+447700901221', 'msg-51'))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(h.sim.control.stats()).toMatchObject({ accepted: 1, faults: { hung: 1 } });
  });

  it('drops the connection at once and takes nothing with the default accept_rate', async () => {
    h = await startTestSimulator();
    await faults({ mode: 'drop', for_ms: 60_000 });
    await expect(h.send(welcome('+447700901222'))).rejects.toThrow();
    expect(h.sim.control.stats()).toMatchObject({ accepted: 0, faults: { dropped: 1 } });
    expect((await request(h.sim.url, 'DELETE', '/_sim/faults', {})).status).toBe(200);
    expect((await h.send(welcome('+447700901222'))).status).toBe(200);
  });

  it('refuses an unknown mode or a missing window, naming the field', async () => {
    h = await startTestSimulator();
    const bad = await faults({ mode: 'flood', for_ms: 10 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('mode');
    expect((await faults({ mode: 'hang' })).json.error.message).toContain('for_ms');
  });
});

// Faults on the send path: 5xx, slow answers, and a connection dropped after acceptance.

import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyParams, eventually, type Json, startTestSimulator, TEST_IDS, templateSend } from './testing.ts';

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

// The control API over HTTP under /_sim/ (no Graph auth).
import { afterEach, describe, expect, it } from 'vitest';
import { bodyParams, eventually, request, startTestSimulator, templateSend } from './testing.ts';

let h: Awaited<ReturnType<typeof startTestSimulator>> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sim = (method: string, path: string, body?: unknown) =>
  request(h!.sim.url, method, `/_sim/${path}`, body === undefined ? {} : { body: JSON.stringify(body) });

describe('/_sim', () => {
  it('gets and patches behaviour, refusing unknown or bad knobs', async () => {
    h = await startTestSimulator();
    expect((await sim('GET', 'behaviour')).json.mps).toBe(80);
    expect((await sim('PATCH', 'behaviour', { mps: 200, serverErrorRate: 0.1 })).json).toMatchObject({
      mps: 200,
      serverErrorRate: 0.1,
    });
    expect(h.sim.control.getBehaviour().mps).toBe(200);
    expect((await sim('PATCH', 'behaviour', { mps: -1 })).status).toBe(400);
    expect((await sim('PATCH', 'behaviour', { nonsense: true })).status).toBe(400);
  });

  it('lists accepted messages and duplicates, reports stats, and resets', async () => {
    h = await startTestSimulator({ isPairRateEnforced: false });
    const body = templateSend('welcome', '+447700901301', [bodyParams('Ann')], { biz_opaque_callback_data: 'row-1' });
    await h.send(body);
    await h.send(body);
    await h.send(templateSend('nope', '+447700901301'));
    const messages = (await sim('GET', 'messages?limit=10')).json.data;
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({
      to: '+447700901301',
      callbackData: 'row-1',
      wamid: expect.stringMatching(/^wamid\./),
    });
    expect((await sim('GET', 'duplicates')).json.data).toEqual([{ callbackData: 'row-1', count: 2 }]);
    const stats = (await sim('GET', 'stats')).json;
    expect(stats).toMatchObject({ accepted: 2, duplicateCallbackData: 1, rejectedByCode: { '132001': 1 } });
    await sim('POST', 'reset');
    expect((await sim('GET', 'stats')).json.accepted).toBe(0);
    expect((await sim('GET', 'messages')).json.data).toEqual([]);
  });

  it('lists when every send request arrived, accepted or refused, keeping the most recent', async () => {
    let nowMs = 1_800_000_000_000;
    const clock = () => nowMs;
    h = await startTestSimulator({ mps: 2, isPairRateEnforced: false, acceptedLogLimit: 3 }, { clock });
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push((await h.send(templateSend('hello_world', `+44770090140${i}`))).status);
      nowMs += 10;
    }
    await h.send(templateSend('nope', '+447700901409'));
    expect(answers).toEqual([200, 200, 429, 429]);
    expect((await sim('GET', 'stats')).json.rejectedByCode).toMatchObject({ '130429': 2, '132001': 1 });
    const start = 1_800_000_000_000;
    expect((await sim('GET', 'arrivals')).json).toEqual({ total: 5, timesMs: [start + 20, start + 30, start + 40] });
    await sim('POST', 'reset');
    expect((await sim('GET', 'arrivals')).json).toEqual({ total: 0, timesMs: [] });
  });

  it('simulates inbound, sets template status and user preferences', async () => {
    h = await startTestSimulator();
    const inbound = await sim('POST', 'inbound', { from: '+447700901302', type: 'text', text: 'STOP' });
    expect(inbound.json.id).toMatch(/^wamid\./);
    expect((await sim('POST', 'inbound', { from: '+447700901302', type: 'fax' })).status).toBe(400);
    expect(
      (await sim('POST', 'templates/status', { name: 'welcome', language: 'en_US', status: 'PAUSED' })).json.status,
    ).toBe('PAUSED');
    expect((await sim('POST', 'users/447700901302/preferences', { value: 'stop' })).status).toBe(200);
    await eventually(
      () => h!.changes('user_preferences').length === 1 && h!.changes('message_template_status_update').length === 1,
    );
    expect(
      (
        await sim('POST', 'templates', {
          name: 'x',
          language: 'en_US',
          category: 'UTILITY',
          status: 'APPROVED',
          components: [{ type: 'BODY', text: 'Hi.' }],
        })
      ).json.id,
    ).toMatch(/^\d+$/);
  });

  it('moves webhooks to a new URL, or stops them', async () => {
    h = await startTestSimulator();
    await sim('POST', 'webhook', {});
    await h.send(templateSend('hello_world', '+447700901303'));
    await sim('POST', 'webhooks/flush');
    await eventually(() => h!.sim.control.stats().webhooks.eventsDiscarded > 0);
    expect(h.receiver.received).toHaveLength(0);
    await sim('POST', 'webhook', { url: h.receiver.url });
    await h.send(templateSend('hello_world', '+447700901304'));
    await eventually(() => h!.receiver.received.length > 0);
  });

  it('answers 404 for an unknown control route', async () => {
    h = await startTestSimulator();
    expect((await sim('GET', 'nothing')).status).toBe(404);
  });
});

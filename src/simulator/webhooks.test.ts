// Status webhooks: sequence, signature, batching, retries, disorder and asynchronous failures.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyParams, eventually, type Json, startTestSimulator, TEST_IDS, templateSend } from './testing.ts';

let h: Awaited<ReturnType<typeof startTestSimulator>> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const welcome = (to: string, extra = {}) => templateSend('welcome', to, [bodyParams('Ann')], extra);
const ofMessage = (wamid: string) => h!.statuses().filter((s: Json) => s.id === wamid);

describe('status webhooks', () => {
  it('posts sent → delivered → read, signed, with string timestamps, pricing and echoed callback data', async () => {
    h = await startTestSimulator();
    const answer = await h.send(welcome('+447700900501', { biz_opaque_callback_data: 'campaign-1:row-7' }));
    const wamid = answer.json.messages[0].id as string;
    expect(wamid).toMatch(/^wamid\./);
    await eventually(() => ofMessage(wamid).length === 3);
    const statuses = ofMessage(wamid);
    expect(statuses.map((s: Json) => s.status)).toEqual(['sent', 'delivered', 'read']);
    for (const s of statuses) {
      expect(s.timestamp).toMatch(/^\d{10}$/);
      expect(s.recipient_id).toBe('447700900501');
      expect(s.biz_opaque_callback_data).toBe('campaign-1:row-7');
    }
    expect(statuses[0].pricing).toEqual({
      billable: true,
      pricing_model: 'PMP',
      type: 'regular',
      category: 'marketing',
    });
    expect(statuses[0].conversation.origin.type).toBe('marketing');
    for (const hook of h.receiver.received) {
      const expected = `sha256=${createHmac('sha256', TEST_IDS.appSecret).update(hook.rawBody).digest('hex')}`;
      expect(hook.signature).toBe(expected);
      expect(hook.json.object).toBe('whatsapp_business_account');
      expect(hook.json.entry[0].id).toBe(TEST_IDS.businessAccountId);
      expect(hook.json.entry[0].changes[0].value.metadata.phone_number_id).toBe(TEST_IDS.phoneNumberId);
    }
  });

  it("sends a `to` without `+` to the number behind the sender's country code, as Meta does, and counts it", async () => {
    h = await startTestSimulator({}, { displayPhoneNumber: '447700900000' });
    const stray = await h.send(welcome('4915112345678'));
    expect(stray.json.contacts).toEqual([{ input: '4915112345678', wa_id: '444915112345678' }]);
    const wamid = stray.json.messages[0].id as string;
    await eventually(() => ofMessage(wamid).length === 3);
    expect(ofMessage(wamid)[0].recipient_id).toBe('444915112345678');
    expect(h.sim.control.acceptedMessages()[0]).toMatchObject({ to: '4915112345678', waId: '444915112345678' });
    await h.send(welcome('+4915112345679'));
    expect(h.sim.control.stats()).toMatchObject({ accepted: 2, missingPlusSends: 1 });
  });

  it('omits conversation from v24.0 on', async () => {
    h = await startTestSimulator();
    const wamid = (await h.send(welcome('+447700900502'), { version: 'v24.0' })).json.messages[0].id;
    await eventually(() => ofMessage(wamid).length === 3);
    expect(ofMessage(wamid)[0].conversation).toBeUndefined();
    expect(ofMessage(wamid)[0].pricing.category).toBe('marketing');
  });

  it('batches many statuses into one POST, at most webhookBatchSize per POST', async () => {
    let nowMs = 1_750_000_000_000;
    const behaviour = {
      webhookBatchSize: 4,
      readRate: 0,
      isPairRateEnforced: false,
      sentDelayMs: 1,
      deliveredDelayMs: 2,
    };
    h = await startTestSimulator(behaviour, { clock: () => nowMs });
    for (let i = 0; i < 5; i++) await h.send(welcome(`+44770090060${i}`));
    expect(h.receiver.received).toHaveLength(0);
    nowMs += 10;
    await eventually(() => h!.statuses().length === 10);
    const sizes = h.receiver.received.map((w) => w.json.entry[0].changes[0].value.statuses.length);
    expect(sizes.sort()).toEqual([2, 4, 4]);
  });

  it('retries until the receiver answers 200', async () => {
    h = await startTestSimulator({ webhookRetryBaseMs: 5, readRate: 0 });
    let calls = 0;
    h.receiver.answer = () => (++calls <= 2 ? 500 : 200);
    const wamid = (await h.send(welcome('+447700900701'))).json.messages[0].id;
    await h.sim.control.flushWebhooks();
    await eventually(() => h!.sim.control.stats().webhooks.eventsPending === 0);
    const stats = h.sim.control.stats().webhooks;
    expect(stats.attemptsFailed).toBeGreaterThanOrEqual(2);
    expect(stats.eventsDelivered).toBe(2);
    // Every attempt carried the same signed body.
    expect(
      new Set(h.receiver.received.filter((w) => w.rawBody.includes(wamid)).map((w) => w.rawBody)).size,
    ).toBeLessThanOrEqual(2);
  });

  it('gives up after webhookMaxAttempts and stops retrying on close', async () => {
    h = await startTestSimulator({ webhookRetryBaseMs: 5, webhookMaxAttempts: 3, readRate: 0, deliveredDelayMs: 0 });
    h.receiver.answer = () => 500;
    await h.send(welcome('+447700900702'));
    await eventually(() => h!.sim.control.stats().webhooks.eventsDiscarded === 2);
    expect(h.receiver.received.length).toBe(3);
    h.sim.control.setBehaviour({ webhookMaxAttempts: 100, webhookRetryBaseMs: 20 });
    await h.send(welcome('+447700900703'));
    await eventually(() => h!.receiver.received.length >= 4);
    await h.sim.close();
    const seen = h.receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(h.receiver.received.length).toBe(seen);
  });

  it('can report read without delivered', async () => {
    h = await startTestSimulator({ readWithoutDeliveredRate: 1 });
    const wamid = (await h.send(welcome('+447700900801'))).json.messages[0].id;
    await eventually(() => ofMessage(wamid).length === 2);
    await h.sim.control.flushWebhooks();
    expect(ofMessage(wamid).map((s: Json) => s.status)).toEqual(['sent', 'read']);
  });

  it('can post out of order while timestamps keep the true order', async () => {
    let nowMs = 1_750_000_000_000;
    h = await startTestSimulator(
      { outOfOrderRate: 1, readRate: 0, sentDelayMs: 0, deliveredDelayMs: 1500 },
      { clock: () => nowMs },
    );
    const wamid = (await h.send(welcome('+447700900802'))).json.messages[0].id;
    nowMs += 2000;
    await eventually(() => ofMessage(wamid).length === 2);
    const [first, second] = ofMessage(wamid);
    expect([first.status, second.status]).toEqual(['delivered', 'sent']);
    expect(Number(first.timestamp)).toBeGreaterThan(Number(second.timestamp));
  });

  it('can duplicate a status', async () => {
    h = await startTestSimulator({ duplicateRate: 1, readRate: 0 });
    const wamid = (await h.send(welcome('+447700900803'))).json.messages[0].id;
    await eventually(() => ofMessage(wamid).length === 3);
    const kinds = ofMessage(wamid).map((s: Json) => s.status);
    expect(new Set(kinds).size).toBe(2);
  });

  it('can delay a status by delayedExtraMs', async () => {
    h = await startTestSimulator({ delayedRate: 1, delayedExtraMs: 150, readRate: 0 });
    const started = Date.now();
    const wamid = (await h.send(welcome('+447700900804'))).json.messages[0].id;
    await eventually(() => ofMessage(wamid).length === 2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('asynchronous failures', () => {
  const failureOf = async (to: string, body: unknown = welcome(to)) => {
    const answer = await h!.send(body);
    expect(answer.status).toBe(200);
    const wamid = answer.json.messages[0].id;
    await eventually(() => ofMessage(wamid).length >= 1);
    const [status] = ofMessage(wamid);
    expect(status.status).toBe('failed');
    expect(status.errors[0].title).toBe(status.errors[0].message);
    expect(status.errors[0].error_data.details).toEqual(expect.any(String));
    return status.errors[0].code as number;
  };

  it('fails undeliverable numbers and prefixes with 131026', async () => {
    h = await startTestSimulator({ undeliverableNumbers: ['447700900901'], undeliverablePrefixes: ['4479'] });
    expect(await failureOf('+447700900901')).toBe(131026);
    expect(await failureOf('+447912345678')).toBe(131026);
  });

  it('fails marketing templates to +1 numbers, but not utility ones', async () => {
    h = await startTestSimulator();
    expect(await failureOf('+16505551234')).toBe(131049);
    const utility = await h.send(templateSend('hello_world', '+16505551235'));
    await eventually(() => ofMessage(utility.json.messages[0].id).length === 3);
    expect(ofMessage(utility.json.messages[0].id)[0].status).toBe('sent');
  });

  it('fails marketing past the per-user limit with 131049', async () => {
    h = await startTestSimulator({ marketingPerUserDailyCap: 1, isPairRateEnforced: false });
    await h.send(welcome('+447700900902'));
    expect(await failureOf('+447700900902')).toBe(131049);
    h.sim.control.setBehaviour({ marketingLimitRate: 1 });
    expect(await failureOf('+447700900903')).toBe(131049);
  });

  it('fails marketing with 131050 after a user_preferences stop, until resume', async () => {
    h = await startTestSimulator();
    h.sim.control.setUserPreference('+447700900904', 'stop');
    await eventually(() => h!.changes('user_preferences').length === 1);
    const pref = h.changes('user_preferences')[0].value.user_preferences[0];
    expect(pref).toMatchObject({ wa_id: '447700900904', category: 'marketing_messages', value: 'stop' });
    expect(await failureOf('+447700900904')).toBe(131050);
    const utility = await h.send(templateSend('hello_world', '+447700900904'));
    await eventually(() => ofMessage(utility.json.messages[0].id).length === 3);
    h.sim.control.setUserPreference('+447700900904', 'resume');
    const again = await h.send(welcome('+447700900904'));
    await eventually(() => ofMessage(again.json.messages[0].id).length === 3);
  });

  it('fails free-form outside the 24 h window with 131047 by webhook', async () => {
    h = await startTestSimulator();
    expect(
      await failureOf('+447700900905', {
        messaging_product: 'whatsapp',
        to: '+447700900905',
        type: 'text',
        text: { body: 'hi' },
      }),
    ).toBe(131047);
  });
});

// Users writing back: text (incl. STOP), the "Stop promotions" quick reply, interactive replies.
import { afterEach, describe, expect, it } from 'vitest';
import { bodyParams, eventually, type Json, startTestSimulator, TEST_IDS, templateSend } from './testing.ts';

let h: Awaited<ReturnType<typeof startTestSimulator>> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const inboundMessages = (): { contact: Json; message: Json }[] =>
  h!
    .changes('messages')
    .filter((c: Json) => c.value.messages)
    .map((c: Json) => ({ contact: c.value.contacts[0], message: c.value.messages[0] }));

describe('inbound messages', () => {
  it('posts a STOP text with the contact, and opens the 24 h window for free-form', async () => {
    h = await startTestSimulator();
    const id = h.sim.control.simulateInbound({ from: '+447700901101', type: 'text', text: 'STOP', name: 'Ann' });
    await eventually(() => inboundMessages().length === 1);
    const [{ contact, message }] = inboundMessages() as [{ contact: Json; message: Json }];
    expect(contact).toEqual({ profile: { name: 'Ann' }, wa_id: '447700901101' });
    expect(message).toMatchObject({ from: '447700901101', id, type: 'text', text: { body: 'STOP' } });
    expect(message.timestamp).toMatch(/^\d{10}$/);
    const reply = await h.send({
      messaging_product: 'whatsapp',
      to: '+447700901101',
      type: 'text',
      text: { body: 'You are unsubscribed.' },
    });
    const wamid = reply.json.messages[0].id;
    expect(reply.json.messages[0].message_status).toBeUndefined();
    await eventually(() => h!.statuses().filter((s: Json) => s.id === wamid).length === 3);
    const sent = h.statuses().find((s: Json) => s.id === wamid && s.status === 'sent');
    expect(sent.pricing).toMatchObject({ billable: false, type: 'free_customer_service', category: 'service' });
  });

  it('posts a "Stop promotions" quick-reply tap naming the wamid it replies to', async () => {
    h = await startTestSimulator();
    const sent = await h.send(templateSend('welcome', '+447700901102', [bodyParams('Ann')]));
    const wamid = sent.json.messages[0].id;
    h.sim.control.simulateInbound({ from: '+447700901102', type: 'button', text: 'Stop promotions' });
    await eventually(() => inboundMessages().length === 1);
    const { message } = inboundMessages()[0]!;
    expect(message).toMatchObject({
      type: 'button',
      context: { from: '15550000000', id: wamid },
      button: { payload: 'Stop promotions', text: 'Stop promotions' },
    });
  });

  it('posts interactive button and list replies with context', async () => {
    h = await startTestSimulator();
    h.sim.control.simulateInbound({
      from: '+447700901103',
      type: 'button_reply',
      id: 'yes',
      title: 'Yes',
      contextWamid: 'wamid.ABC',
    });
    h.sim.control.simulateInbound({
      from: '+447700901103',
      type: 'list_reply',
      id: 'express',
      title: 'Express',
      description: 'Next day',
      contextWamid: 'wamid.DEF',
    });
    await eventually(() => inboundMessages().length === 2);
    const [button, list] = inboundMessages().map((m) => m.message);
    expect(button.interactive).toEqual({ type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } });
    expect(button.context.id).toBe('wamid.ABC');
    expect(list.interactive).toEqual({
      type: 'list_reply',
      list_reply: { id: 'express', title: 'Express', description: 'Next day' },
    });
    expect(h.changes('messages')[0].value.metadata.phone_number_id).toBe(TEST_IDS.phoneNumberId);
  });

  it('makes utility templates free inside the window', async () => {
    h = await startTestSimulator();
    h.sim.control.simulateInbound({ from: '+447700901104', type: 'text', text: 'where is my order?' });
    const sent = await h.send(templateSend('order_update', '+447700901104', [bodyParams('#7', 'shipped')]));
    const wamid = sent.json.messages[0].id;
    await eventually(() => h!.statuses().some((s: Json) => s.id === wamid && s.status === 'sent'));
    expect(h.statuses().find((s: Json) => s.id === wamid).pricing).toMatchObject({
      type: 'free_customer_service',
      category: 'utility',
    });
  });
});

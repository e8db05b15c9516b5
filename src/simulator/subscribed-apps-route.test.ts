// GET/POST/DELETE /{waba-id}/subscribed_apps: the app the simulator stands for, and no webhooks while unsubscribed.
import { afterEach, describe, expect, it } from 'vitest';
import { SIMULATOR_APP } from './subscribed-apps-route.ts';
import { bodyParams, request, startTestSimulator, TEST_IDS, templateSend } from './testing.ts';

let h: Awaited<ReturnType<typeof startTestSimulator>> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const path = `/v23.0/${TEST_IDS.businessAccountId}/subscribed_apps`;

describe('subscribed_apps', () => {
  it('lists the app in Meta’s shape, and none after a DELETE; a POST subscribes it again', async () => {
    h = await startTestSimulator();
    const call = (method: string) => request(h!.sim.url, method, path, { token: TEST_IDS.accessToken });
    expect((await call('GET')).json).toEqual({ data: [{ whatsapp_business_api_data: SIMULATOR_APP }] });
    expect((await call('DELETE')).json).toEqual({ success: true });
    expect((await call('GET')).json).toEqual({ data: [] });
    expect((await call('POST')).json).toEqual({ success: true });
    expect((await call('GET')).json.data).toHaveLength(1);
  });

  it('refuses a wrong token with 190, as every Graph call', async () => {
    h = await startTestSimulator();
    const answer = await request(h.sim.url, 'GET', path, { token: 'wrong' });
    expect(answer.status).toBe(401);
    expect(answer.json.error.code).toBe(190);
  });

  it('posts no webhook while the app is unsubscribed', async () => {
    h = await startTestSimulator();
    await request(h.sim.url, 'DELETE', path, { token: TEST_IDS.accessToken });
    const sent = await h.send(templateSend('welcome', '+447700900601', [bodyParams('Ann')]));
    expect(sent.status).toBe(200);
    await h.sim.control.flushWebhooks();
    expect(h.receiver.received).toEqual([]);
    expect(h.sim.control.stats().webhooks.eventsDiscarded).toBeGreaterThan(0);
  });
});

// A sign-up form with double opt-in and an integrator's webhook against a running Chorus in sandbox
// mode, through real HTTP: the page, the code sent from WhatsApp as a signed inbound webhook, the
// grant in the ledger, a campaign to the new subscriber, and every event delivered signed.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type RunningChorus, startChorus } from '../../src/main.ts';
import { waitForCompletion } from './support/campaign-run.ts';
import { chorusApi, waitFor } from './support/processes.ts';

const API_KEY = 'e2e-forms-key';
const PHONE = '+4915199887766';

describe('sign-up form with double opt-in, and outbound webhooks (sqlite, sandbox)', () => {
  let dir = '';
  let chorus: RunningChorus;
  let api: ReturnType<typeof chorusApi>;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  const events = () => received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-forms-'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const config = loadConfig({
      DATABASE_URL: `sqlite:${path.join(dir, 'chorus.db')}`,
      PORT: '0',
      CHORUS_API_KEY: API_KEY,
      CHORUS_SANDBOX: '1',
    });
    chorus = await startChorus(config, createLogger('silent'));
    api = chorusApi(chorus.url, API_KEY);
  });

  afterAll(async () => {
    await chorus?.close();
    await new Promise((resolve) => receiver.close(resolve));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('grants consent only once the code arrives on WhatsApp, and tells the integrator everything, signed', async () => {
    const { port } = receiver.address() as AddressInfo;
    const hook = await api<{ id: string; secret: string }>('POST', '/api/v1/webhooks', {
      url: `http://127.0.0.1:${port}/chorus`,
      events: ['message.status', 'message.reply', 'contact.opted_out'],
    });
    expect(hook.status).toBe(201);
    const form = await api('POST', '/api/v1/forms', {
      slug: 'vip-club',
      title: 'VIP club',
      consent_text: 'Yes, send me VIP offers on WhatsApp',
      tags: ['vip-club'],
      purpose: 'marketing',
      double_opt_in: true,
    });
    expect(form.status).toBe(201);

    // The sender's number is read from the (simulated) Graph API at start.
    const display = await waitFor(
      'the sender number',
      async () => {
        const { json } = await api<{ data: { id: string; display_phone_number?: string | null }[] }>(
          'GET',
          '/api/v1/senders',
        );
        return json.data.find((s) => s.id === 'default')?.display_phone_number ?? undefined;
      },
      10_000,
    );
    const page = await fetch(`${chorus.url}/join/vip-club`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'e2e-browser' },
      body: new URLSearchParams({ phone: PHONE, first_name: 'Eva', consent: 'on' }).toString(),
    });
    expect(page.status).toBe(202);
    const html = await page.text();
    const code = /JOIN-[A-Z0-9]{6}/.exec(html)?.[0] ?? '';
    expect(html).toContain(`href="https://wa.me/${display.replace(/\D/g, '')}?text=${code}"`);
    const ledger = () =>
      api<{ data: Record<string, unknown>[] }>('GET', `/api/v1/contacts/${encodeURIComponent(PHONE)}/consent`);
    expect((await ledger()).status).toBe(404);

    const wamid = chorus.sandbox?.control.simulateInbound({ from: PHONE.slice(1), type: 'text', text: code });
    await chorus.sandbox?.control.flushWebhooks();
    const { json } = await ledger();
    expect(json.data).toEqual([
      expect.objectContaining({
        action: 'grant',
        purpose: 'marketing',
        source: 'form:vip-club',
        proof: expect.objectContaining({
          form_slug: 'vip-club',
          wording: 'Yes, send me VIP offers on WhatsApp',
          user_agent: 'e2e-browser',
          ip: '127.0.0.1',
          confirmed_by_wamid: wamid,
        }),
      }),
    ]);

    await api('POST', '/api/v1/templates/sync', {});
    const campaign = await api<{ id: string }>('POST', '/api/v1/campaigns', {
      name: 'VIP welcome',
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: ['vip-club'] },
    });
    expect(campaign.status).toBe(201);
    await api('POST', `/api/v1/campaigns/${campaign.json.id}/start`, {});
    const done = await waitForCompletion(api, campaign.json.id, 30_000);
    expect(done.total).toBe(1);
    await api('POST', `/api/v1/contacts/${encodeURIComponent(PHONE)}/opt-out`, {});

    await waitFor(
      'the status, reply and opt-out events',
      async () => {
        const types = events().map((e) => e.type);
        return types.includes('contact.opted_out') &&
          types.includes('message.reply') &&
          types.includes('message.status')
          ? true
          : undefined;
      },
      20_000,
    );
    for (const delivery of received) {
      const signature = `sha256=${createHmac('sha256', hook.json.secret).update(delivery.body).digest('hex')}`;
      expect(delivery.headers['x-chorus-signature-256']).toBe(signature);
    }
    expect(events().find((e) => e.type === 'message.reply')?.data).toMatchObject({ phone: PHONE, text: code, wamid });
    expect(events().find((e) => e.type === 'message.status')?.data).toMatchObject({
      campaign_id: campaign.json.id,
      phone: PHONE,
      status: expect.stringMatching(/^(sent|delivered|read)$/),
      wamid: expect.stringMatching(/^wamid\./),
    });
    expect(events().find((e) => e.type === 'contact.opted_out')?.data).toEqual({
      phone: PHONE,
      purpose: null,
      source: 'api',
    });
    const deliveries = await api<{ data: { state: string }[] }>('GET', `/api/v1/webhooks/${hook.json.id}/deliveries`);
    expect(deliveries.json.data.length).toBe(received.length);
    expect(deliveries.json.data.every((d) => d.state === 'delivered')).toBe(true);
  }, 90_000);
});

// Webhooks through real HTTP against a running Chorus: disorder, duplicates, delays and batches end
// in the exact truth; a bad signature changes nothing; the GET handshake; and every opt-out path
// suppresses before the next send, with a ledger entry naming its evidence.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView } from '../../src/app/campaign-lists.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type RunningChorus, startChorus } from '../../src/main.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { SANDBOX_TEMPLATES } from '../../src/simulator/sandbox-templates.ts';
import type { RunningSimulator } from '../../src/simulator/types.ts';
import { type Database, openDatabase } from '../../src/store/db.ts';
import { createPostgresDatabase, dropPostgresDatabase, TEST_BACKENDS } from '../../src/store/testing.ts';
import { contactsCsv, waitForCompletion } from './support/campaign-run.ts';
import { chorusApi, E2E_IDS, waitFor } from './support/processes.ts';
import { failure, postWebhook, status, statusEnvelope } from './support/webhook-payloads.ts';

const API_KEY = 'e2e-webhooks-key';
const VERIFY_TOKEN = 'e2e-verify-token';
const T0 = 1_790_000_000;

type Api = ReturnType<typeof chorusApi>;

describe.each(TEST_BACKENDS)('webhooks through HTTP (%s)', (backend) => {
  let dir = '';
  let databaseUrl = '';
  let sim: RunningSimulator;
  let chorus: RunningChorus;
  let reader: Database;
  let api: Api;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-webhooks-${backend}-`));
    databaseUrl =
      backend === 'postgres' ? (await createPostgresDatabase()).url : `sqlite:${path.join(dir, 'chorus.db')}`;
    sim = await startSimulator({
      ...E2E_IDS,
      seed: 3,
      templates: SANDBOX_TEMPLATES.map((t) => structuredClone(t)),
      behaviour: {
        isMpsCapEnforced: false,
        isPairRateEnforced: false,
        // Status webhooks of real sends stay queued: these tests post the statuses themselves.
        sentDelayMs: 600_000,
        deliveredDelayMs: 600_000,
        readDelayMs: 600_000,
        webhookFlushIntervalMs: 10,
      },
    });
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      CHORUS_API_KEY: API_KEY,
      WA_GRAPH_URL: sim.url,
      WA_PHONE_NUMBER_ID: E2E_IDS.phoneNumberId,
      WA_BUSINESS_ACCOUNT_ID: E2E_IDS.businessAccountId,
      WA_ACCESS_TOKEN: E2E_IDS.accessToken,
      WA_APP_SECRET: E2E_IDS.appSecret,
      WA_VERIFY_TOKEN: VERIFY_TOKEN,
      // Slow enough that a running campaign still has pending rows while the opt-outs arrive.
      WA_MPS: '5',
    });
    chorus = await startChorus(config, createLogger('silent'));
    sim.control.setWebhookUrl(`${chorus.url}/webhooks/whatsapp`);
    reader = openDatabase(config.database);
    api = chorusApi(chorus.url, API_KEY);
    const synced = await api('POST', '/api/v1/templates/sync', {});
    expect(synced.status).toBe(200);
  });

  afterAll(async () => {
    await reader?.close();
    await chorus?.close();
    await sim?.close();
    if (backend === 'postgres' && databaseUrl) await dropPostgresDatabase(databaseUrl);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Imports contacts under `tag` (numbers from `offset`), runs a campaign to them to completion. */
  async function runCampaign(tag: string, offset: number, count: number): Promise<MessageView[]> {
    const id = await startCampaign(tag, offset, count, [tag]);
    await waitForCompletion(api, id, 20_000);
    return messagesOf(id);
  }

  async function startCampaign(tag: string, offset: number, count: number, audience: string[]): Promise<string> {
    if (count > 0) {
      const csv = contactsCsv(tag, offset + count, 0)
        .csv.split('\n')
        .filter((line, i) => i === 0 || (i > offset && line !== ''))
        .join('\n');
      const imported = await api('POST', `/api/v1/contacts/import?tag=${tag}`, csv, 'text/csv');
      expect(imported.status).toBe(200);
    }
    const created = await api<{ id: string }>('POST', '/api/v1/campaigns', {
      name: tag,
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: audience },
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect((await api('POST', `/api/v1/campaigns/${created.json.id}/start`, {})).status).toBe(200);
    return created.json.id;
  }

  async function messagesOf(campaignId: string): Promise<MessageView[]> {
    const { json } = await api<{ data: MessageView[] }>('GET', `/api/v1/campaigns/${campaignId}/messages?limit=1000`);
    return json.data;
  }

  async function messageById(campaignId: string, id: string): Promise<MessageView> {
    const found = (await messagesOf(campaignId)).find((m) => m.id === id);
    if (!found) throw new Error(`no message ${id}`);
    return found;
  }

  /** Posts a signed batch; answers the HTTP status once what it brought is applied. */
  async function post(body: object): Promise<number> {
    const answered = await postWebhook(chorus.url, body);
    await chorus.webhooksSettled();
    return answered;
  }

  describe('status truth', () => {
    let campaignId = '';
    let messages: MessageView[] = [];

    beforeAll(async () => {
      messages = await runCampaign('truth', 0, 8);
      campaignId = (await api<{ data: { id: string; name: string }[] }>('GET', '/api/v1/campaigns')).json.data.find(
        (c) => c.name === 'truth',
      )?.id as string;
      expect(messages.map((m) => m.status)).toEqual(Array(8).fill('accepted'));
    });

    const at = (i: number) => messages[i] as MessageView;

    it('reordered and duplicated events end in read, with every time kept', async () => {
      const m = at(0);
      const wamid = m.wamid as string;
      const read = status(wamid, 'read', m.phone, T0 + 3);
      expect(await post(statusEnvelope([read]))).toBe(200);
      expect(await post(statusEnvelope([status(wamid, 'delivered', m.phone, T0 + 2)]))).toBe(200);
      expect(await post(statusEnvelope([read, read]))).toBe(200);
      expect(await post(statusEnvelope([status(wamid, 'sent', m.phone, T0 + 1)]))).toBe(200);
      const after = await messageById(campaignId, m.id);
      expect(after).toMatchObject({
        status: 'read',
        sent_at: new Date((T0 + 1) * 1000).toISOString(),
        delivered_at: new Date((T0 + 2) * 1000).toISOString(),
        read_at: new Date((T0 + 3) * 1000).toISOString(),
      });
      const stored = await reader.db.selectFrom('status_events').select('status').where('wamid', '=', wamid).execute();
      expect(stored.map((e) => e.status).sort()).toEqual(['delivered', 'read', 'sent']);
    });

    it('read without delivered is read, and a late delivered never moves it back', async () => {
      const m = at(1);
      const wamid = m.wamid as string;
      expect(await post(statusEnvelope([status(wamid, 'sent', m.phone, T0 + 1)]))).toBe(200);
      expect(await post(statusEnvelope([status(wamid, 'read', m.phone, T0 + 5)]))).toBe(200);
      expect(await messageById(campaignId, m.id)).toMatchObject({ status: 'read', delivered_at: null });
      // Meta's delayed delivered arrives long after the read.
      expect(await post(statusEnvelope([status(wamid, 'delivered', m.phone, T0 + 4)]))).toBe(200);
      expect((await messageById(campaignId, m.id)).status).toBe('read');
    });

    it('failed after sent keeps the code and title', async () => {
      const m = at(2);
      const wamid = m.wamid as string;
      expect(await post(statusEnvelope([status(wamid, 'sent', m.phone, T0 + 1)]))).toBe(200);
      const failed = status(wamid, 'failed', m.phone, T0 + 2, failure(131026, 'Message undeliverable'));
      expect(await post(statusEnvelope([failed]))).toBe(200);
      expect(await messageById(campaignId, m.id)).toMatchObject({
        status: 'failed',
        error: { code: 131026, title: 'Message undeliverable' },
      });
    });

    it('one batch of several changes, out of order and with duplicates, settles each message', async () => {
      const [a, b, c] = [at(3), at(4), at(5)];
      const s = (m: MessageView, kind: 'sent' | 'delivered' | 'read', t: number) =>
        status(m.wamid as string, kind, m.phone, T0 + t);
      const body = statusEnvelope(
        [s(a, 'delivered', 2), s(b, 'read', 3), s(a, 'sent', 1)],
        [s(c, 'sent', 1), s(b, 'sent', 1), s(a, 'delivered', 2), s(c, 'sent', 1)],
      );
      expect(await post(body)).toBe(200);
      const after = await messagesOf(campaignId);
      const statusOf = (m: MessageView) => after.find((x) => x.id === m.id)?.status;
      expect([statusOf(a), statusOf(b), statusOf(c)]).toEqual(['delivered', 'read', 'sent']);
    });

    it('a forged, malformed or missing signature answers 401 and changes nothing', async () => {
      const m = at(6);
      const body = statusEnvelope([status(m.wamid as string, 'read', m.phone, T0 + 9)]);
      const before = await snapshot();
      expect(await postWebhook(chorus.url, body, { appSecret: 'not-the-app-secret' })).toBe(401);
      expect(await postWebhook(chorus.url, body, { signature: null })).toBe(401);
      expect(await postWebhook(chorus.url, body, { signature: 'sha256=xyz' })).toBe(401);
      // Signed right, then altered by one byte on the way.
      const raw = JSON.stringify(body);
      const { signWebhookBody } = await import('../../src/cloud-api/webhook-signature.ts');
      const signature = signWebhookBody(raw, E2E_IDS.appSecret);
      expect(await postWebhook(chorus.url, raw.replace('"read"', '"sent"'), { signature })).toBe(401);
      await chorus.webhooksSettled();
      expect(await snapshot()).toEqual(before);
      expect(await post(body)).toBe(200);
      expect(await snapshot()).not.toEqual(before);
    });

    async function snapshot() {
      const events = await reader.db.selectFrom('status_events').select(['wamid', 'status']).orderBy('id').execute();
      const inbox = await reader.db.selectFrom('webhook_inbox').select('events').execute();
      const rows = await reader.db
        .selectFrom('messages')
        .select(['id', 'status', 'read_at', 'updated_at'])
        .orderBy('id')
        .execute();
      return { events, inbox, rows };
    }
  });

  describe('the GET verification handshake', () => {
    const verify = (query: string) => fetch(`${chorus.url}/webhooks/whatsapp?${query}`);

    it('echoes the challenge for the right token', async () => {
      const response = await verify(`hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`);
      expect([response.status, await response.text()]).toEqual([200, '1158201444']);
    });

    it('answers 403 for a wrong token, a wrong mode or no challenge', async () => {
      for (const query of [
        'hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong',
        `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`,
        `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`,
        'hub.mode=subscribe&hub.challenge=1',
      ]) {
        const response = await verify(query);
        await response.arrayBuffer();
        expect(response.status, query).toBe(403);
      }
    });
  });

  describe('a webhook that beats the send answer', () => {
    it('is matched by callback data at once, or by wamid once the answer is recorded', async () => {
      sim.control.setBehaviour({ slowRate: 1, slowDelayMs: 2_500 });
      const before = sim.control.stats().accepted;
      const id = await startCampaign('early', 100, 2, ['early']);
      const accepted = await waitFor(
        'both sends accepted',
        async () => {
          const all = sim.control.acceptedMessages({ offset: 0, limit: 100_000 });
          return all.length >= before + 2 ? all.slice(before) : undefined;
        },
        10_000,
        20,
      );
      sim.control.setBehaviour({ slowRate: 0 });
      const [first, second] = accepted as [(typeof accepted)[number], (typeof accepted)[number]];
      const rows = await messagesOf(id);
      expect(rows.map((m) => m.status)).toEqual(['sending', 'sending']);

      // `sent` names our message id: it applies now, and the row learns its wamid.
      const sent = status(first.wamid, 'sent', first.to, T0 + 1, { biz_opaque_callback_data: first.callbackData });
      expect(await post(statusEnvelope([sent]))).toBe(200);
      expect(await messageById(id, first.callbackData as string)).toMatchObject({
        status: 'sent',
        wamid: first.wamid,
      });

      // `delivered` names only a wamid nobody knows yet: stored, applied when the answer lands.
      expect(await post(statusEnvelope([status(second.wamid, 'delivered', second.to, T0 + 2)]))).toBe(200);
      expect((await messageById(id, second.callbackData as string)).status).toBe('sending');
      const settled = await waitFor(
        'the late answer to apply the waiting event',
        async () => {
          const m = await messageById(id, second.callbackData as string);
          return m.status === 'delivered' ? m : undefined;
        },
        10_000,
      );
      expect(settled.wamid).toBe(second.wamid);
      // The late answer of the first send does not undo what its webhook said.
      const firstAfter = await waitFor(
        'the first answer recorded',
        async () => {
          const m = await messageById(id, first.callbackData as string);
          return m.accepted_at !== null ? m : undefined;
        },
        10_000,
      );
      expect(firstAfter).toMatchObject({ status: 'sent', wamid: first.wamid });
    });
  });
  describe('opt-outs through every path, while a campaign runs', () => {
    let running = '';
    let earlier: MessageView[] = [];
    const phones = contactsCsv('x', 306, 0).phones.slice(300);
    const phone = (i: number) => phones[i] as string;
    const waId = (i: number) => phone(i).slice(1);

    beforeAll(async () => {
      // Fillers first: they are sent first, so the opt-out people stay pending for a while.
      await startCampaign('filler', 200, 40, ['no-such-tag']);
      earlier = await runCampaign('optout', 300, 6);
      running = await startCampaign('optout-again', 0, 0, ['filler', 'optout']);
      await waitFor(
        'the running campaign to hold pending rows for everyone',
        async () => {
          const rows = await messagesOf(running);
          const pending = rows.filter((m) => phones.includes(m.phone) && m.status === 'pending');
          return pending.length === phones.length ? true : undefined;
        },
        10_000,
      );
    });

    afterAll(async () => {
      if (running) await api('POST', `/api/v1/campaigns/${running}/cancel`, {});
    });

    /** The suppression, the newest ledger entry and the running campaign's row for one number. */
    async function standing(i: number) {
      const suppression = await reader.db
        .selectFrom('suppressions')
        .selectAll()
        .where('phone', '=', phone(i))
        .executeTakeFirst();
      const ledger = await reader.db
        .selectFrom('consent_events as e')
        .innerJoin('contacts as c', 'c.id', 'e.contact_id')
        .select(['e.action', 'e.source', 'e.proof'])
        .where('c.phone', '=', phone(i))
        .orderBy('e.id', 'desc')
        .executeTakeFirst();
      const row = (await messagesOf(running)).find((m) => m.phone === phone(i));
      return { suppression, ledger, row };
    }

    async function expectSuppressed(i: number, source: string, evidence: string) {
      const { suppression, ledger, row } = await standing(i);
      expect(suppression).toMatchObject({ reason: 'opted_out', source });
      expect(ledger).toMatchObject({ action: 'revoke', source });
      expect(ledger?.proof).toContain(evidence);
      expect(row).toMatchObject({ status: 'skipped', status_reason: expect.stringContaining('suppressed') });
    }

    it('inbound "STOP"', async () => {
      sim.control.simulateInbound({ from: waId(0), type: 'text', text: 'STOP' });
      await sim.control.flushWebhooks();
      await expectSuppressed(0, 'webhook:inbound', 'STOP');
    });

    it('the "Stop promotions" quick-reply button', async () => {
      sim.control.simulateInbound({ from: waId(1), type: 'button', text: 'Stop promotions' });
      await sim.control.flushWebhooks();
      await expectSuppressed(1, 'webhook:inbound', 'Stop promotions');
    });

    it('an accented word in another language', async () => {
      sim.control.simulateInbound({ from: waId(2), type: 'text', text: '  Désabonner ! ' });
      await sim.control.flushWebhooks();
      await expectSuppressed(2, 'webhook:inbound', 'Désabonner');
    });

    it('a user_preferences stop', async () => {
      sim.control.setUserPreference(waId(3), 'stop');
      await sim.control.flushWebhooks();
      await expectSuppressed(3, 'webhook:user_preferences', 'stop');
    });

    it('a failed status with 131050', async () => {
      const sentBefore = earlier.find((m) => m.phone === phone(4)) as MessageView;
      const failed = status(
        sentBefore.wamid as string,
        'failed',
        phone(4),
        T0 + 1,
        failure(131050, 'User stopped marketing'),
      );
      expect(await post(statusEnvelope([failed]))).toBe(200);
      await expectSuppressed(4, 'webhook:131050', '131050');
    });

    it('leaves everyone else pending', async () => {
      const { suppression, row } = await standing(5);
      expect(suppression).toBeUndefined();
      expect(row?.status).toBe('pending');
    });

    it('START and a user_preferences resume re-subscribe', async () => {
      sim.control.simulateInbound({ from: waId(0), type: 'text', text: 'Start' });
      sim.control.setUserPreference(waId(3), 'resume');
      await sim.control.flushWebhooks();
      for (const [i, source] of [
        [0, 'webhook:inbound'],
        [3, 'webhook:user_preferences'],
      ] as const) {
        const { suppression, ledger } = await standing(i);
        expect(suppression).toBeUndefined();
        expect(ledger).toMatchObject({ action: 'grant', source });
        const contact = await api<{ suppressed: string | null; consent: { marketing: string | null } }>(
          'GET',
          `/api/v1/contacts/${encodeURIComponent(phone(i))}`,
        );
        expect(contact.json.suppressed).toBeNull();
        expect(contact.json.consent.marketing).not.toBeNull();
      }
    });
  });
});

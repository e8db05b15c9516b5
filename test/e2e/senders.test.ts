// Several senders in one Chorus, tried as a user would in sandbox mode: a second sender gets a
// number on a simulator of its own, campaigns of both send side by side, and webhooks are accepted
// under any sender's app secret and kept apart when they name a number no sender has.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsCsv, waitForCompletion } from './support/campaign-run.ts';
import {
  type ChorusProcess,
  chorusApi,
  freePort,
  startChorusProcess,
  stopChild,
  waitFor,
} from './support/processes.ts';
import { postWebhook, status } from './support/webhook-payloads.ts';

const API_KEY = 'e2e-senders-key';
const EACH = 30;

describe('several senders in sandbox mode', () => {
  let dir = '';
  let chorus: ChorusProcess;
  let api: ReturnType<typeof chorusApi>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-senders-'));
    const port = await freePort();
    chorus = await startChorusProcess(
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${path.join(dir, 'chorus.db')}`,
        CHORUS_API_KEY: API_KEY,
        CHORUS_SANDBOX: '1',
        CHORUS_LOG_LEVEL: 'warn',
        WA_MPS: '50',
      },
      path.join(dir, 'chorus.log'),
    );
    api = chorusApi(chorus.url, API_KEY);
  });
  afterAll(async () => {
    await stopChild(chorus.child, 'SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds a sandbox sender, syncs both senders and sends a campaign of each side by side', async () => {
    const added = await api<{ id: string; is_sandbox: boolean; business_account_id: string }>(
      'POST',
      '/api/v1/senders',
      {
        name: 'Brand B',
        mps: 50,
      },
    );
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ id: 'brand-b', is_sandbox: true, status: 'active' });
    const synced = await api<{ data: { business_account_id: string; name: string }[]; errors: unknown[] }>(
      'POST',
      '/api/v1/templates/sync',
    );
    expect(synced.json.errors).toEqual([]);
    expect(new Set(synced.json.data.map((t) => t.business_account_id)).size).toBe(2);
    const onlyB = await api<{ data: { business_account_id: string }[] }>('GET', '/api/v1/templates?sender=brand-b');
    expect(onlyB.json.data.every((t) => t.business_account_id === added.json.business_account_id)).toBe(true);

    const { csv } = contactsCsv('both', EACH * 2, 0);
    const lines = csv.trim().split('\n');
    const half = (tag: string, rows: string[]) =>
      `${lines[0]}\n${rows.map((r) => r.replace(',both,', `,${tag},`)).join('\n')}\n`;
    await api('POST', '/api/v1/contacts/import', half('a', lines.slice(1, EACH + 1)), 'text/csv');
    await api('POST', '/api/v1/contacts/import', half('b', lines.slice(EACH + 1)), 'text/csv');
    const launch = async (sender: string, tag: string) => {
      const created = await api<{ id: string }>('POST', '/api/v1/campaigns', {
        name: `to ${tag}`,
        sender,
        template: { name: 'welcome', language: 'en_US' },
        params: { body: ['{{first_name|there}}'] },
        audience: { tags: [tag] },
      });
      expect(created.status).toBe(201);
      expect((await api('POST', `/api/v1/campaigns/${created.json.id}/start`)).status).toBe(200);
      return created.json.id;
    };
    const [a, b] = [await launch('default', 'a'), await launch('brand-b', 'b')];
    const [doneA, doneB] = await Promise.all([waitForCompletion(api, a, 30_000), waitForCompletion(api, b, 30_000)]);
    for (const done of [doneA, doneB]) {
      expect(done.total).toBe(EACH);
      expect((done.counts.pending ?? 0) + (done.counts.sending ?? 0) + (done.counts.failed ?? 0)).toBe(0);
    }
  });

  it("shows each sender's number as Meta (here the simulator) describes it: quality, throughput, tier", async () => {
    const described = await waitFor(
      'the senders to be read from the simulators',
      async () => {
        const { json } = await api<{ data: Record<string, unknown>[] }>('GET', '/api/v1/senders');
        return json.data.every((s) => s.health_checked_at !== null) ? json.data : undefined;
      },
      10_000,
    );
    for (const sender of described) {
      expect(sender).toMatchObject({
        quality_rating: 'GREEN',
        throughput_level: 'STANDARD',
        messaging_limit_tier: expect.stringMatching(/^TIER_/),
        display_phone_number: expect.stringMatching(/^\+\d+$/),
        health_error: null,
      });
    }
  });

  it('refuses a campaign on a sender that does not exist, naming the field', async () => {
    const refused = await api<{ error: { field: string } }>('POST', '/api/v1/campaigns', {
      name: 'nowhere',
      sender: 'nope',
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['x'] },
    });
    expect(refused.status).toBe(404);
    expect(refused.json.error.field).toBe('sender');
  });

  it("accepts a webhook under a stored sender's app secret and keeps one for an unknown number apart", async () => {
    const added = await api('POST', '/api/v1/senders', {
      name: 'Brand C',
      phone_number_id: '100000000000777',
      business_account_id: '200000000000777',
      access_token: 'EAAG-brand-c-token',
      app_secret: 'brand-c-app-secret',
    });
    expect(added.status).toBe(201);
    const forNumber = (phoneNumberId: string) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '200000000000777',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550009999', phone_number_id: phoneNumberId },
                statuses: [
                  status('wamid.nobody', 'delivered', '+4915100000001', 1_800_000_000, {
                    biz_opaque_callback_data: '1',
                  }),
                ],
              },
            },
          ],
        },
      ],
    });
    // The fleet picks the new sender's secret up within a second.
    let answer = 0;
    for (let i = 0; i < 30 && answer !== 200; i++) {
      answer = await postWebhook(chorus.url, forNumber('999000111'), { appSecret: 'brand-c-app-secret' });
      if (answer !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answer).toBe(200);
    expect(await postWebhook(chorus.url, forNumber('999000111'), { appSecret: 'not-any-secret' })).toBe(401);
    const db = new SQLite(path.join(dir, 'chorus.db'), { readonly: true });
    try {
      const kept = db.prepare('select kind, phone_number_id from webhook_unrouted').all();
      expect(kept).toEqual([{ kind: 'status', phone_number_id: '999000111' }]);
      const applied = db.prepare("select count(*) as n from status_events where wamid = 'wamid.nobody'").get();
      expect(applied).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

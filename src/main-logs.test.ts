// The logs of a whole Chorus process (sandbox mode, in-process, the logger writing to a buffer at
// debug): one message can be followed by its id from its claim to Meta's answer to its webhook
// status, every request's lines carry its id, and no credential, full phone number or message
// content is ever written.
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { type RunningChorus, startChorus } from './main.ts';

const API_KEY = 'logs-test-api-key-7f3a';
const PHONE = '+4915112345678';
const FIRST_NAME = 'Zoltanina';
const SENDER_TOKEN = 'EAAG-stored-sender-token-91ab';
const SENDER_SECRET = 'stored-sender-app-secret-55cd';

type Line = Record<string, unknown> & { msg: string };

describe('the logs of a running Chorus', () => {
  const raw: string[] = [];
  const lines = () => raw.map((line) => JSON.parse(line) as Line);
  let dir = '';
  let chorus: RunningChorus;
  let importRequestId = '';
  let messageId = 0;
  let finalStatus = '';

  const api = async (method: string, route: string, body?: unknown, type = 'application/json') => {
    const answer = await fetch(`${chorus.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: answer.status, headers: answer.headers, json: (await answer.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-logs-'));
    const config = loadConfig({
      DATABASE_URL: `sqlite:${path.join(dir, 'chorus.db')}`,
      PORT: '0',
      CHORUS_API_KEY: API_KEY,
      CHORUS_SANDBOX: '1',
    });
    chorus = await startChorus(config, createLogger('debug', { write: (line: string) => raw.push(line) }));
    const imported = await api(
      'POST',
      '/api/v1/contacts/import?tag=logs',
      `phone,first_name,opted_in_at,consent_source\n${PHONE},${FIRST_NAME},2026-01-05T10:00:00Z,form\n`,
      'text/csv',
    );
    expect(imported.json).toMatchObject({ imported: 1 });
    importRequestId = imported.headers.get('x-request-id') ?? '';
    const added = await api('POST', '/api/v1/senders', {
      name: 'Brand Z',
      phone_number_id: '100000000000991',
      business_account_id: '200000000000991',
      access_token: SENDER_TOKEN,
      app_secret: SENDER_SECRET,
    });
    expect(added.status).toBe(201);
    expect((await api('POST', '/api/v1/templates/sync?sender=default')).status).toBe(200);
    const created = await api('POST', '/api/v1/campaigns', {
      name: 'followed',
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: ['logs'] },
    });
    expect((await api('POST', `/api/v1/campaigns/${created.json.id}/start`)).status).toBe(200);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const page = await api('GET', `/api/v1/campaigns/${created.json.id}/messages`);
      const message = (page.json.data as { id: number; status: string }[])[0];
      if (message && ['delivered', 'read'].includes(message.status)) {
        messageId = Number(message.id);
        finalStatus = message.status;
        break;
      }
      if (Date.now() > deadline) throw new Error(`the message did not arrive: ${JSON.stringify(page.json)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await chorus.webhooksSettled();
    await fetch(
      `${chorus.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=42&hub.verify_token=${chorus.defaultSender.credentials?.verifyToken}`,
    );
    const body = '{"object":"whatsapp_business_account","entry":[]}';
    const signature = createHmac('sha256', SENDER_SECRET).update(body).digest('hex');
    await fetch(`${chorus.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
      body,
    });
  }, 60_000);

  afterAll(async () => {
    await chorus?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('puts the request id of the answer on every line of that request', () => {
    expect(importRequestId).toMatch(/^[0-9a-f-]{36}$/);
    const ofImport = lines().filter((l) => l.requestId === importRequestId);
    expect(ofImport.map((l) => l.msg)).toContain('request answered');
    expect(ofImport.find((l) => l.msg === 'request answered')).toMatchObject({
      route: '/api/v1/contacts/import',
      status: 200,
    });
  });

  it('follows one message id from its claim to the answer to its webhook status', () => {
    const ofMessage = lines().filter((l) => l.messageId === messageId);
    const claimed = ofMessage.find((l) => l.msg === 'claimed');
    const answered = ofMessage.find((l) => l.msg === 'send answered');
    expect(claimed).toMatchObject({ senderId: 'default', attempt: 1 });
    expect(answered).toMatchObject({ senderId: 'default', decision: 'accepted' });
    const wamid = answered?.wamid;
    expect(wamid).toMatch(/^wamid\./);
    const received = ofMessage.filter((l) => l.msg === 'status received');
    expect(received.map((l) => l.wamid)).toContain(wamid);
    // A webhook's lines carry the id of the POST that brought it.
    expect(received.every((l) => typeof l.requestId === 'string')).toBe(true);
    // The simulator may skip `delivered` or send it after `read`: the status the message reached was applied.
    expect(ofMessage.filter((l) => l.msg === 'status applied').map((l) => l.status)).toContain(finalStatus);
  });

  it('never writes a credential, a full phone number or a name', () => {
    // Meta's message ids encode the recipient (base64 in Meta's, plain digits in the simulator's):
    // they are logged as the key to a message, and left out of this check.
    const text = raw.join('').replace(/wamid\.[A-Za-z0-9_=+/-]+/g, 'wamid');
    const credentials = chorus.defaultSender.credentials;
    const secrets = {
      API_KEY,
      SENDER_TOKEN,
      SENDER_SECRET,
      sandboxToken: credentials?.accessToken,
      sandboxAppSecret: credentials?.appSecret,
      verifyToken: credentials?.verifyToken,
      PHONE,
      phoneDigits: PHONE.slice(1),
      FIRST_NAME,
    };
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret, what).toBeTypeOf('string');
      expect(text.includes(secret as string), what).toBe(false);
    }
    expect(lines().length).toBeGreaterThan(10);
  });
});

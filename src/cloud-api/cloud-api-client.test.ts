import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../domain/outbound-message.ts';
import { CloudApiClient } from './cloud-api-client.ts';
import { answerJson, type FakeGraphServer, startFakeGraphServer } from './fake-graph-server.testing.ts';

const message: OutboundMessage = {
  to: '+16505551234',
  callbackData: 'msg-1',
  template: { name: 'welcome', languageCode: 'en_US', body: [{ type: 'text', text: 'Ana' }], buttons: [] },
};

function metaError(code: number, extra: Record<string, unknown> = {}) {
  return {
    error: {
      message: `(#${code}) Some title`,
      type: 'OAuthException',
      code,
      error_data: { messaging_product: 'whatsapp', details: `details of ${code}` },
      error_subcode: 2494055,
      fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
      ...extra,
    },
  };
}

const ok = (wamid: string) => ({
  messaging_product: 'whatsapp',
  contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
  messages: [{ id: wamid, message_status: 'accepted' }],
});

let server: FakeGraphServer;
let client: CloudApiClient;
const signal = new AbortController().signal;

beforeAll(async () => {
  server = await startFakeGraphServer((_req, res) => answerJson(res, 200, ok('wamid.A')));
  client = new CloudApiClient({
    graphUrl: server.url,
    apiVersion: 'v23.0',
    phoneNumberId: '106540352242922',
    accessToken: 'token-x',
    maxInFlight: 4,
    timeoutMs: 300,
  });
});
afterAll(async () => {
  await client.close();
  await server.close();
});
afterEach(() => {
  server.received.length = 0;
  server.setHandler((_req, res) => answerJson(res, 200, ok('wamid.A')));
});

describe('CloudApiClient.send', () => {
  it('posts the template body with bearer auth to /{version}/{phone-number-id}/messages', async () => {
    const outcome = await client.send(message, signal);
    expect(outcome).toEqual({ ok: true, wamid: 'wamid.A', messageStatus: 'accepted' });
    const req = server.received[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v23.0/106540352242922/messages');
    expect(req.headers.authorization).toBe('Bearer token-x');
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ to: '+16505551234', type: 'template', biz_opaque_callback_data: 'msg-1' });
  });

  it('returns messageStatus null when Meta omits it (non-template sends)', async () => {
    server.setHandler((_req, res) => answerJson(res, 200, { messages: [{ id: 'wamid.B' }] }));
    expect(await client.send(message, signal)).toEqual({ ok: true, wamid: 'wamid.B', messageStatus: null });
  });

  it('fails a recipient without + before any request', async () => {
    const outcome = await client.send({ ...message, to: '16505551234' }, signal);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.errorClass).toBe('recipient_permanent');
    expect(server.received).toHaveLength(0);
  });

  it.each([
    [130429, 429, 'throughput'],
    [130429, 400, 'throughput'],
    [131056, 400, 'pair_rate'],
    [131026, 400, 'recipient_permanent'],
    [132001, 404, 'template'],
    [190, 401, 'auth_config'],
    [368, 403, 'policy_quality'],
    [131000, 500, 'retryable'],
  ] as const)('classifies code %i (HTTP %i) as %s', async (code, status, errorClass) => {
    server.setHandler((_req, res) => answerJson(res, status, metaError(code)));
    const outcome = await client.send(message, signal);
    expect(outcome).toEqual({
      ok: false,
      error: {
        errorClass,
        code,
        subcode: 2494055,
        title: 'Some title',
        details: `details of ${code}`,
        fbtraceId: 'Az8or2yhqkZfEZ-_4Qn_Bam',
        httpStatus: status,
      },
    });
  });

  it('treats an unknown code marked is_transient as retryable', async () => {
    server.setHandler((_req, res) => answerJson(res, 400, metaError(999_999, { is_transient: true })));
    const outcome = await client.send(message, signal);
    expect(!outcome.ok && outcome.error.errorClass).toBe('retryable');
  });

  it('treats a 5xx without a parsable body as retryable', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    const outcome = await client.send(message, signal);
    expect(!outcome.ok && outcome.error).toMatchObject({ errorClass: 'retryable', code: null, httpStatus: 502 });
  });

  it('treats a 200 without a message id as unknown_outcome', async () => {
    server.setHandler((_req, res) => answerJson(res, 200, { messaging_product: 'whatsapp' }));
    const outcome = await client.send(message, signal);
    expect(!outcome.ok && outcome.error.errorClass).toBe('unknown_outcome');
  });

  it('turns a slow answer into unknown_outcome after timeoutMs', async () => {
    server.setHandler(async (_req, res) => {
      await sleep(3_000);
      if (!res.destroyed) answerJson(res, 200, ok('wamid.late'));
    });
    const started = performance.now();
    const outcome = await client.send(message, signal);
    expect(!outcome.ok && outcome.error).toMatchObject({
      errorClass: 'unknown_outcome',
      details: 'UND_ERR_HEADERS_TIMEOUT',
    });
    // undici's request timers tick about once a second, so 300 ms fires within ~1 s.
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it('turns a connection destroyed after the body was read into unknown_outcome', async () => {
    server.setHandler((_req, res) => {
      res.socket?.destroy();
    });
    const outcome = await client.send(message, signal);
    expect(server.received).toHaveLength(1);
    expect(!outcome.ok && outcome.error.errorClass).toBe('unknown_outcome');
  });

  it('turns an abort mid-request into unknown_outcome', async () => {
    server.setHandler(async (_req, res) => {
      await sleep(200);
      if (!res.destroyed) answerJson(res, 200, ok('wamid.C'));
    });
    const outcome = await client.send(message, AbortSignal.timeout(50));
    expect(!outcome.ok && outcome.error.errorClass).toBe('unknown_outcome');
  });

  it('ends every send in flight at once when their signal aborts, and keeps sending after', async () => {
    server.setHandler(async (_req, res) => {
      await sleep(1_000);
      if (!res.destroyed) answerJson(res, 200, ok('wamid.late'));
    });
    const shutdown = new AbortController();
    const started = performance.now();
    const inFlight = Promise.all(Array.from({ length: 3 }, () => client.send(message, shutdown.signal)));
    await sleep(50);
    shutdown.abort(new Error('shutting down'));
    const outcomes = await inFlight;
    expect(performance.now() - started).toBeLessThan(500);
    expect(outcomes.map((o) => !o.ok && o.error.errorClass)).toEqual(Array(3).fill('unknown_outcome'));

    server.setHandler((_req, res) => answerJson(res, 200, ok('wamid.after')));
    const after = await client.send(message, signal);
    expect(after.ok && after.wamid).toBe('wamid.after');
  });

  it('keeps at most maxInFlight requests in progress', async () => {
    let n = 0;
    server.setHandler(async (_req, res) => {
      await sleep(20);
      n += 1;
      answerJson(res, 200, ok(`wamid.${n}`));
    });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => client.send(message, signal)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.maxConcurrent()).toBeLessThanOrEqual(4);
    expect(server.maxConcurrent()).toBeGreaterThanOrEqual(2);
  });
});

describe('CloudApiClient connection failures', () => {
  it('classifies a refused connection as retryable (the request never left)', async () => {
    const closed = await startFakeGraphServer(() => {});
    const url = closed.url;
    await closed.close();
    const c = new CloudApiClient({ graphUrl: url, apiVersion: 'v23.0', phoneNumberId: '1', accessToken: 't' });
    const outcome = await c.send(message, signal);
    await c.close();
    expect(!outcome.ok && outcome.error).toMatchObject({ errorClass: 'retryable', details: 'ECONNREFUSED' });
  });
});

// Test helpers: a simulator on loopback with a webhook receiver that records raw bodies.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from './index.ts';
import { SANDBOX_TEMPLATES } from './sandbox-templates.ts';
import type { RunningSimulator, SimBehaviour, SimTemplate, SimulatorOptions } from './types.ts';

/** Parsed JSON that tests read freely. */
// biome-ignore lint/suspicious/noExplicitAny: tests navigate webhook and answer JSON by hand
export type Json = any;

/** One webhook POST as the receiver got it. */
export interface ReceivedWebhook {
  rawBody: string;
  signature: string | undefined;
  json: Json;
}

/** A webhook receiver: answers `answer()` (200 by default) and records every POST. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  answer: () => number;
  close(): Promise<void>;
}

/** Starts a webhook receiver on loopback. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const receiver: Omit<WebhookReceiver, 'url' | 'close'> = { received: [], answer: () => 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString();
      const signature = req.headers['x-hub-signature-256'];
      receiver.received.push({
        rawBody,
        signature: typeof signature === 'string' ? signature : undefined,
        json: JSON.parse(rawBody),
      });
      res.statusCode = receiver.answer();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** Quiet, orderly webhooks: no disorder, everyone reads, short delays. */
export const ORDERLY: Partial<SimBehaviour> = {
  sentDelayMs: 0,
  deliveredDelayMs: 5,
  readDelayMs: 10,
  readRate: 1,
  readWithoutDeliveredRate: 0,
  outOfOrderRate: 0,
  duplicateRate: 0,
  delayedRate: 0,
  webhookFlushIntervalMs: 5,
  webhookRetryBaseMs: 5,
};

/** Credentials every test simulator uses. */
export const TEST_IDS = {
  accessToken: 'test-token',
  phoneNumberId: '1001',
  businessAccountId: '2002',
  appSecret: 'test-secret',
};

/** A simulator with the sandbox templates, orderly webhooks to a fresh receiver, and a send helper. */
export async function startTestSimulator(
  behaviour: Partial<SimBehaviour> = {},
  extra: Partial<SimulatorOptions> & { templates?: SimTemplate[] } = {},
) {
  const receiver = await startReceiver();
  const sim: RunningSimulator = await startSimulator({
    ...TEST_IDS,
    webhookUrl: receiver.url,
    seed: 7,
    ...extra,
    templates: [...SANDBOX_TEMPLATES.map((t) => structuredClone(t)), ...(extra.templates ?? [])],
    behaviour: { ...ORDERLY, ...behaviour },
  });
  return {
    sim,
    receiver,
    /** POSTs a send body; answers status, JSON and headers. */
    send: (
      body: unknown,
      options: { token?: string | null; version?: string; phoneNumberId?: string; raw?: string } = {},
    ) =>
      request(
        sim.url,
        'POST',
        `/${options.version ?? 'v23.0'}/${options.phoneNumberId ?? TEST_IDS.phoneNumberId}/messages`,
        {
          body: options.raw ?? JSON.stringify(body),
          token: options.token === undefined ? TEST_IDS.accessToken : options.token,
        },
      ),
    /** GETs a Graph path (with the token). */
    get: (path: string) => request(sim.url, 'GET', path, { token: TEST_IDS.accessToken }),
    /** All statuses received so far, flattened. */
    statuses: (): Json[] =>
      receiver.received.flatMap((w) =>
        w.json.entry.flatMap((e: Json) => e.changes.flatMap((c: Json) => c.value.statuses ?? [])),
      ),
    changes: (field: string): Json[] =>
      receiver.received.flatMap((w) =>
        w.json.entry.flatMap((e: Json) => e.changes.filter((c: Json) => c.field === field)),
      ),
    async close() {
      await sim.close();
      await receiver.close();
    },
  };
}

/** A plain HTTP call answering status, parsed JSON and headers. */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: string; token?: string | null } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : undefined) as Json, headers: response.headers };
}

/** Polls until check() is true (short sleeps, bounded). */
export async function eventually(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A template send body for the sandbox templates. */
export function templateSend(
  name: string,
  to: string,
  components: unknown[] = [],
  extra: Record<string, unknown> = {},
) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: { name, language: { code: 'en_US' }, components },
    ...extra,
  };
}

/** A body component with positional text parameters. */
export function bodyParams(...texts: string[]) {
  return { type: 'body', parameters: texts.map((text) => ({ type: 'text', text })) };
}

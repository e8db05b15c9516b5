// The control API over HTTP, under /_sim/ (no Graph auth: it is for tests on loopback).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { GraphError } from './graph-errors.ts';
import { parseJson, readBody, sendJson } from './http-io.ts';
import { outageRequestSchema } from './outage.ts';
import { SIM_TEMPLATE_STATUSES, type SimInbound, type SimTemplate, type SimulatorControl } from './types.ts';

const inboundSchema = z.discriminatedUnion('type', [
  z.object({
    from: z.string(),
    type: z.literal('text'),
    text: z.string(),
    name: z.string().optional(),
    contextWamid: z.string().optional(),
  }),
  z.object({
    from: z.string(),
    type: z.literal('button'),
    text: z.string(),
    payload: z.string().optional(),
    contextWamid: z.string().optional(),
    name: z.string().optional(),
  }),
  z.object({
    from: z.string(),
    type: z.enum(['button_reply', 'list_reply']),
    id: z.string(),
    title: z.string(),
    description: z.string().optional(),
    contextWamid: z.string().optional(),
    name: z.string().optional(),
  }),
]);
const statusSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  language: z.string().optional(),
  status: z.enum(SIM_TEMPLATE_STATUSES),
});
const templateSchema = z.object({
  id: z.string().optional(),
  name: z.string().min(1),
  language: z.string().min(2),
  category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
  status: z.enum(SIM_TEMPLATE_STATUSES),
  parameter_format: z.enum(['NAMED', 'POSITIONAL']).optional(),
  components: z.array(z.object({ type: z.string() }).loose()),
});

type Handler = (control: SimulatorControl, body: unknown, query: URLSearchParams, param: string) => unknown;

const ROUTES: Record<string, Handler> = {
  'GET behaviour': (c) => c.getBehaviour(),
  'POST behaviour': (c, body) => c.setBehaviour(body as never),
  'PATCH behaviour': (c, body) => c.setBehaviour(body as never),
  'POST reset': (c) => {
    c.reset();
    return { ok: true };
  },
  'POST faults': (c, body) => {
    const { mode, for_ms, accept_rate } = outageRequestSchema.parse(body);
    const outage = c.startOutage(mode, for_ms, accept_rate);
    return { mode: outage.mode, until_ms: outage.untilMs, accept_rate: outage.acceptRate };
  },
  'DELETE faults': (c) => {
    c.endOutage();
    return { ok: true };
  },
  'GET messages': (c, _b, q) => ({
    data: c.acceptedMessages({ offset: Number(q.get('offset') ?? 0), limit: Number(q.get('limit') ?? 1000) }),
  }),
  'GET duplicates': (c) => ({ data: c.duplicateCallbackData() }),
  'GET arrivals': (c) => c.arrivals(),
  'GET stats': (c) => c.stats(),
  'POST inbound': (c, body) => ({ id: c.simulateInbound(inboundSchema.parse(body) as SimInbound) }),
  'POST templates': (c, body) => c.upsertTemplate(templateSchema.parse(body) as SimTemplate),
  'POST templates/status': (c, body) => {
    const { status, ...ref } = statusSchema.parse(body);
    return c.setTemplateStatus(ref, status);
  },
  'POST users/preferences': (c, body, _q, waId) => {
    c.setUserPreference(waId, z.object({ value: z.enum(['stop', 'resume']) }).parse(body).value);
    return { ok: true };
  },
  'POST webhook': (c, body) => {
    c.setWebhookUrl(z.object({ url: z.url().optional() }).parse(body).url);
    return { ok: true };
  },
  'POST webhooks/flush': async (c) => {
    await c.flushWebhooks();
    return { ok: true };
  },
};

/** Handles /_sim/…; answers 404 for unknown routes and 400 with the reason for bad bodies. */
export async function handleControl(
  control: SimulatorControl,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  // /_sim/users/{waId}/preferences carries a parameter; every other route is fixed.
  const parts = url.pathname.replace(/^\/_sim\/?/, '').split('/');
  const param = parts[0] === 'users' ? (parts[1] ?? '') : '';
  const path = parts[0] === 'users' ? `users/${parts[2] ?? ''}` : parts.join('/');
  const handler = ROUTES[`${req.method} ${path}`];
  const bodyText = req.method === 'GET' ? '' : await readBody(req);
  if (handler === undefined)
    return sendJson(res, 404, { error: { message: `no control route ${req.method} ${url.pathname}` } });
  try {
    sendJson(res, 200, await handler(control, parseJson(bodyText) ?? {}, url.searchParams, param));
  } catch (error) {
    const message =
      error instanceof z.ZodError
        ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        : String(error);
    sendJson(res, 400, { error: { message, code: error instanceof GraphError ? error.code : undefined } });
  }
}

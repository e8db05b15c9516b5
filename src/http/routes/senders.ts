import { createRoute, z } from '@hono/zod-openapi';
import { campaignInputSchema } from '../../app/campaign-input.ts';
import { SEND_NOW_TIMEOUT_MS, type SendThroughSender } from '../../app/campaign-test-send.ts';
import { senderInputSchema, senderPatchSchema } from '../../app/sender-input.ts';
import { sendSenderTest } from '../../app/sender-test-send.ts';
import {
  changeSender,
  createSender,
  deleteSender,
  listSenderViews,
  type SenderAdmin,
  setSenderPausedByPerson,
  viewSender,
} from '../../app/senders.ts';
import type { AuditAction } from '../../domain/audit.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

const senderSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    status: z.enum(['active', 'paused']),
    status_reason: z.string().nullable(),
    mps: z.number(),
    daily_limit: z.number(),
    access_token: z.literal('set'),
  })
  .openapi('Sender');
const idParams = z.object({ id: z.string().min(1).max(64) });
const pauseBody = z.object({ reason: z.string().min(1).max(500).optional() });
const testBody = z.object({
  phone: z.string().min(1).max(32).openapi({ description: 'E.164, usually your own; never a suppressed number' }),
  template: z
    .object({ name: z.string().min(1).max(512), language: z.string().min(2).max(16).default('en_US') })
    .optional()
    .openapi({ description: "Default: the sender's first APPROVED template that needs no parameters" }),
  params: campaignInputSchema.shape.params.optional(),
});
const testResultSchema = z.object({
  status: z.enum(['accepted', 'failed']),
  wamid: z.string().nullable(),
  error: z
    .object({
      code: z.number().nullable(),
      title: z.string(),
      explanation: z.string().optional(),
      action: z.string().optional(),
    })
    .nullable(),
  template: z.object({ name: z.string(), language: z.string() }),
});

/** What the sender routes need beyond the common deps. */
export interface SenderRouteDeps {
  /** Seals credentials, and in sandbox mode puts new senders on the simulator. */
  admin: SenderAdmin;
  /** Wakes the fleet after a sender changed, so its machinery follows within a second. */
  onSenderChanged: () => void;
  /** Sends a test message now; without it (tests of other routes) the test route is not offered. */
  sendNow?: SendThroughSender;
}

/** /api/v1/senders: list, add, read, change, remove, pause and resume (docs/command-line-and-api.md). */
export function registerSenderRoutes(app: ChorusApp, deps: HttpDeps, extra: SenderRouteDeps): void {
  const tags = ['senders'];
  const { db } = deps.database;
  // Every change wakes the fleet and is audited, after it succeeded.
  const changed = async <T extends { id: string }>(
    c: Parameters<typeof auditRequest>[0],
    action: AuditAction,
    view: T,
    details?: Record<string, unknown>,
  ): Promise<T> => {
    extra.onSenderChanged();
    await auditRequest(c, deps, { action, target: { type: 'sender', id: view.id }, ...(details ? { details } : {}) });
    return view;
  };
  const route = (method: 'get' | 'post' | 'patch' | 'delete', path: string) => ({
    method,
    path,
    tags,
    security: bearerSecurity,
  });

  app.openapi(
    createRoute({
      ...route('get', '/api/v1/senders'),
      responses: {
        200: jsonResponse(z.object({ data: z.array(senderSchema), next_cursor: z.null() }), 'Every sender in use'),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ data: await listSenderViews(db), next_cursor: null }, 200),
  );

  app.openapi(
    createRoute({
      ...route('post', '/api/v1/senders'),
      request: { body: { content: { 'application/json': { schema: senderInputSchema } }, required: true } },
      responses: {
        201: jsonResponse(
          senderSchema,
          'Added; its credentials are stored sealed and never returned. In sandbox mode, without credentials, it gets a number on the built-in simulator',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const view = await createSender(db, extra.admin, c.req.valid('json'), deps.clock());
      return c.json(await changed(c, 'sender.create', view, { name: view.name, mps: view.mps }), 201);
    },
  );

  app.openapi(
    createRoute({
      ...route('get', '/api/v1/senders/{id}'),
      request: { params: idParams },
      responses: { 200: jsonResponse(senderSchema, 'The sender, its limits and state'), ...errorResponses },
    }),
    async (c) => c.json(await viewSender(db, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      ...route('patch', '/api/v1/senders/{id}'),
      request: {
        params: idParams,
        body: { content: { 'application/json': { schema: senderPatchSchema } }, required: true },
      },
      responses: {
        200: jsonResponse(senderSchema, 'Changed; its send loop restarts with the new settings within a second'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const patch = c.req.valid('json');
      const view = await changeSender(db, extra.admin, c.req.valid('param').id, patch, deps.clock());
      // The fields, never their values: a token or secret must not reach the log.
      return c.json(await changed(c, 'sender.update', view, { fields: Object.keys(patch) }), 200);
    },
  );

  app.openapi(
    createRoute({
      ...route('delete', '/api/v1/senders/{id}'),
      request: { params: idParams },
      responses: {
        204: { description: 'Removed; its finished campaigns keep their history' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await deleteSender(db, id, deps.clock());
      await changed(c, 'sender.delete', { id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...route('post', '/api/v1/senders/{id}/pause'),
      request: {
        params: idParams,
        body: { content: { 'application/json': { schema: pauseBody } }, required: false },
      },
      responses: {
        200: jsonResponse(senderSchema, 'Paused: its campaigns send nothing until it is resumed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const reason = c.req.valid('json').reason ?? 'paused by a person';
      const view = await setSenderPausedByPerson(db, c.req.valid('param').id, { reason }, deps.clock());
      return c.json(await changed(c, 'sender.pause', view, { reason }), 200);
    },
  );

  app.openapi(
    createRoute({
      ...route('post', '/api/v1/senders/{id}/resume'),
      request: { params: idParams },
      responses: {
        200: jsonResponse(senderSchema, 'Active: its running campaigns send again within a second'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const view = await setSenderPausedByPerson(db, c.req.valid('param').id, null, deps.clock());
      return c.json(await changed(c, 'sender.resume', view), 200);
    },
  );

  if (extra.sendNow) registerSenderTestRoute(app, deps, extra.sendNow);
}

/** POST /api/v1/senders/{id}/test: one template message now, to check a number works end to end. */
function registerSenderTestRoute(app: ChorusApp, deps: HttpDeps, sendNow: SendThroughSender): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/senders/{id}/test',
      tags: ['senders'],
      security: bearerSecurity,
      request: {
        params: idParams,
        body: { content: { 'application/json': { schema: testBody } }, required: true },
      },
      responses: {
        200: jsonResponse(
          testResultSchema,
          "Sent now through the sender: accepted with its wamid, or failed with Meta's error explained. Operators and admins",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { phone, template, params } = c.req.valid('json');
      const result = await sendSenderTest(
        deps.database,
        { senderId: id, phone, ...(template ? { template } : {}), ...(params ? { params } : {}) },
        sendNow,
        AbortSignal.timeout(SEND_NOW_TIMEOUT_MS),
      );
      // Never the phone: the log outlives an erasure.
      await auditRequest(c, deps, {
        action: 'sender.test_send',
        target: { type: 'sender', id },
        details: { template: result.template.name, status: result.status, error_code: result.error?.code ?? null },
      });
      return c.json(result, 200);
    },
  );
}

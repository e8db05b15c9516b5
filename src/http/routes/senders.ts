import { createRoute, z } from '@hono/zod-openapi';
import { listSenderViews, setSenderPausedByPerson, viewSender } from '../../app/senders.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

const senderSchema = z
  .looseObject({
    id: z.string(),
    status: z.enum(['active', 'paused']),
    status_reason: z.string().nullable(),
    mps: z.number(),
    daily_limit: z.number(),
  })
  .openapi('Sender');
const idParams = z.object({ id: z.string().min(1).max(64) });
const pauseBody = z.object({ reason: z.string().min(1).max(500).optional() });

/** What the sender routes need beyond the common deps. */
export interface SenderRouteDeps {
  /** Wakes the dispatchers after a sender was paused or resumed. */
  onSenderChanged: () => void;
}

/** GET /api/v1/senders, GET /api/v1/senders/{id}, POST /api/v1/senders/{id}/pause|resume. */
export function registerSenderRoutes(app: ChorusApp, deps: HttpDeps, extra: SenderRouteDeps): void {
  const tags = ['senders'];
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/senders',
      tags,
      security: bearerSecurity,
      responses: {
        200: jsonResponse(z.object({ data: z.array(senderSchema), next_cursor: z.null() }), 'Every sender'),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ data: await listSenderViews(deps.database.db), next_cursor: null }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/senders/{id}',
      tags,
      security: bearerSecurity,
      request: { params: idParams },
      responses: { 200: jsonResponse(senderSchema, 'The sender, its limits and state'), ...errorResponses },
    }),
    async (c) => c.json(await viewSender(deps.database.db, c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/senders/{id}/pause',
      tags,
      security: bearerSecurity,
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
      const view = await setSenderPausedByPerson(deps.database.db, c.req.valid('param').id, { reason }, deps.clock());
      extra.onSenderChanged();
      return c.json(view, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/senders/{id}/resume',
      tags,
      security: bearerSecurity,
      request: { params: idParams },
      responses: {
        200: jsonResponse(senderSchema, 'Active: its running campaigns send again within a second'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const view = await setSenderPausedByPerson(deps.database.db, c.req.valid('param').id, null, deps.clock());
      extra.onSenderChanged();
      return c.json(view, 200);
    },
  );
}

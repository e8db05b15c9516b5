import { createRoute, z } from '@hono/zod-openapi';
import {
  createWebhookSubscription,
  listDeliveriesPage,
  listWebhookViews,
  removeWebhookSubscription,
  type WebhookAdmin,
} from '../../app/outbound-webhooks.ts';
import { OUTBOUND_EVENT_TYPES } from '../../domain/outbound-events.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditSourceOf } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse, pageQuerySchema } from '../openapi.ts';

const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(OUTBOUND_EVENT_TYPES)),
    created_at: z.string(),
  })
  .openapi('Webhook');
const createSchema = z.strictObject({
  url: z.string().max(2000).openapi({ example: 'https://crm.example.com/chorus' }),
  events: z.array(z.enum(OUTBOUND_EVENT_TYPES)).min(1, 'name at least one event'),
});
const deliverySchema = z
  .object({
    id: z.string(),
    event_id: z.string(),
    type: z.string(),
    state: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number().int(),
    last_status: z.number().int().nullable().openapi({ description: "The receiver's last HTTP status" }),
    last_error: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .openapi('WebhookDelivery');
const idParams = z.object({ id: z.string().regex(/^wh_[0-9a-f]{16}$/, 'must be a webhook id') });

/** /api/v1/webhooks: integrators' endpoints for message status, replies and opt-outs (admins write). */
export function registerOutboundWebhookRoutes(app: ChorusApp, deps: HttpDeps, admin: WebhookAdmin): void {
  const tags = ['outbound webhooks'];
  const db = deps.database.db;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/webhooks',
      tags,
      security: bearerSecurity,
      responses: { 200: jsonResponse(z.object({ data: z.array(webhookSchema) }), 'Every webhook'), ...errorResponses },
    }),
    async (c) => c.json({ data: await listWebhookViews(db) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/webhooks',
      tags,
      security: bearerSecurity,
      description:
        'Subscribes a URL to events. Each delivery is signed with `secret`, which is in this answer only: X-Chorus-Signature-256 = sha256=<hex HMAC-SHA256 of the raw body>.',
      request: { body: { content: { 'application/json': { schema: createSchema } }, required: true } },
      responses: {
        201: jsonResponse(webhookSchema.extend({ secret: z.string() }).openapi('NewWebhook'), 'Created'),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await createWebhookSubscription(db, admin, c.req.valid('json'), auditSourceOf(c, deps), deps.clock()),
        201,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/webhooks/{id}',
      tags,
      security: bearerSecurity,
      description: 'Removes the webhook; deliveries not made yet are dropped.',
      request: { params: idParams },
      responses: { 204: { description: 'Removed' }, ...errorResponses },
    }),
    async (c) => {
      await removeWebhookSubscription(db, c.req.valid('param').id, auditSourceOf(c, deps), deps.clock());
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/webhooks/{id}/deliveries',
      tags,
      security: bearerSecurity,
      request: { params: idParams, query: pageQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(deliverySchema), next_cursor: z.string().nullable() }),
          'Newest first, with how each went',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listDeliveriesPage(db, c.req.valid('param').id, c.req.valid('query')), 200),
  );
}

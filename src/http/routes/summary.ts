import { createRoute, z } from '@hono/zod-openapi';
import { buildSummary } from '../../app/summary.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

const summarySchema = z
  .looseObject({
    since: z.string(),
    activity: z.object({
      sent: z.number(),
      delivered: z.number(),
      read: z.number(),
      failed: z.number(),
      replies: z.number(),
      opt_outs: z.number(),
    }),
    active_campaigns: z.array(z.looseObject({ id: z.string(), status: z.string() })),
    scheduled_campaigns: z.number(),
  })
  .openapi('Summary');

/** GET /api/v1/summary: the overview's figures. */
export function registerSummaryRoute(app: ChorusApp, deps: HttpDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/summary',
      tags: ['summary'],
      security: bearerSecurity,
      description:
        'Messages sent, delivered, read and failed, replies and opt-outs since `since` (default: the start of the UTC day), and the running and paused campaigns with their counts.',
      request: { query: z.object({ since: z.iso.datetime({ offset: true }).optional() }) },
      responses: { 200: jsonResponse(summarySchema, 'The overview'), ...errorResponses },
    }),
    async (c) => {
      const { since } = c.req.valid('query');
      return c.json(
        await buildSummary(deps.database, since === undefined ? undefined : Date.parse(since), deps.clock()),
        200,
      );
    },
  );
}

import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { campaignTarget } from '../../app/audit-targets.ts';
import { countCampaignAudience } from '../../app/campaign-audience.ts';
import { campaignInputSchema } from '../../app/campaign-input.ts';
import { previewCampaign } from '../../app/campaign-preview.ts';
import type { CampaignProgressFeed } from '../../app/campaign-progress-feed.ts';
import { SEND_NOW_TIMEOUT_MS, type SendThroughSender, sendCampaignTest } from '../../app/campaign-test-send.ts';
import { campaignAudienceFrom, requireCampaign } from '../../app/campaigns.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

/** What the campaign page's routes need: a way to send now, and the shared progress reader. */
export interface CampaignPageDeps {
  sendNow: SendThroughSender;
  progress: CampaignProgressFeed;
}

const idParams = z.object({ id: z.string().regex(/^\d+$/, 'must be a campaign id') });
const previewSchema = z.looseObject({}).openapi({ description: 'A message as the recipient reads it' });
// An event stream is kept open; a comment now and then keeps proxies from closing an idle one.
const HEARTBEAT_MS = 15_000;

/** The wizard's live audience count and preview, the test send, and the campaign's progress stream. */
export function registerCampaignPageRoutes(app: ChorusApp, deps: HttpDeps, extra: CampaignPageDeps): void {
  const tags = ['campaigns'];
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/campaigns/audience-count',
      tags,
      security: bearerSecurity,
      request: {
        body: { content: { 'application/json': { schema: campaignInputSchema.shape.audience } }, required: true },
      },
      responses: {
        200: jsonResponse(z.object({ count: z.number().int() }), 'Contacts the audience holds, before consent'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const count = await countCampaignAudience(deps.database, campaignAudienceFrom({ audience: c.req.valid('json') }));
      return c.json({ count }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/campaigns/preview',
      tags,
      security: bearerSecurity,
      request: {
        query: z.object({ limit: z.coerce.number().int().min(1).max(20).default(5) }),
        body: { content: { 'application/json': { schema: campaignInputSchema } }, required: true },
      },
      responses: {
        200: jsonResponse(
          z.object({
            template: previewSchema,
            recipients: z.array(
              z.object({
                contact_id: z.string(),
                phone: z.string(),
                name: z.string().nullable(),
                eligible: z.boolean(),
                reason: z.string().nullable(),
                message: previewSchema.nullable(),
              }),
            ),
          }),
          "The first audience contacts' messages, rendered, or why each would be skipped",
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await previewCampaign(deps.database, c.req.valid('json'), c.req.valid('query').limit, deps.clock()), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/campaigns/{id}/test',
      tags,
      security: bearerSecurity,
      request: {
        params: idParams,
        body: {
          content: { 'application/json': { schema: z.object({ phone: z.string().min(1).max(32) }) } },
          required: true,
        },
      },
      responses: {
        200: jsonResponse(
          z.looseObject({ id: z.string(), status: z.enum(['accepted', 'failed']), wamid: z.string().nullable() }),
          "Sent now through the campaign's sender; kept out of the campaign's counts",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const campaignId = Number(c.req.valid('param').id);
      const result = await sendCampaignTest(
        deps.database,
        { campaignId, phone: c.req.valid('json').phone },
        extra.sendNow,
        deps.clock(),
        AbortSignal.timeout(SEND_NOW_TIMEOUT_MS),
      );
      await auditRequest(c, deps, {
        action: 'campaign.test_send',
        target: campaignTarget(campaignId),
        details: { contact: result.contact_id, status: result.status, error_code: result.error?.code ?? null },
      });
      const { contact_id: _contact, ...shown } = result;
      return c.json(shown, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/campaigns/{id}/events',
      tags,
      security: bearerSecurity,
      request: { params: idParams },
      responses: {
        200: {
          content: { 'text/event-stream': { schema: z.string() } },
          description:
            'Server-sent events: `progress` carries the campaign with its counts, sent when they change (at most once a second)',
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const campaignId = Number(c.req.valid('param').id);
      await requireCampaign(deps.database, campaignId);
      return streamSSE(c, async (stream) => {
        const unwatch = extra.progress.watch(campaignId, (view) => {
          void stream.writeSSE({ event: 'progress', data: JSON.stringify(view) });
        });
        const aborted = new Promise<void>((resolve) => stream.onAbort(resolve));
        try {
          for (;;) {
            const ended = await Promise.race([
              aborted.then(() => true),
              extra.progress.closed.then(() => true),
              stream.sleep(HEARTBEAT_MS).then(() => false),
            ]);
            if (ended) return;
            await stream.write(': keep-alive\n\n');
          }
        } finally {
          unwatch();
        }
      });
    },
  );
}

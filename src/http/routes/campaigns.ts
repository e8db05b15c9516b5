import { createRoute, z } from '@hono/zod-openapi';
import { campaignTarget } from '../../app/audit-targets.ts';
import { campaignInputSchema } from '../../app/campaign-input.ts';
import { listCampaignMessages, listCampaignViews } from '../../app/campaign-lists.ts';
import { campaignReportCsv } from '../../app/campaign-report.ts';
import { buildCampaignReport } from '../../app/campaign-report-view.ts';
import {
  CAMPAIGN_ACTIONS,
  CAMPAIGN_STATUSES,
  type CampaignAction,
  changeCampaignStatus,
  createCampaign,
  requireCampaign,
  viewCampaign,
} from '../../app/campaigns.ts';
import { dryRunCampaign } from '../../app/dry-run.ts';
import { createResendCampaign } from '../../app/resend-failed.ts';
import { CONTENT_FINDING_CODES, type ProhibitedWords } from '../../domain/content-guidelines.ts';
import { MESSAGE_STATUSES } from '../../domain/message-status.ts';
import type { KeywordMatcher } from '../../domain/opt-out-keywords.ts';
import type { RateCard } from '../../domain/pricing.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

const campaignSchema = z
  .looseObject({ id: z.string(), status: z.string(), counts: z.record(z.string(), z.number()) })
  .openapi('Campaign');
// The dry run's figures that need a word: the rest (excluded, examples, estimated_cost…) speak for themselves.
const dryRunSchema = z
  .looseObject({
    audience: z.number().int(),
    eligible: z.number().int(),
    rate_per_sec: z.number().openapi({ description: "The sender's throughput cap, messages/second; 0: no cap" }),
    estimated_duration_seconds: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'null: unlimited, the sender has no throughput cap (WA_MPS=0)' }),
    duration_note: z
      .string()
      .openapi({ description: 'The duration in words: "about 13 s at 80 msg/s", or "unlimited: …"' }),
    content: z
      .array(
        z.object({
          code: z.enum(CONTENT_FINDING_CODES),
          severity: z.enum(['error', 'warning']),
          where: z.string(),
          message: z.string(),
          why: z.string(),
        }),
      )
      .openapi({
        description:
          'What Meta rejects or punishes in the content: errors block the start (422 content_rejected), warnings ask a person to confirm',
      }),
  })
  .openapi('DryRun');
const idParams = z.object({ id: z.string().regex(/^\d+$/, 'must be a campaign id') });
const pageQuery = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** What the campaign routes need beyond the common deps. */
export interface CampaignRouteDeps {
  /** Wakes the dispatcher and scheduler after a lifecycle change. */
  onCampaignChanged: () => void;
  /** The rate card cost estimates and reports use (CHORUS_RATE_CARD, or the built-in one). */
  rateCard: RateCard;
  /** The prohibited-category words content checks look for (CHORUS_CONTENT_WORDS, or the built-in list). */
  words?: ProhibitedWords;
  /** The opt-out words (CHORUS_OPT_OUT_KEYWORDS) reports count replies by; the built-in list when absent. */
  matchKeyword?: KeywordMatcher;
}

/** POST/GET /api/v1/campaigns, lifecycle actions, messages, dry run, report, report.csv and resend-failed. */
export function registerCampaignRoutes(app: ChorusApp, deps: HttpDeps, extra: CampaignRouteDeps): void {
  const tags = ['campaigns'];
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/campaigns',
      tags,
      security: bearerSecurity,
      request: { body: { content: { 'application/json': { schema: campaignInputSchema } }, required: true } },
      responses: {
        201: jsonResponse(campaignSchema, 'Created (draft, or scheduled with scheduled_at)'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const view = await createCampaign(deps.database, c.req.valid('json'), deps.clock());
      extra.onCampaignChanged();
      await auditRequest(c, deps, {
        action: 'campaign.create',
        target: campaignTarget(view.id),
        details: {
          name: view.name,
          status: view.status,
          template: view.template.name,
          audience_size: view.audience_size,
        },
      });
      return c.json(view, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/campaigns/dry-run',
      tags,
      security: bearerSecurity,
      request: { body: { content: { 'application/json': { schema: campaignInputSchema } }, required: true } },
      responses: {
        200: jsonResponse(dryRunSchema, 'The audience broken down, cost and duration estimates'),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await dryRunCampaign(deps.database, c.req.valid('json'), deps.clock(), extra.rateCard, extra.words), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/campaigns',
      tags,
      security: bearerSecurity,
      request: { query: pageQuery.extend({ status: z.enum(CAMPAIGN_STATUSES).optional() }) },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(campaignSchema), next_cursor: z.string().nullable() }),
          'Newest first, optionally of one status',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listCampaignViews(deps.database, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/campaigns/{id}',
      tags,
      security: bearerSecurity,
      request: { params: idParams },
      responses: { 200: jsonResponse(campaignSchema, 'The campaign with counts per status'), ...errorResponses },
    }),
    async (c) => c.json(await viewCampaign(deps.database, Number(c.req.valid('param').id)), 200),
  );

  for (const action of Object.keys(CAMPAIGN_ACTIONS) as CampaignAction[]) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/campaigns/{id}/${action}`,
        tags,
        security: bearerSecurity,
        request: { params: idParams },
        responses: { 200: jsonResponse(campaignSchema, `The campaign after ${action}`), ...errorResponses },
      }),
      async (c) => {
        const view = await changeCampaignStatus(
          deps.database,
          Number(c.req.valid('param').id),
          action,
          deps.clock(),
          action === 'pause' ? 'paused by a person' : null,
        );
        extra.onCampaignChanged();
        await auditRequest(c, deps, {
          action: `campaign.${action}`,
          target: campaignTarget(view.id),
          details: { name: view.name },
        });
        return c.json(view, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/campaigns/{id}/messages',
      tags,
      security: bearerSecurity,
      request: { params: idParams, query: pageQuery.extend({ status: z.enum(MESSAGE_STATUSES).optional() }) },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(z.looseObject({})), next_cursor: z.string().nullable() }),
          'Messages in id order',
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await listCampaignMessages(deps.database, Number(c.req.valid('param').id), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/campaigns/{id}/report',
      tags,
      security: bearerSecurity,
      request: { params: idParams },
      responses: {
        200: jsonResponse(
          z.looseObject({ counts: z.record(z.string(), z.number()), total: z.number() }).openapi('CampaignReport'),
          'Counts, failures by code, per-minute timeline, replies, opt-outs, actual and estimated cost',
        ),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await buildCampaignReport(deps.database, Number(c.req.valid('param').id), extra.rateCard, extra.matchKeyword),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/campaigns/{id}/resend-failed',
      tags,
      security: bearerSecurity,
      request: { params: idParams },
      responses: {
        201: jsonResponse(
          z.looseObject({ campaign: campaignSchema, resent_codes: z.array(z.number()) }),
          'A draft follow-up campaign to the retryable failures',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid('param').id);
      const result = await createResendCampaign(deps.database, id, deps.clock());
      extra.onCampaignChanged();
      await auditRequest(c, deps, {
        action: 'campaign.resend_failed',
        target: campaignTarget(id),
        details: { follow_up: result.campaign.id, resent_codes: result.resent_codes },
      });
      return c.json(result, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/campaigns/{id}/report.csv',
      tags,
      security: bearerSecurity,
      request: { params: idParams },
      responses: {
        200: { content: { 'text/csv': { schema: z.string() } }, description: 'One row per recipient' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid('param').id);
      await requireCampaign(deps.database, id);
      const csv = ReadableStream.from(campaignReportCsv(deps.database, id, extra.rateCard)).pipeThrough(
        new TextEncoderStream(),
      );
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="campaign-${id}.csv"`,
      });
    },
  );
}

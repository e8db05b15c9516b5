import { createRoute, z } from '@hono/zod-openapi';
import { runRetention } from '../../app/retention.ts';
import type { RetentionPolicy } from '../../config.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

const days = z.number().int().nullable().openapi({ description: 'Whole days kept; null keeps everything' });
const policySchema = z
  .object({
    payload_days: days.openapi({
      description: 'Days raw webhook payloads are kept (CHORUS_RETENTION_PAYLOAD_DAYS); null keeps them',
    }),
    body_days: days.openapi({
      description: 'Days message bodies and reply texts are kept (CHORUS_RETENTION_BODY_DAYS); null keeps them',
    }),
    runs_every_minutes: z.number().int(),
  })
  .openapi('RetentionPolicy');

const count = z.number().int();
const runSchema = z
  .object({
    purged: z.object({
      status_event_payloads: count,
      inbound_payloads: count,
      unrouted_webhook_events: count,
      set_aside_inbox_batches: count,
      reply_texts: count,
      message_bodies: count,
      campaigns_with_bodies_purged: count,
      erasure_followups: count,
      closed_recipient_windows: count,
    }),
  })
  .openapi('RetentionRun');

/** What retention needs beyond the shared deps: the policy from the environment and how often workers run it. */
export interface RetentionRouteOptions {
  policy: RetentionPolicy;
  intervalMs: number;
}

/** /api/v1/settings/retention: the data retention policy in force, and a purge run on demand (admins). */
export function registerRetentionRoutes(app: ChorusApp, deps: HttpDeps, options: RetentionRouteOptions): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/settings/retention',
      tags: ['settings'],
      security: bearerSecurity,
      description:
        'How long raw webhook payloads and message bodies are kept. Set by CHORUS_RETENTION_PAYLOAD_DAYS and CHORUS_RETENTION_BODY_DAYS; worker processes purge what is older every few minutes.',
      responses: { 200: jsonResponse(policySchema, 'The retention policy'), ...errorResponses },
    }),
    (c) =>
      c.json(
        {
          payload_days: options.policy.payloadDays ?? null,
          body_days: options.policy.bodyDays ?? null,
          runs_every_minutes: Math.round(options.intervalMs / 60_000),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/settings/retention/run',
      tags: ['settings'],
      security: bearerSecurity,
      description:
        'Purges now what the policy says is too old, as the workers do every few minutes, and answers what it purged. Statuses, times and counts stay. Audited.',
      responses: { 200: jsonResponse(runSchema, 'What the run purged'), ...errorResponses },
    }),
    async (c) => {
      const purged = await runRetention(deps.database, options.policy, deps.clock);
      await auditRequest(c, deps, {
        action: 'data.retention_run',
        details: { payloadDays: options.policy.payloadDays, bodyDays: options.policy.bodyDays, ...purged },
      });
      return c.json({ purged }, 200);
    },
  );
}

import { createRoute, z } from '@hono/zod-openapi';
import { requireSender } from '../../app/senders.ts';
import type { SyncReport } from '../../app/sync-templates.ts';
import { templateJson } from '../../app/template-view.ts';
import { AppError } from '../../domain/errors.ts';
import { listTemplates } from '../../store/templates-repo.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

const templateSchema = z
  .looseObject({ name: z.string(), language: z.string(), status: z.string(), category: z.string() })
  .openapi('Template');
const senderQuery = z.object({
  sender: z.string().min(1).max(64).optional().openapi({ description: 'One sender; every sender when absent' }),
});

/** What the template routes need: the sync of one sender's WABA, or every sender's. */
export interface TemplateRouteDeps {
  syncTemplates: (
    senderId: string | undefined,
    signal: AbortSignal,
  ) => Promise<{ reports: SyncReport[]; failures: { sender: string; message: string }[] }>;
}

/** POST /api/v1/templates/sync and GET /api/v1/templates. */
export function registerTemplateRoutes(app: ChorusApp, deps: HttpDeps, extra: TemplateRouteDeps): void {
  const tags = ['templates'];
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/templates/sync',
      tags,
      security: bearerSecurity,
      request: { query: senderQuery },
      responses: {
        200: jsonResponse(
          z.looseObject({
            synced: z.number(),
            data: z.array(templateSchema),
            errors: z.array(z.object({ sender: z.string(), message: z.string() })),
          }),
          "Every template of the sender's WABA (of every sender's without ?sender; `errors` names senders whose sync failed)",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { sender } = c.req.valid('query');
      if (sender !== undefined) await requireSender(deps.database.db, sender, 'sender');
      const { reports, failures } = await extra.syncTemplates(sender, c.req.raw.signal);
      if (reports.length === 0 && failures.length > 0) {
        throw new AppError(
          'upstream_failed',
          `no sender could sync: ${failures.map((f) => `${f.sender}: ${f.message}`).join('; ')}`,
        );
      }
      const byStatus: Record<string, number> = {};
      for (const report of reports)
        for (const [status, n] of Object.entries(report.by_status)) byStatus[status] = (byStatus[status] ?? 0) + n;
      await auditRequest(c, deps, {
        action: 'templates.sync',
        details: {
          sender: sender ?? 'all',
          synced: reports.reduce((sum, r) => sum + r.synced, 0),
          by_status: byStatus,
        },
      });
      return c.json(
        {
          synced: reports.reduce((sum, r) => sum + r.synced, 0),
          by_status: byStatus,
          data: reports.flatMap((r) => r.templates).map(templateJson),
          errors: failures,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/templates',
      tags,
      security: bearerSecurity,
      request: { query: senderQuery },
      responses: {
        200: jsonResponse(z.object({ data: z.array(templateSchema), next_cursor: z.null() }), 'Synced templates'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { sender } = c.req.valid('query');
      const waba =
        sender === undefined ? undefined : (await requireSender(deps.database.db, sender, 'sender')).businessAccountId;
      return c.json({ data: (await listTemplates(deps.database.db, waba)).map(templateJson), next_cursor: null }, 200);
    },
  );
}

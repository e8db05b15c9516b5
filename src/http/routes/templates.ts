import { createRoute, z } from '@hono/zod-openapi';
import type { SyncReport } from '../../app/sync-templates.ts';
import { templateJson } from '../../app/template-view.ts';
import { listTemplates } from '../../store/templates-repo.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';

const templateSchema = z
  .looseObject({ name: z.string(), language: z.string(), status: z.string(), category: z.string() })
  .openapi('Template');

/** What the template routes need: the sync of the default sender's WABA. */
export interface TemplateRouteDeps {
  syncTemplates: (signal: AbortSignal) => Promise<SyncReport>;
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
      responses: {
        200: jsonResponse(
          z.looseObject({ synced: z.number(), data: z.array(templateSchema) }),
          'Every template of the WABA',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const report = await extra.syncTemplates(c.req.raw.signal);
      await auditRequest(c, deps, {
        action: 'templates.sync',
        details: { synced: report.synced, by_status: report.by_status },
      });
      return c.json(
        { synced: report.synced, by_status: report.by_status, data: report.templates.map(templateJson) },
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
      responses: {
        200: jsonResponse(z.object({ data: z.array(templateSchema), next_cursor: z.null() }), 'Synced templates'),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ data: (await listTemplates(deps.database.db)).map(templateJson), next_cursor: null }, 200),
  );
}

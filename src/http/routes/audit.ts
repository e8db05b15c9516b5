import { createRoute, z } from '@hono/zod-openapi';
import { auditCsv, listAuditPage, parseAuditFilter } from '../../app/audit.ts';
import { AUDIT_ACTOR_TYPES } from '../../domain/audit.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { bearerSecurity, errorResponses, jsonResponse, pageQuerySchema } from '../openapi.ts';

const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ type: z.enum(AUDIT_ACTOR_TYPES), id: z.string().nullable(), label: z.string() }),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
  })
  .openapi('AuditEntry');
const filterQuery = z.object({
  action: z.string().max(100).optional().openapi({ description: 'An action (campaign.start) or a group (campaign)' }),
  actor: z
    .string()
    .max(320)
    .optional()
    .openapi({ description: 'user, api_key, cli or system; user:ID or api_key:ID; or an email / key name' }),
});
const pageQuery = filterQuery.extend(pageQuerySchema.shape);

/** GET /api/v1/audit (paged, newest first) and /api/v1/audit.csv (admins only). */
export function registerAuditRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['audit'];
  const db = deps.database.db;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit',
      tags,
      security: bearerSecurity,
      request: { query: pageQuery },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(auditEntrySchema), next_cursor: z.string().nullable() }),
          'Newest first',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await listAuditPage(db, parseAuditFilter(query), query), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit.csv',
      tags,
      security: bearerSecurity,
      request: { query: filterQuery },
      responses: {
        200: { content: { 'text/csv': { schema: z.string() } }, description: 'Every matching entry, newest first' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const filter = parseAuditFilter(c.req.valid('query'));
      const csv = ReadableStream.from(auditCsv(db, filter)).pipeThrough(new TextEncoderStream());
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="chorus-audit-${new Date(deps.clock()).toISOString().slice(0, 10)}.csv"`,
      });
    },
  );
}

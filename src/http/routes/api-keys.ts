import { createRoute, z } from '@hono/zod-openapi';
import { issueApiKey, listApiKeysPage, withdrawApiKey } from '../../app/api-key-admin.ts';
import { ROLES } from '../../domain/roles.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditSourceOf } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse, pageQuerySchema } from '../openapi.ts';

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to recognise it' }),
    role: z.enum(ROLES),
    created_by: z.string().nullable(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiKey');
const createSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES).default('operator'),
});
const idParams = z.object({ id: z.string().regex(/^\d+$/, 'must be an API key id') });

/** /api/v1/api-keys (admins only): list, create (the key is shown once), revoke. */
export function registerApiKeyRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['api keys'];
  const db = deps.database.db;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/api-keys',
      tags,
      security: bearerSecurity,
      request: { query: pageQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ data: z.array(apiKeySchema), next_cursor: z.string().nullable() }),
          'Newest first',
        ),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listApiKeysPage(db, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/api-keys',
      tags,
      security: bearerSecurity,
      description: 'Creates a key with a role (operator unless said); `key` is in this answer only, never again.',
      request: { body: { content: { 'application/json': { schema: createSchema } }, required: true } },
      responses: {
        201: jsonResponse(apiKeySchema.extend({ key: z.string() }).openapi('NewApiKey'), 'Created'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await issueApiKey(db, c.req.valid('json'), auditSourceOf(c, deps), deps.clock()), 201),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/api-keys/{id}',
      tags,
      security: bearerSecurity,
      description: 'Revokes a key: refused at once by this process, within 30 s by other API processes.',
      request: { params: idParams },
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
    }),
    async (c) => {
      await withdrawApiKey(db, Number(c.req.valid('param').id), auditSourceOf(c, deps), deps.clock());
      deps.apiKeys.forget();
      return c.body(null, 204);
    },
  );
}

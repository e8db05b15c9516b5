import { createRoute, z } from '@hono/zod-openapi';
import { csrfTokenFor } from '../../app/sessions.ts';
import { changeOwnPassword } from '../../app/user-passwords.ts';
import { requireUserView } from '../../app/users.ts';
import { AppError } from '../../domain/errors.ts';
import { MAX_PASSWORD_LENGTH } from '../../domain/password-policy.ts';
import { ROLES } from '../../domain/roles.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditSourceOf } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';
import { readSessionCookie } from '../session-cookie.ts';
import { userSchema } from './users.ts';

const meSchema = z
  .object({
    kind: z.enum(['user', 'api_key']),
    role: z.enum(ROLES),
    user: userSchema.nullable(),
    api_key: z.object({ id: z.string(), name: z.string() }).nullable(),
    csrf_token: z
      .string()
      .nullable()
      .openapi({ description: 'Send it as X-CSRF-Token on writes signed by the cookie' }),
    sandbox: z.boolean().openapi({ description: 'The built-in simulator stands in for Meta' }),
  })
  .openapi('Me');
const passwordSchema = z.strictObject({
  current_password: z.string().max(MAX_PASSWORD_LENGTH),
  new_password: z.string().max(MAX_PASSWORD_LENGTH),
});

/** GET /api/v1/me (who is calling, the CSRF token, sandbox mode) and POST /api/v1/me/password. */
export function registerMeRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['session'];
  const db = deps.database.db;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me',
      tags,
      security: bearerSecurity,
      responses: { 200: jsonResponse(meSchema, 'The signed-in user or the API key'), ...errorResponses },
    }),
    async (c) => {
      const principal = c.get('principal');
      const token = readSessionCookie(c);
      const isUser = principal.kind === 'user';
      return c.json(
        {
          kind: principal.kind,
          role: principal.role,
          user: isUser ? await requireUserView(db, principal.userId) : null,
          api_key: isUser ? null : { id: String(principal.keyId), name: principal.name },
          csrf_token: isUser && token !== undefined ? csrfTokenFor(token) : null,
          sandbox: deps.isSandbox,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/me/password',
      tags,
      security: bearerSecurity,
      description: "Changes the signed-in user's password; their other sessions end.",
      request: { body: { content: { 'application/json': { schema: passwordSchema } }, required: true } },
      responses: { 200: jsonResponse(userSchema, 'Changed'), ...errorResponses },
    }),
    async (c) => {
      const principal = c.get('principal');
      if (principal.kind !== 'user') throw new AppError('validation_failed', 'an API key has no password to change');
      const body = c.req.valid('json');
      const session = { ...auditSourceOf(c, deps), tokenHash: principal.sessionTokenHash };
      const passwords = { current: body.current_password, next: body.new_password };
      return c.json(await changeOwnPassword(db, principal.userId, passwords, session, deps.clock()), 200);
    },
  );
}

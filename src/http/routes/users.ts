import { createRoute, z } from '@hono/zod-openapi';
import { resetPassword } from '../../app/user-passwords.ts';
import { changeUser, createUser, listUsersPage } from '../../app/users.ts';
import { MAX_PASSWORD_LENGTH } from '../../domain/password-policy.ts';
import { ROLES } from '../../domain/roles.ts';
import type { ChorusApp, HttpDeps } from '../app.ts';
import { auditSourceOf } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse, pageQuerySchema } from '../openapi.ts';

/** A dashboard user as the API shows it. */
export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(ROLES),
    status: z.enum(['active', 'disabled']),
    must_change_password: z.boolean(),
    created_at: z.string(),
    last_sign_in_at: z.string().nullable(),
    locked_until: z.string().nullable(),
  })
  .openapi('User');

const withPasswordSchema = z
  .object({ user: userSchema, temporary_password: z.string().nullable() })
  .openapi('UserWithPassword');
const idParams = z.object({ id: z.string().regex(/^\d+$/, 'must be a user id') });
const passwordField = z.string().max(MAX_PASSWORD_LENGTH);
const createSchema = z.strictObject({
  email: z.email(),
  name: z.string().trim().min(1).max(200).nullable().optional(),
  role: z.enum(ROLES),
  password: passwordField
    .optional()
    .openapi({ description: 'Leave out to generate one, shown once, to be changed at first sign-in' }),
});
const patchSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).nullable().optional(),
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
});

/** /api/v1/users (admins only): list, invite with a role, change role or name, disable, reset a password. */
export function registerUserRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['users'];
  const db = deps.database.db;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users',
      tags,
      security: bearerSecurity,
      request: { query: pageQuerySchema },
      responses: {
        200: jsonResponse(z.object({ data: z.array(userSchema), next_cursor: z.string().nullable() }), 'In id order'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await listUsersPage(db, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users',
      tags,
      security: bearerSecurity,
      request: { body: { content: { 'application/json': { schema: createSchema } }, required: true } },
      responses: {
        201: jsonResponse(withPasswordSchema, 'Created; a generated password is shown once'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await createUser(db, c.req.valid('json'), auditSourceOf(c, deps), deps.clock()), 201),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/users/{id}',
      tags,
      security: bearerSecurity,
      description:
        'Changes the name or role, or disables (ending the sessions) or enables the user. One admin always stays.',
      request: { params: idParams, body: { content: { 'application/json': { schema: patchSchema } }, required: true } },
      responses: { 200: jsonResponse(userSchema, 'The changed user'), ...errorResponses },
    }),
    async (c) => {
      const id = Number(c.req.valid('param').id);
      return c.json(await changeUser(db, id, c.req.valid('json'), auditSourceOf(c, deps), deps.clock()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{id}/reset-password',
      tags,
      security: bearerSecurity,
      description: 'Sets a new password (generated when none is given), ends the sessions and lifts a lock-out.',
      request: {
        params: idParams,
        body: {
          content: { 'application/json': { schema: z.strictObject({ password: passwordField.optional() }) } },
          required: false,
        },
      },
      responses: {
        200: jsonResponse(withPasswordSchema, 'The new password must be changed at the next sign-in'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const id = Number(c.req.valid('param').id);
      const { password } = c.req.valid('json') ?? {};
      return c.json(await resetPassword(db, id, password, auditSourceOf(c, deps), deps.clock()), 200);
    },
  );
}

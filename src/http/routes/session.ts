import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { recordAudit } from '../../app/audit.ts';
import { endSession, startSession } from '../../app/sessions.ts';
import { SignInLockedError, signIn } from '../../app/sign-in.ts';
import { createFirstAdmin } from '../../app/users.ts';
import { AppError } from '../../domain/errors.ts';
import { MAX_PASSWORD_LENGTH, requireAcceptablePassword } from '../../domain/password-policy.ts';
import { countUsers } from '../../store/users-repo.ts';
import type { AppEnv, ChorusApp, HttpDeps } from '../app.ts';
import { auditSourceOf } from '../audit-request.ts';
import { bearerSecurity, errorResponses, jsonResponse } from '../openapi.ts';
import { clientIp, isHttps } from '../request-info.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../session-cookie.ts';
import { userSchema } from './users.ts';

const signInSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});
const setupSchema = z.strictObject({
  email: z.email(),
  name: z.string().trim().min(1).max(200).nullable().optional(),
  password: z.string().max(MAX_PASSWORD_LENGTH),
});
const signedInSchema = z
  .object({ user: userSchema, csrf_token: z.string(), expires_at: z.string() })
  .openapi('SignedIn');
const tooMany = {
  429: jsonResponse(z.looseObject({}), 'Locked after repeated failures; Retry-After says for how long'),
};

/** Sign-in and sign-out (POST/DELETE /api/v1/session) and the first-run set-up (/api/v1/setup). */
export function registerSessionRoutes(app: ChorusApp, deps: HttpDeps): void {
  const tags = ['session'];
  const db = deps.database.db;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/session',
      tags,
      description: 'Signs in with email and password; sets the httpOnly session cookie and answers the CSRF token.',
      request: { body: { content: { 'application/json': { schema: signInSchema } }, required: true } },
      responses: { 200: jsonResponse(signedInSchema, 'Signed in'), ...errorResponses, ...tooMany },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      try {
        const session = await signIn(db, { email, password, ...clientOf(c, deps) }, deps.clock());
        setSessionCookie(c, session.token, isHttps(c, deps.trustProxy));
        return c.json({ user: session.user, csrf_token: session.csrfToken, expires_at: iso(session.expiresAt) }, 200);
      } catch (error) {
        if (error instanceof SignInLockedError) c.header('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/session',
      tags,
      security: bearerSecurity,
      description: 'Signs out: ends this session and clears the cookie.',
      responses: { 204: { description: 'Signed out' }, ...errorResponses },
    }),
    async (c) => {
      const token = readSessionCookie(c);
      if (token === undefined)
        throw new AppError('validation_failed', 'sign-out ends a session cookie; an API key has none');
      await endSession(db, token);
      await recordAudit(db, { ...auditSourceOf(c, deps), action: 'session.sign_out' }, deps.clock());
      clearSessionCookie(c, isHttps(c, deps.trustProxy));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/setup',
      tags,
      description: 'Whether Chorus still needs its first admin (the first-run page); no credentials needed.',
      responses: { 200: jsonResponse(z.object({ needs_setup: z.boolean() }), 'Set-up state') },
    }),
    async (c) => c.json({ needs_setup: (await countUsers(db)) === 0 }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/setup',
      tags,
      description: 'Creates the first admin and signs in as them; refused (409) once any user exists.',
      request: { body: { content: { 'application/json': { schema: setupSchema } }, required: true } },
      responses: { 201: jsonResponse(signedInSchema, 'The first admin, signed in'), ...errorResponses },
    }),
    async (c) => {
      const input = c.req.valid('json');
      requireAcceptablePassword(input.password);
      const client = clientOf(c, deps);
      const source = { actor: { type: 'user' as const, id: null, label: input.email.toLowerCase() }, ip: client.ip };
      const user = await createFirstAdmin(deps.database, input, source, deps.clock());
      if (!user) throw new AppError('conflict', 'Chorus has an admin already: sign in instead');
      const session = await startSession(db, Number(user.id), client, deps.clock());
      setSessionCookie(c, session.token, isHttps(c, deps.trustProxy));
      return c.json({ user, csrf_token: session.csrfToken, expires_at: iso(session.expiresAt) }, 201);
    },
  );
}

function clientOf(c: Context<AppEnv>, deps: HttpDeps) {
  return { ip: clientIp(c, deps.trustProxy), userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null };
}

const iso = (ms: number) => new Date(ms).toISOString();

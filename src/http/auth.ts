import type { Context, MiddlewareHandler } from 'hono';
import { isCsrfTokenValid, resolveSession } from '../app/sessions.ts';
import { AppError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import { isAtLeast } from '../domain/roles.ts';
import { isPublicRoute, isReadMethod, isSelfRoute, requiredRole } from './access-policy.ts';
import type { AppEnv, HttpDeps } from './http-types.ts';
import { isHttps } from './request-info.ts';
import { clearSessionCookie, readSessionCookie } from './session-cookie.ts';

/** The header a cookie-signed unsafe request carries its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * /api/v1/*: a bearer API key or the session cookie (plus the CSRF token on anything but a
 * read), then the role the access policy asks for. Public routes pass untouched.
 */
export function authenticate(deps: HttpDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (isPublicRoute(c.req.method, c.req.path)) return next();
    const principal = await identify(c, deps);
    c.set('principal', principal);
    if (principal.kind === 'api_key') c.set('apiKeyId', principal.keyId);
    requireAccess(principal, c.req.method, c.req.path);
    return next();
  };
}

/** The key of an `Authorization: Bearer <key>` header, if that is what it holds. */
export function bearerSecretOf(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
}

async function identify(c: Context<AppEnv>, deps: HttpDeps): Promise<Principal> {
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    const secret = bearerSecretOf(authorization);
    const key = secret === undefined ? undefined : await deps.apiKeys.verify(secret);
    if (key) return { kind: 'api_key', keyId: key.id, name: key.name, role: key.role };
    c.header('WWW-Authenticate', 'Bearer');
    throw new AppError('unauthorized', 'a valid API key is required: Authorization: Bearer <key>');
  }
  const token = readSessionCookie(c);
  if (token === undefined) {
    c.header('WWW-Authenticate', 'Bearer');
    throw new AppError('unauthorized', 'sign in, or send an API key: Authorization: Bearer <key>');
  }
  const principal = await resolveSession(deps.database.db, token, deps.clock());
  if (!principal) {
    clearSessionCookie(c, isHttps(c, deps.trustProxy));
    throw new AppError('unauthorized', 'your session has ended: sign in again');
  }
  if (!isReadMethod(c.req.method) && !isCsrfTokenValid(token, c.req.header(CSRF_HEADER))) {
    throw new AppError('forbidden', `missing or wrong ${CSRF_HEADER} header: reload the page and try again`);
  }
  return principal;
}

function requireAccess(principal: Principal, method: string, path: string): void {
  if (principal.kind === 'user' && principal.mustChangePassword && !isSelfRoute(path)) {
    throw new AppError('password_change_required', 'choose a new password first (POST /api/v1/me/password)');
  }
  const needed = requiredRole(method, path);
  if (!isAtLeast(principal.role, needed)) {
    throw new AppError('forbidden', `this needs the ${needed} role; you are ${principal.role}`);
  }
}

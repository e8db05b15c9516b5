import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { CSRF_HEADER } from './auth.ts';
import { REQUEST_ID_HEADER } from './request-context.ts';

/**
 * CORS for /api/*: closed unless CHORUS_CORS_ORIGINS lists origins, and then open to exactly those.
 * Without credentials: another site's page calls with an API key, never riding a signed-in
 * person's session cookie.
 */
export function apiCors(origins: readonly string[]): MiddlewareHandler | undefined {
  if (origins.length === 0) return undefined;
  return cors({
    origin: [...origins],
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', CSRF_HEADER],
    exposeHeaders: ['Retry-After', REQUEST_ID_HEADER],
    maxAge: 600,
    credentials: false,
  });
}

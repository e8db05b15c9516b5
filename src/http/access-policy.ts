import type { Role } from '../domain/roles.ts';

// Who may call what, in one place so a new route is covered the day it is added: reading needs
// a viewer, changing anything an operator (contacts, templates, campaigns, forms), and running
// Chorus itself an admin (users, API keys, audit, settings; changing senders and outbound webhooks).

const ADMIN_AREAS = ['/api/v1/users', '/api/v1/api-keys', '/api/v1/audit', '/api/v1/settings'];
const ADMIN_WRITE_AREAS = ['/api/v1/senders', '/api/v1/webhooks'];
// A sender's test message changes nothing about the sender: whoever runs campaigns may check a number works.
const OPERATOR_WRITES_IN_ADMIN_AREAS = [/^\/api\/v1\/senders\/[^/]+\/test$/];
/** Every signed-in user's own things: allowed even while a new password must be chosen. */
const SELF_AREAS = ['/api/v1/me', '/api/v1/session'];
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Requests anyone may make: signing in and the first-run set-up. */
const PUBLIC_ROUTES = new Set(['POST /api/v1/session', 'GET /api/v1/setup', 'POST /api/v1/setup']);

function isIn(path: string, areas: string[]): boolean {
  return areas.some((area) => path === area || path.startsWith(`${area}/`) || path.startsWith(`${area}.`));
}

/** True for the requests that need no credentials. */
export function isPublicRoute(method: string, path: string): boolean {
  return PUBLIC_ROUTES.has(`${method} ${path}`);
}

/** True for a signed-in user's own routes (/me, the session). */
export function isSelfRoute(path: string): boolean {
  return isIn(path, SELF_AREAS);
}

/** The least role a request needs. */
export function requiredRole(method: string, path: string): Role {
  if (isSelfRoute(path)) return 'viewer';
  if (isIn(path, ADMIN_AREAS)) return 'admin';
  if (READ_METHODS.has(method)) return 'viewer';
  if (OPERATOR_WRITES_IN_ADMIN_AREAS.some((pattern) => pattern.test(path))) return 'operator';
  return isIn(path, ADMIN_WRITE_AREAS) ? 'admin' : 'operator';
}

/** True when the method changes nothing, so a cookie-signed request needs no CSRF token. */
export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method);
}

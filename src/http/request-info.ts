import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

// Behind a reverse proxy every request seems to come from the proxy over plain HTTP. With
// CHORUS_TRUST_PROXY=1 the proxy's X-Forwarded-For and X-Forwarded-Proto are believed instead;
// without it they are ignored, since any client could send them.

/** The client's address: the socket's peer, or the first X-Forwarded-For hop when the proxy is trusted. */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // In-process requests (tests, app.request) have no socket.
    return null;
  }
}

/** True when the browser reached Chorus over HTTPS (directly, or through a trusted proxy). */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}

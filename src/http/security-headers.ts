import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { isHttps } from './request-info.ts';

// Every answer carries the same defences; only sign-up forms (/join/*) may be framed by other
// sites, so a business can embed its form in its own page. Everything is served by Chorus itself:
// scripts only from 'self' (no inline script anywhere); Mantine writes <style> tags at run time,
// so styles also allow 'unsafe-inline', which runs no code.

const CSP_BASE = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

const COMMON: SecureHeadersOptions = {
  referrerPolicy: 'same-origin',
  // The dashboard and forms need none of these.
  permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  // HSTS is set below, and only on HTTPS: over plain HTTP the header means nothing, and a browser
  // that met it on a test install at http://127.0.0.1 must not be pinned.
  strictTransportSecurity: false,
  // A handler that set its own header (a /join page's CSP) keeps it.
  overwrite: false,
};

const strict = secureHeaders({
  ...COMMON,
  contentSecurityPolicy: { ...CSP_BASE, frameAncestors: ["'none'"] },
  xFrameOptions: 'DENY',
});

const embeddable = secureHeaders({
  ...COMMON,
  contentSecurityPolicy: { ...CSP_BASE, frameAncestors: ['*'] },
  // X-Frame-Options cannot say "anyone"; CSP frame-ancestors alone governs framing here.
  xFrameOptions: false,
  // A page framed by another site is loaded cross-site.
  crossOriginResourcePolicy: 'cross-origin',
});

/** True for the sign-up form pages, the only ones other sites may frame. */
export function isEmbeddablePath(path: string): boolean {
  return path === '/join' || path.startsWith('/join/');
}

/** CSP, frame rules, nosniff, referrer policy and (over HTTPS) HSTS on every answer. */
export function securityHeaders(options: { hstsMaxAgeSec: number; trustProxy: boolean }): MiddlewareHandler {
  const hsts = `max-age=${options.hstsMaxAgeSec}; includeSubDomains`;
  return async (c, next) => {
    await (isEmbeddablePath(c.req.path) ? embeddable : strict)(c, next);
    if (options.hstsMaxAgeSec > 0 && isHttps(c, options.trustProxy))
      c.res.headers.set('Strict-Transport-Security', hsts);
  };
}

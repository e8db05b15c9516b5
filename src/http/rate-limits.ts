import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimits } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import type { AppEnv } from './http-types.ts';
import { errorResponse } from './on-error.ts';
import { clientIp } from './request-info.ts';

// Request limits at the edge, counted in this process's memory: with several API processes each
// counts on its own (docs/security.md). A request with no known address (in-process calls, which
// have no socket) is not limited per address. Meta's webhooks are never limited here: they come
// in bursts from a few addresses and are signed.

type KeyOf = (c: Context<AppEnv>) => string | undefined;

/** Refuses with 429 and Retry-After once a key made more than `perMinute` requests in its minute; undefined when off. */
function limitPerMinute(perMinute: number, keyOf: KeyOf, what: string): MiddlewareHandler<AppEnv> | undefined {
  if (perMinute <= 0) return undefined;
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return async (c, next) => {
    const key = keyOf(c);
    if (key === undefined) return next();
    try {
      await limiter.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfterSec = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      c.header('Retry-After', String(retryAfterSec));
      const message = `too many ${what}: at most ${perMinute} a minute; try again in ${retryAfterSec} s`;
      if (c.req.path.startsWith('/api/')) return errorResponse(c, new AppError('too_many_requests', message));
      return c.text(message, 429);
    }
    return next();
  };
}

const onlyPost =
  (keyOf: KeyOf): KeyOf =>
  (c) =>
    c.req.method === 'POST' ? keyOf(c) : undefined;

/** The limiters, each placed by app.ts where its key is known; an undefined one is switched off. */
export interface EdgeLimiters {
  /** /api/*, per client address, before authentication (so guessing keys is limited too). */
  apiPerIp: MiddlewareHandler<AppEnv> | undefined;
  /** POST /api/v1/session, per client address. */
  signInPerIp: MiddlewareHandler<AppEnv> | undefined;
  /** POST /join/*, per client address. */
  joinPerIp: MiddlewareHandler<AppEnv> | undefined;
  /** /api/*, per API key or signed-in person, after authentication. */
  apiPerKey: MiddlewareHandler<AppEnv> | undefined;
}

/** Builds the limiters for one app from the configured per-minute limits. */
export function createEdgeLimiters(limits: RateLimits, trustProxy: boolean): EdgeLimiters {
  const ipOf: KeyOf = (c) => clientIp(c, trustProxy) ?? undefined;
  const principalOf: KeyOf = (c) => {
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    if (!principal) return undefined;
    return principal.kind === 'api_key' ? `key:${principal.keyId}` : `user:${principal.userId}`;
  };
  return {
    apiPerIp: limitPerMinute(limits.apiPerIp, ipOf, 'API requests from your address'),
    signInPerIp: limitPerMinute(limits.signInPerIp, onlyPost(ipOf), 'sign-in attempts from your address'),
    joinPerIp: limitPerMinute(limits.joinPerIp, onlyPost(ipOf), 'sign-ups from your address'),
    apiPerKey: limitPerMinute(limits.apiPerKey, principalOf, 'API requests with this key or session'),
  };
}

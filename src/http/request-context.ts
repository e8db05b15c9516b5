// Every request gets an id and a child logger carrying it. An incoming X-Request-Id is honoured when
// it is sane (a proxy's or a client's own id then names the request end to end), else one is made;
// either way the answer carries it back. Each request is logged once when answered, by its route
// pattern (never its path with a phone number in it, nor its query with a verify token in it), and
// timed for the route's latency histogram.
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import { maskPhonesInText } from '../domain/phone-mask.ts';
import type { Logger } from '../logger.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** This request's id: the incoming X-Request-Id when sane, else a new UUID. */
    requestId: string;
    /** The root logger's child for this request, carrying `requestId`. */
    log: Logger;
    /** Set by a route on an answer too frequent to log at info (accepted webhooks): logged at debug. */
    isRoutine: boolean;
  }
}

/** The header that carries a request's id in and out. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

// Printable, no spaces or quotes, short: safe in a header, a log line and a grep.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
// The label of a request no route matched: paths are unbounded, labels must not be.
const UNMATCHED_ROUTE = '(unmatched)';
// Scrapes and probes come every few seconds: at info they would drown everything else.
const QUIET_ROUTES = new Set(['/healthz', '/metrics']);

/** One answered request, for metrics. */
export interface RequestSample {
  method: string;
  /** The route pattern, e.g. `/api/v1/campaigns/:id`, or `(unmatched)`. */
  route: string;
  status: number;
  durationMs: number;
}

/** Hears every answered request. */
export interface RequestObserver {
  requestHandled(sample: RequestSample): void;
}

/** The middleware that gives each request its id and logger, and logs and measures it once answered. */
export function requestContext(logger: Logger, observer?: RequestObserver): MiddlewareHandler {
  return async (c, next) => {
    const startedAt = performance.now();
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const requestId = incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    // Headers help with proxies and clients; credentials and cookies in them are redacted (logger.ts).
    if (log.isLevelEnabled('debug'))
      log.debug(
        { method: c.req.method, path: maskPhonesInText(c.req.path), headers: c.req.header() },
        'request received',
      );
    try {
      await next();
    } finally {
      c.header(REQUEST_ID_HEADER, requestId);
      const sample = {
        method: c.req.method,
        route: routeOf(c),
        status: c.res.status,
        durationMs: performance.now() - startedAt,
      };
      observer?.requestHandled(sample);
      logAnswered(log, c, sample);
    }
  };
}

/**
 * The pattern of the last handler that ran (a middleware's, e.g. `/api/v1/*`, when it answered
 * itself; not a catch-all registered later that never ran), or UNMATCHED_ROUTE when a
 * catch-all (a middleware, or the dashboard's file route) found nothing.
 */
function routeOf(c: Context): string {
  const last = matchedRoutes(c)[c.req.routeIndex];
  if (!last || (last.path.endsWith('*') && c.res.status === 404)) return UNMATCHED_ROUTE;
  return routePath(c);
}

function logAnswered(log: Logger, c: Context, sample: RequestSample): void {
  const level = QUIET_ROUTES.has(sample.route) || c.get('isRoutine') === true ? 'debug' : 'info';
  if (!log.isLevelEnabled(level)) return;
  const fields = {
    method: sample.method,
    route: sample.route,
    ...(sample.route === UNMATCHED_ROUTE ? { path: maskPhonesInText(c.req.path) } : {}),
    status: sample.status,
    ms: Math.round(sample.durationMs * 10) / 10,
  };
  log[level](fields, 'request answered');
}

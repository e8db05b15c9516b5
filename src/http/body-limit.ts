import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Refuses a body over `maxBytes` with `onTooLarge`'s answer. A body that declares its length (as
 * Meta's webhooks and every usual client do) is judged by the header alone, as Hono's bodyLimit
 * judges it, but without touching the body: under @hono/node-server the route's `arrayBuffer()`
 * then reads the socket's bytes straight into a buffer. Hono's middleware asks for the body
 * stream first, which builds a web Request over a web stream of the socket for every request, and
 * a one-status webhook spent more on that than on its signature check and parse together. Node's
 * parser never passes on more bytes than were declared. A chunked body is counted as it is read
 * by Hono's bodyLimit.
 */
export function limitBody(
  maxBytes: number,
  onTooLarge: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler {
  const counted = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    return Number.parseInt(declared, 10) > maxBytes ? onTooLarge(c) : next();
  };
}

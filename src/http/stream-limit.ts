import type { MiddlewareHandler } from 'hono';
import { AppError } from '../domain/errors.ts';
import { errorResponse } from './on-error.ts';

/**
 * Limits a body that is read as a stream (contact imports) without holding it: a declared length
 * over the limit is refused at once; an undeclared (chunked) body flows through to the route and
 * fails with 413 as soon as it passes the limit. Hono's bodyLimit would read a chunked body whole
 * into memory before the route starts, which defeats streaming a large file.
 */
export function limitStreamedBody(maxBytes: number, what: string): MiddlewareHandler {
  const tooLarge = () => new AppError('payload_too_large', `${what} are limited to ${maxBytes} bytes`);
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && Number(declared) > maxBytes) return errorResponse(c, tooLarge());
    const body = c.req.raw.body;
    if (declared !== undefined || body === null) return next();
    let bytes = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.byteLength;
          if (bytes > maxBytes) controller.error(tooLarge());
          else controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
    return next();
  };
}

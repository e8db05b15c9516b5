import type { MiddlewareHandler } from 'hono';
import { AppError } from '../domain/errors.ts';
import { unstorableTextReason } from '../domain/stored-text.ts';

/**
 * Refuses a path or query value no database column may hold (a NUL: PostgreSQL refuses it even
 * in a search), naming the parameter, before any route sends it to a query.
 */
export const guardUrlText: MiddlewareHandler = async (c, next) => {
  if (/%00/.test(c.req.path) || c.req.path.includes('\u0000')) {
    throw new AppError('validation_failed', 'path: holds a NUL character (U+0000), which is never stored', {
      field: 'path',
    });
  }
  for (const [name, values] of Object.entries(c.req.queries())) {
    for (const value of [name, ...values]) {
      const reason = unstorableTextReason(value);
      if (reason) throw new AppError('validation_failed', `${name}: ${reason}`, { field: name });
    }
  }
  await next();
};

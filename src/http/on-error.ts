import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../domain/errors.ts';
import { maskPhonesInText } from '../domain/phone-mask.ts';
import type { Logger } from '../logger.ts';

/** The one error body every endpoint answers with. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field: string | null };
}

/** Builds the JSON error answer for an AppError. */
export function errorResponse(c: Context, error: AppError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message, field: error.field ?? null } };
  return c.json(body, error.status as ContentfulStatusCode);
}

/** Turns a zod failure into the AppError naming the first bad field. */
export function validationError(error: ZodError, where = 'body'): AppError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : where;
  return new AppError('validation_failed', `${field}: ${issue?.message ?? 'invalid'}`, { field });
}

/** Hono's onError: known errors keep their status; anything else is logged and answered 500. */
export function createErrorHandler(logger: Logger) {
  return (thrown: Error, c: Context): Response => {
    if (thrown instanceof AppError) return errorResponse(c, thrown);
    if (thrown instanceof ZodError) return errorResponse(c, validationError(thrown));
    if (thrown instanceof HTTPException) {
      const code: ErrorCode =
        thrown.status === 413 ? 'payload_too_large' : thrown.status === 401 ? 'unauthorized' : 'validation_failed';
      return errorResponse(c, new AppError(code, thrown.message || 'bad request'));
    }
    // The request's own logger when it has one: the line then carries the request id.
    (c.get('log') ?? logger).error(
      { err: thrown, method: c.req.method, path: maskPhonesInText(c.req.path) },
      'unhandled error',
    );
    return errorResponse(c, new AppError('internal', 'internal error; see the server log'));
  };
}

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../domain/errors.ts';
import { maskPhonesInText } from '../domain/phone-mask.ts';
import type { Logger } from '../logger.ts';
import { type StorageTrouble, storageTroubleOf } from '../store/storage-errors.ts';

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
    const trouble = storageTroubleOf(thrown);
    if (trouble !== undefined) return storageTroubleResponse(c, trouble, thrown, c.get('log') ?? logger);
    // The request's own logger when it has one: the line then carries the request id.
    (c.get('log') ?? logger).error(
      { err: thrown, method: c.req.method, path: maskPhonesInText(c.req.path) },
      'unhandled error',
    );
    return errorResponse(c, new AppError('internal', 'internal error; see the server log'));
  };
}

// How long a caller (or Meta, redelivering a webhook) should wait before trying again.
const STORAGE_RETRY_AFTER_SEC = 10;

const STORAGE_TROUBLE: Record<StorageTrouble, { code: ErrorCode; message: string; log: string }> = {
  full: {
    code: 'storage_full',
    message: 'the database disk is full: nothing was saved; free some space and try again',
    log: 'database disk full: request refused with 503, nothing saved',
  },
  unavailable: {
    code: 'database_unavailable',
    message: 'the database cannot be reached: nothing was saved; try again shortly',
    log: 'database unavailable: request refused with 503, nothing saved',
  },
};

// The store failed, not the request: 503 with Retry-After, so callers and Meta try again later.
function storageTroubleResponse(c: Context, trouble: StorageTrouble, thrown: Error, log: Logger): Response {
  const { code, message, log: line } = STORAGE_TROUBLE[trouble];
  log.warn({ err: thrown, method: c.req.method, path: maskPhonesInText(c.req.path) }, line);
  c.header('Retry-After', String(STORAGE_RETRY_AFTER_SEC));
  return errorResponse(c, new AppError(code, message));
}

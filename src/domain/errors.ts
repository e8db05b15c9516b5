/** Every error Chorus reports to a caller, with the HTTP status it maps to. */
export const ERROR_CATALOGUE = {
  validation_failed: 400,
  invalid_csv: 400,
  invalid_phone: 400,
  unauthorized: 401,
  forbidden: 403,
  password_change_required: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  template_not_approved: 422,
  content_rejected: 422,
  recipient_not_eligible: 422,
  invalid_state: 409,
  number_erased: 409,
  internal: 500,
  upstream_failed: 502,
  storage_full: 503,
  database_unavailable: 503,
} as const;

/** A stable machine-readable error code. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An expected failure: a code from the catalogue, a message for people, and the field at fault. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }

  /** The HTTP status the catalogue gives this error. */
  get status(): number {
    return ERROR_CATALOGUE[this.code];
  }
}

/** Turns anything thrown into an Error, so every catch site handles one type. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}

// Turns what came back from the send endpoint into a SendOutcome: an answer (status + body) or a
// transport failure. Classes come from the error catalogue, keyed on Meta's numeric code.
import type { SendError, SendErrorClass, SendOutcome } from '../domain/outbound-message.ts';
import { classifyMetaError } from './error-catalogue.ts';
import { graphErrorSchema } from './wire-send.ts';

/** Parses one HTTP answer; a 200 is read by hand (no zod) because it is the hot path. */
export function parseSendAnswer(httpStatus: number, bodyText: string): SendOutcome {
  const body = parseJson(bodyText);
  if (httpStatus >= 200 && httpStatus < 300) return parseSuccess(httpStatus, body);
  const parsed = graphErrorSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: unparsedError(httpStatus, bodyText) };
  const e = parsed.data.error;
  const errorClass = classifyMetaError(e.code, { isTransient: e.is_transient, httpStatus });
  return {
    ok: false,
    error: {
      errorClass,
      code: e.code,
      subcode: e.error_subcode ?? null,
      title: e.error_user_title ?? titleOf(e.message) ?? `Meta error ${e.code}`,
      details: e.error_data?.details ?? e.error_user_msg ?? null,
      fbtraceId: e.fbtrace_id ?? null,
      httpStatus,
    },
  };
}

function parseSuccess(httpStatus: number, body: unknown): SendOutcome {
  const first = (body as { messages?: { id?: unknown; message_status?: unknown }[] } | null)?.messages?.[0];
  if (first !== undefined && typeof first.id === 'string') {
    const status = typeof first.message_status === 'string' ? first.message_status : null;
    return { ok: true, wamid: first.id, messageStatus: status };
  }
  // A 2xx without a wamid: Meta may have taken the message, so reconcile before resending.
  return failure('unknown_outcome', `HTTP ${httpStatus} without a message id`, null, httpStatus);
}

/** Not a Graph error body (a proxy or a wrong URL): only the HTTP status is left to go on. */
function unparsedError(httpStatus: number, bodyText: string): SendError {
  const details = bodyText.length > 0 ? bodyText.slice(0, 200) : null;
  return failure(classOfBareStatus(httpStatus), `HTTP ${httpStatus} without a Graph error body`, details, httpStatus)
    .error;
}

function classOfBareStatus(httpStatus: number): SendErrorClass {
  if (httpStatus >= 500 || httpStatus === 408) return 'retryable';
  if (httpStatus === 429) return 'throughput';
  return 'auth_config';
}

/** An outcome for a failure Meta did not describe (transport, odd answers). */
export function failure(
  errorClass: SendErrorClass,
  title: string,
  details: string | null,
  httpStatus: number | null,
): { ok: false; error: SendError } {
  return { ok: false, error: { errorClass, code: null, subcode: null, title, details, fbtraceId: null, httpStatus } };
}

// Error codes that prove the request never reached the server, so resending is safe.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH']);

/**
 * A transport failure: refused or timed-out connects never carried the request (retryable); a
 * timeout, reset or drop after connecting may have (unknown_outcome: reconcile before resending).
 */
export function transportFailure(thrown: unknown, aborted: boolean): { ok: false; error: SendError } {
  const err = thrown as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof err?.code === 'string' ? err.code : null;
  const message = typeof err?.message === 'string' ? err.message : String(thrown);
  if (aborted) return failure('unknown_outcome', 'request aborted by the caller', code, null);
  if (code !== null && NOT_SENT_CODES.has(code))
    return failure('retryable', `connection failed: ${message}`, code, null);
  return failure('unknown_outcome', `no answer: ${message}`, code, null);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Meta's `message` is "(#code) Title"; keep the title. */
function titleOf(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  return message.replace(/^\(#\d+\)\s*/, '');
}

// One management call to the Graph API (templates, the phone number, webhook subscriptions): low
// volume, so each goes on the global undici dispatcher, and a failure throws MetaApiError with
// Meta's code and class, like a send error (reference/cloud-api.md §2).
import { type Dispatcher, request } from 'undici';
import type { SendError } from '../domain/outbound-message.ts';
import { parseSendAnswer, transportFailure } from './send-answer.ts';

/** A management call failed; `error` carries Meta's code and class like a send error. */
export class MetaApiError extends Error {
  override name = 'MetaApiError';
  readonly error: SendError;
  constructor(what: string, error: SendError) {
    super(`${what}: ${error.title}${error.code === null ? '' : ` (#${error.code})`}`);
    this.error = error;
  }
}

/** One Graph request: what it does (for the error), where, with which token. */
export interface GraphCall {
  what: string;
  method: 'GET' | 'POST';
  url: string;
  accessToken: string;
  body?: unknown;
  signal: AbortSignal;
  timeoutMs: number;
  /** undici dispatcher; the global one when absent. */
  dispatcher?: Dispatcher;
}

/** A 2xx answer: its parsed body, and the server's clock from its Date header (null without one). */
export interface GraphAnswer {
  json: unknown;
  serverDateMs: number | null;
}

/** Makes the call; a transport failure or a non-2xx answer throws MetaApiError. */
export async function callGraph(call: GraphCall): Promise<GraphAnswer> {
  let status: number;
  let text: string;
  let date: string | string[] | undefined;
  try {
    const answer = await request(call.url, {
      method: call.method,
      headers: { authorization: `Bearer ${call.accessToken}`, 'content-type': 'application/json' },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: call.signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
      dispatcher: call.dispatcher,
    });
    status = answer.statusCode;
    date = answer.headers.date;
    text = await answer.body.text();
  } catch (thrown) {
    throw new MetaApiError(call.what, transportFailure(thrown, call.signal.aborted).error);
  }
  if (status >= 200 && status < 300) return { json: JSON.parse(text), serverDateMs: parseDate(date) };
  const outcome = parseSendAnswer(status, text);
  throw new MetaApiError(call.what, outcome.ok ? unexpected(status) : outcome.error);
}

function parseDate(header: string | string[] | undefined): number | null {
  const ms = typeof header === 'string' ? Date.parse(header) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}

function unexpected(status: number): SendError {
  return {
    errorClass: 'retryable',
    code: null,
    subcode: null,
    title: `HTTP ${status}`,
    details: null,
    fbtraceId: null,
    httpStatus: status,
  };
}

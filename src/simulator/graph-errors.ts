// Meta's error answers: titles, details and HTTP statuses per code (reference/cloud-api.md §1–§2).

interface CodeInfo {
  title: string;
  details: string;
  httpStatus: number;
}

// HTTP statuses follow the older Meta table quoted in §2 (the current page lists none); each is
// overridable per run with behaviour.httpStatusByCode, since codebases see 130429/131056 as 400 too.
const CODES: Record<number, CodeInfo> = {
  0: { title: 'AuthException', details: 'Unable to authenticate the app user.', httpStatus: 401 },
  1: { title: 'API Unknown', details: 'Invalid request or possible server error.', httpStatus: 400 },
  2: { title: 'API Service', details: 'Temporary due to downtime or due to being overloaded.', httpStatus: 503 },
  100: { title: 'Invalid parameter', details: 'Invalid parameter', httpStatus: 400 },
  190: { title: 'Invalid OAuth access token - Cannot parse access token', details: '', httpStatus: 401 },
  130429: {
    title: 'Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
    httpStatus: 429,
  },
  131000: { title: 'Something went wrong', details: 'Something went wrong.', httpStatus: 500 },
  131008: { title: 'Required parameter is missing', details: 'Required parameter is missing.', httpStatus: 400 },
  131009: { title: 'Parameter value is not valid', details: 'Parameter value is not valid.', httpStatus: 400 },
  131026: {
    title: 'Message undeliverable',
    details: 'Message failed to send because the recipient is not a WhatsApp user or cannot receive it.',
    httpStatus: 400,
  },
  131047: {
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    httpStatus: 400,
  },
  131048: {
    title: 'Spam rate limit hit',
    details:
      'Message failed to send because there are restrictions on how many messages can be sent from this phone number.',
    httpStatus: 429,
  },
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
    httpStatus: 400,
  },
  131050: {
    title:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
    details: 'The user has stopped marketing messages from this business.',
    httpStatus: 400,
  },
  131051: { title: 'Unsupported message type', details: 'Message type is not currently supported.', httpStatus: 400 },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details:
      'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
    httpStatus: 429,
  },
  132000: {
    title: 'Number of parameters does not match the expected number of params',
    details:
      'The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.',
    httpStatus: 400,
  },
  132001: {
    title: 'Template does not exist',
    details: 'The template does not exist in the specified language or the template has not been approved.',
    httpStatus: 404,
  },
  132005: {
    title: 'Translated text too long',
    details: 'Translated text is too long.',
    httpStatus: 400,
  },
  132012: {
    title: 'Parameter format does not match format in the created template',
    details: 'Variable parameter values formatted incorrectly.',
    httpStatus: 400,
  },
  132015: {
    title: 'Template is Paused',
    details: 'Template is paused due to low quality so it cannot be sent in a template message.',
    httpStatus: 400,
  },
  132016: {
    title: 'Template is Disabled',
    details: 'Template has been paused too many times due to low quality and is now permanently disabled.',
    httpStatus: 400,
  },
};

/** A Graph error the simulator answers with; `details` names what is wrong. */
export class GraphError extends Error {
  override name = 'GraphError';
  readonly code: number;
  readonly details: string;
  readonly subcode: number | undefined;

  constructor(code: number, details?: string, options: { subcode?: number; message?: string } = {}) {
    const info = CODES[code];
    super(options.message ?? `(#${code}) ${info?.title ?? 'Unknown error'}`);
    this.code = code;
    this.details = details ?? info?.details ?? '';
    this.subcode = options.subcode;
  }
}

/** Title and default details of a code, for webhook `errors[]` (§4). */
export function describeCode(code: number): { title: string; details: string } {
  const info = CODES[code];
  return { title: info?.title ?? 'Unknown error', details: info?.details ?? '' };
}

/** The HTTP status a code answers with: the run's override, else Meta's table, else 400. */
export function httpStatusFor(code: number, overrides: Record<string, number>): number {
  return overrides[String(code)] ?? CODES[code]?.httpStatus ?? 400;
}

/** Meta's error body (SPEC GraphAPIError; §1 error response). */
export function errorBody(error: GraphError, traceId: string): object {
  const body: Record<string, unknown> = {
    message: error.message,
    type: 'OAuthException',
    code: error.code,
    error_data: { messaging_product: 'whatsapp', details: error.details },
  };
  if (error.subcode !== undefined) body.error_subcode = error.subcode;
  body.fbtrace_id = traceId;
  return { error: body };
}

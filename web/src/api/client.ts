// The dashboard's only way to the server: JSON over the same HTTP API scripts use, signed in by
// the session cookie. Writes carry the session's CSRF token; a 401 sends the person to sign in.

/** An error the API answered: `{"error":{"code","message","field"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field at fault (`email`, `password`, `role`…), when the server named one. */
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

/** Remembers the session's CSRF token (from sign-in or GET /api/v1/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when a request answers 401: the session ended or never began. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Options of one request. */
export interface RequestOptions {
  /** A JSON body. */
  json?: unknown;
  /** A file sent as it is (a CSV import), streamed by the browser instead of read into memory. */
  file?: Blob;
  /** False for the requests that may answer 401 as a normal answer (sign-in, the first look at /me). */
  redirectOn401?: boolean;
}

/** Calls the API and answers its JSON; any non-2xx becomes an ApiError. */
export async function api<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.file !== undefined) headers['content-type'] = options.file.type || 'text/csv';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.json === undefined ? options.file : JSON.stringify(options.json),
  });
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
  const error = await readError(response);
  if (response.status === 401 && options.redirectOn401 !== false) onUnauthorized();
  throw error;
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; field?: string | null } };
    const { code = 'error', message = response.statusText, field = null } = body.error ?? {};
    return new ApiError(response.status, code, message, field);
  } catch {
    return new ApiError(
      response.status,
      'error',
      `the server answered ${response.status} ${response.statusText}`,
      null,
    );
  }
}

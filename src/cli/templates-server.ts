import { AppError, coerceError } from '../domain/errors.ts';

/** Calls a running Chorus's API for the few things only it can do (sandbox template sync). */
export async function callServer(request: {
  server: string;
  apiKey: string | undefined;
  method: 'GET' | 'POST';
  path: string;
}): Promise<unknown> {
  if (!request.apiKey) {
    throw new AppError('unauthorized', '--server needs an API key: pass --api-key or set CHORUS_API_KEY', {
      field: 'api-key',
    });
  }
  const url = new URL(request.path, request.server);
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: { authorization: `Bearer ${request.apiKey}` },
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = coerceError(error);
    throw new AppError('invalid_state', `no Chorus answers at ${url.origin} (is \`chorus start\` running?)`, {
      cause,
    });
  }
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok) {
    const reason = body?.error?.message ?? `HTTP ${response.status}`;
    throw new AppError(response.status === 401 ? 'unauthorized' : 'invalid_state', `${url.origin}: ${reason}`);
  }
  return body;
}

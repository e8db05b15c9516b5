import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { importContacts } from '../app/import-contacts.ts';
import { AppError } from '../domain/errors.ts';
import { createTestDatabase } from '../store/testing.ts';
import { errorResponse } from './on-error.ts';
import { limitStreamedBody } from './stream-limit.ts';

const LIMIT = 1_000;

/** A route that reads its body chunk by chunk, noting how many bytes it had when each chunk came. */
function countingApp() {
  const seen: number[] = [];
  const app = new Hono();
  app.onError((error, c) => (error instanceof AppError ? errorResponse(c, error) : c.text('bug', 500)));
  app.post('/upload', limitStreamedBody(LIMIT, 'uploads'), async (c) => {
    let bytes = 0;
    for await (const chunk of c.req.raw.body ?? []) {
      bytes += chunk.byteLength;
      seen.push(bytes);
    }
    return c.json({ bytes });
  });
  return { app, seen };
}

/** A chunked body (no Content-Length): `count` chunks of `size` bytes. */
function chunked(count: number, size: number): RequestInit {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < count; i++) controller.enqueue(new Uint8Array(size).fill(97));
      controller.close();
    },
  });
  return { method: 'POST', body, duplex: 'half' } as RequestInit;
}

describe('limitStreamedBody', () => {
  it('refuses a declared length over the limit before the route reads anything', async () => {
    const { app, seen } = countingApp();
    const response = await app.request('/upload', { method: 'POST', body: 'x'.repeat(LIMIT + 1) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { code: 'payload_too_large', message: 'uploads are limited to 1000 bytes' },
    });
    expect(seen).toEqual([]);
  });

  it('streams a chunked body to the route as it comes, and stops it with 413 past the limit', async () => {
    const within = countingApp();
    const ok = await within.app.request('/upload', chunked(4, 250));
    expect(await ok.json()).toEqual({ bytes: 1_000 });
    // Chunk by chunk, not one buffer: the route saw the body grow.
    expect(within.seen.length).toBeGreaterThan(1);

    const over = countingApp();
    const refused = await over.app.request('/upload', chunked(8, 250));
    expect(refused.status).toBe(413);
    expect(Math.max(...over.seen)).toBeLessThanOrEqual(LIMIT);
  });

  it('ends an import whose upload fails midway with that error, inline or in a worker, instead of waiting', async () => {
    const test = await createTestDatabase('sqlite');
    try {
      for (const parseMode of ['inline', 'worker'] as const) {
        async function* cutOff() {
          yield Buffer.from('phone,first_name\n+4915100000001,Ana\n');
          throw new AppError('payload_too_large', 'imports are limited to 10 bytes');
        }
        await expect(
          importContacts(test.database, cutOff(), { fileName: 'cut.csv', parseMode }, () => 0),
        ).rejects.toMatchObject({ code: 'payload_too_large' });
      }
    } finally {
      await test.drop();
    }
  });
});

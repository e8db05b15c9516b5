import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitBody } from './body-limit.ts';

const LIMIT = 1_000;

// Over a real socket: under @hono/node-server a declared body is read past the web Request that
// app.request() would always build.
describe('limitBody', () => {
  let server: http.Server;
  let port: number;
  let routeRan = 0;

  beforeAll(async () => {
    const app = new Hono();
    app.post(
      '/echo',
      limitBody(LIMIT, (c) => c.json({ error: 'too large' }, 413)),
      async (c) => {
        routeRan += 1;
        const body = new Uint8Array(await c.req.arrayBuffer());
        return c.json({ bytes: body.byteLength, text: new TextDecoder().decode(body) });
      },
    );
    server = await new Promise<http.Server>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started as http.Server),
      );
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** POSTs `chunks`, with a Content-Length when `declared`, else chunked. */
  function post(chunks: string[], declared: boolean): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const length = chunks.reduce((n, chunk) => n + Buffer.byteLength(chunk), 0);
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/echo',
          method: 'POST',
          headers: declared ? { 'content-length': String(length) } : { 'transfer-encoding': 'chunked' },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (part: string) => {
            body += part;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      // The server may answer 413 and close before every byte is written.
      request.on('error', reject);
      for (const chunk of chunks) request.write(chunk);
      request.end();
    });
  }

  it('hands the route every byte of a declared body within the limit, UTF-8 intact', async () => {
    const text = `${'é'.repeat(400)}${'a'.repeat(LIMIT - 800)}`;
    const answer = await post([text.slice(0, 300), text.slice(300)], true);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ bytes: LIMIT, text });
  });

  it('refuses a declared length over the limit without running the route', async () => {
    const before = routeRan;
    const answer = await post(['x'.repeat(LIMIT + 1)], true);
    expect(answer).toEqual({ status: 413, body: JSON.stringify({ error: 'too large' }) });
    expect(routeRan).toBe(before);
  });

  it('counts a chunked body: within the limit it passes whole, past it the answer is 413', async () => {
    const within = await post(['a'.repeat(600), 'b'.repeat(400)], false);
    expect(JSON.parse(within.body)).toEqual({ bytes: LIMIT, text: `${'a'.repeat(600)}${'b'.repeat(400)}` });
    const before = routeRan;
    const over = await post(['a'.repeat(600), 'b'.repeat(401)], false);
    expect(over.status).toBe(413);
    expect(routeRan).toBe(before);
  });
});

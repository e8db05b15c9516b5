import { describe, expect, it } from 'vitest';
import { ApiKeyVerifier } from '../app/api-keys.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../store/db.ts';
import { createHttpApp } from './app.ts';
import type { RequestSample } from './request-context.ts';

type Line = Record<string, unknown>;

/** An app with a route that logs, one that throws, and a logger writing into `lines`. */
function appWithLog() {
  const lines: Line[] = [];
  const samples: RequestSample[] = [];
  const database = openDatabase({ kind: 'sqlite', path: ':memory:' });
  const app = createHttpApp(
    {
      database,
      logger: createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) }),
      apiKeys: new ApiKeyVerifier(database.db, () => 0),
      clock: () => 0,
      isReady: () => true,
      isSandbox: false,
      trustProxy: false,
      requests: { requestHandled: (sample) => samples.push(sample) },
    },
    [
      (a) => {
        a.get('/things/:id', (c) => {
          c.get('log').info({ thing: c.req.param('id') }, 'thing looked up');
          return c.json({ ok: true });
        });
        a.get('/boom', () => {
          throw new Error('kaboom');
        });
        a.use('/files/*', async (c) => c.text('a file'));
        a.post('/hook', (c) => {
          if (c.req.query('ok') === undefined) return c.json({ error: 'refused' }, 401);
          c.set('isRoutine', true);
          return c.json({ ok: true });
        });
      },
    ],
  );
  return { app, lines, samples };
}

describe('request ids', () => {
  it('gives each request an id, answers it in X-Request-Id, and puts it on every line the request logs', async () => {
    const { app, lines } = appWithLog();
    const first = await app.request('/things/7');
    const second = await app.request('/things/8');
    const id = first.headers.get('x-request-id') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get('x-request-id')).not.toBe(id);
    const ofFirst = lines.filter((l) => l.requestId === id);
    expect(ofFirst.map((l) => l.msg)).toEqual(['thing looked up', 'request answered']);
    expect(ofFirst[1]).toMatchObject({ method: 'GET', route: '/things/:id', status: 200 });
  });

  it('honours a sane incoming X-Request-Id and replaces one that is not', async () => {
    const { app, lines } = appWithLog();
    const honoured = await app.request('/things/1', { headers: { 'X-Request-Id': 'lb-4f2a.9:trace/1' } });
    expect(honoured.headers.get('x-request-id')).toBe('lb-4f2a.9:trace/1');
    expect(lines.some((l) => l.requestId === 'lb-4f2a.9:trace/1')).toBe(true);
    for (const insane of ['has space', 'quote"d', 'x'.repeat(129), '']) {
      const answer = await app.request('/things/1', { headers: { 'X-Request-Id': insane } });
      expect(answer.headers.get('x-request-id'), insane).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs an unhandled error with the request id, and an unmatched path with its phone number masked', async () => {
    const { app, lines, samples } = appWithLog();
    const boom = await app.request('/boom');
    expect(boom.status).toBe(500);
    const id = boom.headers.get('x-request-id');
    expect(lines.find((l) => l.msg === 'unhandled error')).toMatchObject({ requestId: id, level: 50 });
    // The dashboard answers every other path with its page, but not a file it does not have.
    await app.request('/nowhere/%2B4915112345678.png');
    const unmatched = lines.find((l) => l.route === '(unmatched)');
    expect(unmatched).toMatchObject({ status: 404, path: '/nowhere/%2B49151*****678.png' });
    expect(JSON.stringify(lines)).not.toContain('4915112345678');
    await app.request('/files/a.css');
    await app.request('/api/v1/nothing-here');
    expect(samples.map((s) => [s.route, s.status])).toEqual([
      ['/boom', 500],
      ['(unmatched)', 404],
      // A middleware that answers itself is labelled by its pattern, as the API key check is.
      ['/files/*', 200],
      ['/api/v1/*', 401],
    ]);
  });

  it('logs the answers a route marks routine at debug, and counts them all the same', async () => {
    const { app, lines, samples } = appWithLog();
    expect((await app.request('/hook?ok', { method: 'POST' })).status).toBe(200);
    expect((await app.request('/hook', { method: 'POST' })).status).toBe(401);
    expect(lines.filter((l) => l.msg === 'request answered').map((l) => [l.route, l.status])).toEqual([['/hook', 401]]);
    expect(samples.map((s) => [s.route, s.status])).toEqual([
      ['/hook', 200],
      ['/hook', 401],
    ]);
  });
});

import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importContacts } from '../app/import-contacts.ts';
import { findContactByPhone } from '../store/contacts-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import type { ChorusApp } from './app.ts';
import { JSON_BODY_LIMIT_BYTES, MAX_JSON_DEPTH } from './json-body.ts';
import { registerContactRoutes } from './routes/contacts.ts';
import { createTestApi, TEST_API_KEY } from './testing.ts';

const NOW = Date.parse('2026-04-01T10:00:00Z');
const PHONE = '+4915112345678';
const PATH = `/api/v1/contacts/${encodeURIComponent(PHONE)}`;

describe.each(TEST_BACKENDS)('JSON bodies and query text on %s', (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;
  const patch = (
    body: string | Buffer | ReadableStream,
    type = 'application/json',
    extra: Record<string, string> = {},
  ) =>
    app.request(PATH, {
      method: 'PATCH',
      body,
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': type, ...extra },
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
  const errorOf = async (response: Response) => ((await response.json()) as { error: Record<string, unknown> }).error;
  const expectUnchanged = async () => {
    expect(await findContactByPhone(test.database.db, PHONE)).toMatchObject({ firstName: 'Ana', attributes: {} });
  };

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    ({ app } = await createTestApi(test.database, [registerContactRoutes], NOW));
    await importContacts(
      test.database,
      Readable.from([`phone,first_name\n${PHONE},Ana\n`]),
      { fileName: 'a.csv' },
      () => NOW,
    );
  });
  afterAll(async () => test.drop());

  it('refuses a body over the limit with a JSON 413, whether or not it says its length, in any case of the type', async () => {
    const big = JSON.stringify({ first_name: 'x'.repeat(JSON_BODY_LIMIT_BYTES) });
    const declared = await patch(big);
    expect(declared.status).toBe(413);
    expect(await errorOf(declared)).toMatchObject({ code: 'payload_too_large' });
    const streamed = await patch(
      Readable.toWeb(Readable.from([Buffer.from(big)])) as ReadableStream,
      'Application/JSON; charset=utf-8',
    );
    expect(streamed.status).toBe(413);
    await expectUnchanged();
  });

  it('names malformed JSON, too deep nesting and bytes that are not UTF-8 as 400s of the body', async () => {
    const malformed = await patch('{"first_name": "Bo"');
    expect(malformed.status).toBe(400);
    expect(await errorOf(malformed)).toMatchObject({
      code: 'validation_failed',
      field: 'body',
      message: expect.stringMatching(/^body: malformed JSON/),
    });

    const deep = await patch(`{"attributes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(deep.status).toBe(400);
    expect(await errorOf(deep)).toMatchObject({
      field: 'body',
      message: `body: JSON nested 100001 levels deep; at most ${MAX_JSON_DEPTH}`,
    });
    // Brackets inside strings are text, not nesting.
    expect((await patch(JSON.stringify({ attributes: { code: '['.repeat(100) } }))).status).toBe(200);

    const latin1 = await patch(
      Buffer.concat([Buffer.from('{"first_name":"Jos'), Buffer.from([0xe9]), Buffer.from('"}')]),
    );
    expect(latin1.status).toBe(400);
    expect(await errorOf(latin1)).toMatchObject({ field: 'body', message: expect.stringMatching(/not valid UTF-8/) });
  });

  it('refuses a NUL in any string or key, naming the field, and stores nothing', async () => {
    await test.database.db.updateTable('contacts').set({ attributes: '{}', first_name: 'Ana' }).execute();
    const inName = await patch(JSON.stringify({ first_name: 'Bo\u0000b' }));
    expect(inName.status).toBe(400);
    expect(await errorOf(inName)).toMatchObject({ code: 'validation_failed', field: 'first_name' });
    const inAttribute = await patch(JSON.stringify({ attributes: { code: 'A\u00001' } }));
    expect(await errorOf(inAttribute)).toMatchObject({ field: 'attributes.code' });
    const inTag = await patch(JSON.stringify({ tags: ['ok', 'v\u0000ip'] }));
    expect(await errorOf(inTag)).toMatchObject({ field: 'tags.1' });
    const inKey = await patch(JSON.stringify({ attributes: { 'c\u0000de': 'x' } }));
    expect(await errorOf(inKey)).toMatchObject({
      field: 'attributes',
      message: expect.stringMatching(/a key holds a NUL/),
    });
    await expectUnchanged();
  });

  it('refuses a NUL in a query value or the path, naming the parameter', async () => {
    const inPath = await app.request('/api/v1/contacts/%2B49%00', {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(inPath.status).toBe(400);
    expect(await errorOf(inPath)).toMatchObject({ field: 'path' });
    const response = await app.request('/api/v1/contacts?q=%00ana', {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ field: 'q' });
  });

  it('still takes HTML, script and SQL text as plain data', async () => {
    const name = `<script>alert(1)</script>'; DROP TABLE contacts; --`;
    const ok = await patch(JSON.stringify({ first_name: name, attributes: { note: '" OR 1=1 --' } }));
    expect(ok.status).toBe(200);
    expect(await findContactByPhone(test.database.db, PHONE)).toMatchObject({
      firstName: name,
      attributes: { note: '" OR 1=1 --' },
    });
    await test.database.db.updateTable('contacts').set({ attributes: '{}', first_name: 'Ana' }).execute();
  });
});

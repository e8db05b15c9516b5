// Property-based: arbitrary JSON bodies to the two busiest writes of the API answer 2xx, or a 4xx
// whose error names the field at fault; never a 5xx.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_ID } from '../app/senders.ts';
import { syncTemplates } from '../app/sync-templates.ts';
import { DEFAULT_RATE_CARD } from '../domain/pricing.ts';
import { helloWorld, orderUpdate, welcome } from '../domain/template-fixtures.testing.ts';
import { getSender, type Sender, upsertSender } from '../store/senders-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import type { ChorusApp } from './app.ts';
import { registerCampaignRoutes } from './routes/campaigns.ts';
import { registerContactRoutes } from './routes/contacts.ts';
import { createTestApi, TEST_API_KEY } from './testing.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const PHONE = '+4915112345678';

/** Text that has broken parsers, queries and pages elsewhere. */
const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "'; DROP TABLE contacts; --",
    '" OR 1=1 --',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    '{{',
    '{{attr.}}',
    '{{first_name|',
    '\u0000',
    '\uD800',
    '%00',
    '😀'.repeat(50),
    'x'.repeat(5000),
  ),
);
const anything = fc.oneof(hostileText, fc.jsonValue({ maxDepth: 3 }));

const campaignBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    {
      name: anything,
      template: fc.oneof(
        fc.record(
          {
            name: fc.oneof(fc.constantFrom('welcome', 'hello_world', 'order_update'), anything),
            language: fc.oneof(fc.constant('en_US'), anything),
          },
          { requiredKeys: [] },
        ),
        anything,
      ),
      params: fc.oneof(
        fc.record(
          {
            body: fc.oneof(
              fc.array(fc.oneof(fc.constantFrom('{{first_name|there}}', '{{attr.city}}', '{{phone}}'), hostileText), {
                maxLength: 3,
              }),
              fc.dictionary(hostileText, hostileText),
              anything,
            ),
          },
          { requiredKeys: [] },
        ),
        anything,
      ),
      audience: fc.oneof(
        fc.record({ tags: fc.oneof(fc.array(hostileText, { maxLength: 3 }), anything) }, { requiredKeys: [] }),
        anything,
      ),
      scheduled_at: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        anything,
      ),
      sender: fc.oneof(fc.constant(DEFAULT_SENDER_ID), anything),
    },
    { requiredKeys: [] },
  ),
);

const contactPatch = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    {
      first_name: fc.oneof(hostileText, fc.constant(null), anything),
      last_name: fc.oneof(hostileText, fc.constant(null)),
      language: fc.oneof(fc.constantFrom('en', 'pt_BR'), hostileText),
      tags: fc.oneof(fc.array(hostileText, { maxLength: 4 }), anything),
      attributes: fc.oneof(fc.dictionary(hostileText, hostileText, { maxKeys: 4 }), anything),
    },
    { requiredKeys: [] },
  ),
);

describe.each(TEST_BACKENDS)('the API validators on %s', (backend) => {
  let test: TestDatabase;
  let app: ChorusApp;
  const numRuns = backend === 'sqlite' ? 150 : 60;

  /** Sends the body and checks the answer's shape; the status for the caller's own checks. */
  const send = async (method: string, path: string, body: unknown) => {
    const response = await app.request(path, {
      method,
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(500);
    if (response.status >= 400) {
      const { error } = JSON.parse(text) as { error: { code: string; message: string; field: string | null } };
      expect(error.message.length, text).toBeGreaterThan(0);
      if (response.status === 400) expect(error.field, text).toEqual(expect.any(String));
    }
    return response.status;
  };

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await upsertSender(
      test.database.db,
      { id: DEFAULT_SENDER_ID, phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 100_000 },
      NOW,
    );
    const sender = (await getSender(test.database.db, DEFAULT_SENDER_ID)) as Sender;
    await syncTemplates(
      test.database,
      sender,
      async () => [helloWorld, welcome, orderUpdate],
      NOW,
      AbortSignal.timeout(5_000),
    );
    ({ app } = await createTestApi(
      test.database,
      [
        registerContactRoutes,
        (a, d) => registerCampaignRoutes(a, d, { onCampaignChanged: () => {}, rateCard: DEFAULT_RATE_CARD }),
      ],
      NOW,
    ));
    const csv = `phone,first_name,tags,opted_in_at,city\n${PHONE},Ana,vip,2026-01-05T10:00:00Z,Berlin\n`;
    const imported = await app.request('/api/v1/contacts/import', {
      method: 'POST',
      body: csv,
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
  });
  afterAll(async () => test.drop());

  it('POST /api/v1/campaigns answers 2xx or a 4xx naming the field, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(campaignBody, async (body) => void (await send('POST', '/api/v1/campaigns', body))),
      { numRuns },
    );
  });

  it('PATCH /api/v1/contacts/{phone} answers 2xx or a 4xx naming the field, never 5xx', async () => {
    const path = `/api/v1/contacts/${encodeURIComponent(PHONE)}`;
    await fc.assert(
      fc.asyncProperty(contactPatch, async (body) => void (await send('PATCH', path, body))),
      { numRuns },
    );
  });
});

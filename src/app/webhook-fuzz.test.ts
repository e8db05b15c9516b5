// Property-based: whatever JSON reaches the webhook after its signature check, the parser either
// reads it or refuses it with its own error, and applying what it read never changes a message
// unless an event validly names it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebhookPayload, WebhookPayloadError } from '../cloud-api/webhook-parser.ts';
import { createKeywordMatcher } from '../domain/opt-out-keywords.ts';
import { createLogger } from '../logger.ts';
import { seedMessagesInFlight } from '../store/campaign-fixtures.testing.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { applyWebhookEvents } from './apply-webhook.ts';

const NOW = 1_800_000_000_000;

/** Junk in the places Meta's fields go: right keys, arbitrary values; or arbitrary keys altogether. */
const junkStatus = fc.record(
  {
    id: fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('wamid.m1', 'wamid.\u0000x'), fc.jsonValue()),
    status: fc.oneof(fc.constantFrom('sent', 'delivered', 'read', 'failed', 'played', 'deleted'), fc.jsonValue()),
    timestamp: fc.oneof(fc.string(), fc.integer(), fc.constant('9999999999999'), fc.jsonValue()),
    recipient_id: fc.oneof(fc.string(), fc.jsonValue()),
    biz_opaque_callback_data: fc.oneof(fc.string(), fc.jsonValue()),
    errors: fc.oneof(fc.array(fc.record({ code: fc.oneof(fc.integer(), fc.jsonValue()) })), fc.jsonValue()),
  },
  { requiredKeys: [] },
);
const junkValue = fc.record(
  {
    messaging_product: fc.oneof(fc.constant('whatsapp'), fc.jsonValue()),
    metadata: fc.oneof(fc.record({ phone_number_id: fc.oneof(fc.constant('p1'), fc.jsonValue()) }), fc.jsonValue()),
    statuses: fc.oneof(fc.array(junkStatus, { maxLength: 4 }), fc.jsonValue()),
    messages: fc.oneof(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 3 }), fc.jsonValue()),
  },
  { requiredKeys: [] },
);
const junkEnvelope = fc.record({
  object: fc.oneof(fc.constant('whatsapp_business_account'), fc.jsonValue()),
  entry: fc.oneof(
    fc.array(
      fc.record({
        id: fc.oneof(fc.constant('w1'), fc.jsonValue()),
        changes: fc.oneof(
          fc.array(fc.record({ field: fc.oneof(fc.constant('messages'), fc.string()), value: junkValue }), {
            maxLength: 3,
          }),
          fc.jsonValue(),
        ),
      }),
      { maxLength: 3 },
    ),
    fc.jsonValue(),
  ),
});

/** Parses like the webhook route: events, or undefined when the route would answer 400. */
function parseOrRefuse(payload: unknown) {
  try {
    return parseWebhookPayload(payload);
  } catch (error) {
    if (error instanceof WebhookPayloadError) return undefined;
    throw error;
  }
}

describe('the webhook parser on arbitrary JSON', () => {
  it('reads or refuses with its own error, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), junkEnvelope), (payload) => {
        const events = parseOrRefuse(payload);
        if (events !== undefined) expect(Array.isArray(events)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe.each(TEST_BACKENDS)('applying arbitrary webhook JSON on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await seedMessagesInFlight(test.database, NOW, 2);
  });
  afterAll(async () => test.drop());

  const messages = () => test.database.db.selectFrom('messages').selectAll().orderBy('id').execute();

  it('never throws past the intake and changes a message only for a valid status event naming it', async () => {
    const before = await messages();
    await fc.assert(
      fc.asyncProperty(junkEnvelope, async (payload) => {
        const events = parseOrRefuse(payload) ?? [];
        await applyWebhookEvents(test.database, events, {
          now: NOW,
          logger: createLogger('silent'),
          matchKeyword: createKeywordMatcher(),
          applyEffects: async () => {},
        });
        const names = new Set(
          events.flatMap((e) =>
            e.kind === 'status' && ['sent', 'delivered', 'read', 'failed', 'played'].includes(e.status)
              ? [e.wamid, e.callbackData]
              : [],
          ),
        );
        for (const [i, row] of (await messages()).entries()) {
          if (names.has(row.wamid ?? '') || names.has(String(row.id))) continue;
          expect(row).toEqual(before[i]);
        }
      }),
      { numRuns: backend === 'sqlite' ? 60 : 25 },
    );
  });
});

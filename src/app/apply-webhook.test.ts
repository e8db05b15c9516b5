import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessageEvent } from '../cloud-api/webhook-events.ts';
import { createKeywordMatcher } from '../domain/opt-out-keywords.ts';
import { createLogger } from '../logger.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { type ApplyContext, applyWebhookEvents } from './apply-webhook.ts';
import { suppressNow } from './consent-effects.ts';

const NOW = 1_800_000_000_000;

const stop: InboundMessageEvent = {
  kind: 'message',
  wabaId: 'w1',
  phoneNumberId: 'p1',
  wamid: 'wamid.stop-1',
  from: '4915112345678',
  timestampMs: NOW,
  type: 'text',
  interactiveType: null,
  profileName: null,
  text: 'STOP',
  payload: null,
  contextWamid: null,
  errors: [],
  raw: {},
};

describe.each(TEST_BACKENDS)('a webhook batch and its effects on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(async () => test.drop());

  const apply = (applyEffects: ApplyContext['applyEffects']) =>
    applyWebhookEvents(test.database, [stop], {
      now: NOW,
      logger: createLogger('silent'),
      matchKeyword: createKeywordMatcher(),
      applyEffects,
    });

  it('stores nothing when its effects fail, so Meta’s retry still suppresses', async () => {
    await expect(
      apply(async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    const stored = await test.database.db.selectFrom('inbound_messages').selectAll().execute();
    expect(stored).toEqual([]);

    await apply(async (trx, result) => {
      for (const effect of result.inbound) {
        if (effect.kind === 'keyword')
          await suppressNow(trx, effect.phone, { source: 'test', evidence: effect.evidence }, NOW);
      }
    });
    const suppression = await test.database.db.selectFrom('suppressions').selectAll().executeTakeFirst();
    expect(suppression).toMatchObject({ phone: '+4915112345678', reason: 'opted_out' });
  });

  it('does not act twice on a duplicate delivery', async () => {
    let effects = 0;
    const result = await apply(async (_trx, batch) => {
      effects += batch.inbound.length;
    });
    expect(result.inbound).toEqual([]);
    expect(effects).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { seedMessagesInFlight } from '../store/campaign-fixtures.testing.ts';
import { getCampaign, transitionCampaign } from '../store/campaigns-repo.ts';
import { recordSendResults, type SendResult } from '../store/send-results-repo.ts';
import type { AppliedStatus } from '../store/status-events-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { CampaignEffects } from './campaign-effects.ts';
import { changeCampaignStatus } from './campaigns.ts';

// The quality guard judges what the database counts, so two processes (an api process applying
// webhooks, a worker recording send answers) judge a campaign on the same truth.

const NOW = 1_800_000_000_000;
const MESSAGES = 3_000;

describe.each(TEST_BACKENDS)('the quality guard on %s', (backend) => {
  let test: TestDatabase;
  let campaignId: number;
  let clockMs = NOW;
  let nextMessageId = 1;
  const clock = () => clockMs;
  // Two processes' effects on one database: each sees only what it records itself.
  let api: CampaignEffects;
  let worker: CampaignEffects;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    campaignId = await seedMessagesInFlight(test.database, NOW, MESSAGES);
    await transitionCampaign(test.database.db, { id: campaignId, from: ['draft'], to: 'running', now: NOW });
    api = new CampaignEffects(test.database, clock, createLogger('silent'));
    worker = new CampaignEffects(test.database, clock, createLogger('silent'));
  });
  afterAll(async () => test.drop());

  /** The worker records `count` send answers: accepted, or failed with `code`. */
  async function answers(count: number, code: number | null): Promise<void> {
    const results: SendResult[] = Array.from({ length: count }, () => {
      const messageId = nextMessageId++;
      const attempt = { attempt: 1, started_at: clockMs, finished_at: clockMs };
      return code === null
        ? {
            kind: 'accepted',
            messageId,
            campaignId,
            senderId: 'default',
            phone: `+4915199${messageId}`,
            wamid: `wamid.q${messageId}`,
            at: clockMs,
            attempt: { ...attempt, outcome: 'accepted', wamid: `wamid.q${messageId}` },
          }
        : {
            kind: 'failed',
            messageId,
            campaignId,
            at: clockMs,
            reason: `${code}: failure`,
            error: { code, title: 'failure', details: null },
            attempt: { ...attempt, outcome: 'error', error_code: code },
          };
    });
    const applied = await recordSendResults(test.database.db, results, clockMs);
    await worker.afterSendResults(results, applied);
  }

  /** The api process applies `count` failed-status webhooks with `code`. */
  async function failedWebhooks(count: number, code: number): Promise<void> {
    const applied: AppliedStatus[] = Array.from({ length: count }, (_, i) => ({
      messageId: i + 1,
      campaignId,
      phone: `+4915199${i + 1}`,
      wamid: `wamid.${i + 1}`,
      status: 'failed',
      errorCode: code,
    }));
    await test.database.db.transaction().execute((trx) =>
      api.applyWebhookEffects(trx, {
        statusEvents: count,
        applied,
        inbound: [],
        received: [],
        templates: [],
        ignored: 0,
      }),
    );
  }

  const campaign = async () => (await getCampaign(test.database.db, campaignId))!;

  it("judges webhook failures against the worker's sends: a healthy campaign is not paused", async () => {
    await answers(1_000, null);
    // To this process alone 60 failures are all it saw; against the 1,000 sends the worker counted they are 6 %.
    await failedWebhooks(60, 131049);
    expect((await campaign()).status).toBe('running');
    await failedWebhooks(60, 131049);
    expect(await campaign()).toMatchObject({
      status: 'paused',
      statusReason: 'quality: 12% of the last 1000 sends failed with 131049 per-user marketing limit',
    });
    const audited = await test.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'campaign.pause')
      .executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ actor_type: 'system', target_id: String(campaignId) });
  });

  it('judges afresh after a person resumes, and pauses again if failures go on', async () => {
    clockMs += 60_000;
    await changeCampaignStatus(test.database, campaignId, 'resume', clockMs);
    clockMs += 1_000;
    await answers(99, 131048);
    expect((await campaign()).status).toBe('running');
    await answers(1, 131048);
    expect(await campaign()).toMatchObject({
      status: 'paused',
      statusReason: 'quality: 100% of the last 100 sends failed with 131048 spam rate limit',
    });
  });

  it('forgets old seconds once the window holds enough newer sends', async () => {
    clockMs += 60_000;
    await changeCampaignStatus(test.database, campaignId, 'resume', clockMs);
    clockMs += 1_000;
    await answers(20, 131050);
    clockMs += 1_000;
    await answers(500, null);
    clockMs += 1_000;
    await answers(20, 131050);
    // The window is the newest 520 sends: 20 failures, 3.8 %, under 131050's 5 %; all 540 would be 7.4 %.
    expect((await campaign()).status).toBe('running');
  });
});

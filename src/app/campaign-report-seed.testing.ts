// Test support: one finished campaign with every kind of outcome a report counts, built through
// the app's own functions (import, create, start, materialise) plus direct outcome writes.
import { Readable } from 'node:stream';
import { materialiseCampaign } from '../dispatch/materialiser.ts';
import { helloWorld, welcome } from '../domain/template-fixtures.testing.ts';
import type { Database } from '../store/db.ts';
import { insertInbound } from '../store/inbound-repo.ts';
import { setMessageOutcomeForTest } from '../store/report-outcomes.testing.ts';
import { upsertSender } from '../store/senders-repo.ts';
import { addSuppression } from '../store/suppressions-repo.ts';
import { upsertTemplates } from '../store/templates-repo.ts';
import { campaignInputSchema } from './campaign-input.ts';
import { changeCampaignStatus, createCampaign, requireCampaign } from './campaigns.ts';
import { importContacts } from './import-contacts.ts';

/** The seed's clock: a whole minute, so timeline buckets are easy to state. */
export const SEED_NOW = 1_800_000_000_000;

/** The seeded recipients, by what happened to them. */
export const SEED_PHONES = {
  read: '+4915112345678',
  delivered: '+4915112345679',
  failedPermanent: '+919876543210',
  failedRetryable: '+919876543211',
  failedThroughput: '+5511987654321',
  sent: '+447911123456',
  noConsent: '+4915112345670',
} as const;

/** Registers the default sender and the sandbox templates, as `chorus start` and a sync would. */
export async function seedSenderAndTemplates(database: Database): Promise<void> {
  await upsertSender(
    database.db,
    { id: 'default', phoneNumberId: 'p1', businessAccountId: 'w1', ratePerSec: 80, dailyLimit: 1000 },
    SEED_NOW,
  );
  await upsertTemplates(database.db, 'w1', [helloWorld, welcome], SEED_NOW);
}

/** Seeds the campaign described in SEED_PHONES and answers its id. */
export async function seedReportCampaign(database: Database): Promise<number> {
  const clock = () => SEED_NOW;
  await seedSenderAndTemplates(database);
  const p = SEED_PHONES;
  const consented = [p.read, p.delivered, p.failedPermanent, p.failedRetryable, p.failedThroughput, p.sent];
  const csv = `phone,first_name,opted_in_at\n${consented.map((phone) => `${phone},Ana,2026-01-05T10:00:00Z`).join('\n')}\n${p.noConsent},Nope,\n`;
  await importContacts(database, Readable.from([csv]), { fileName: 'seed.csv', tags: ['vip'] }, clock);
  const input = campaignInputSchema.parse({
    name: 'Seeded',
    template: { name: 'welcome', language: 'en_US' },
    params: { body: ['{{first_name|there}}'] },
    audience: { tags: ['vip'] },
  });
  const view = await createCampaign(database, input, SEED_NOW);
  const id = Number(view.id);
  await changeCampaignStatus(database, id, 'start', SEED_NOW);
  await materialiseCampaign(database, await requireCampaign(database, id), welcome, clock);
  await seedOutcomes(database, id);
  return id;
}

async function seedOutcomes(database: Database, id: number): Promise<void> {
  const { db } = database;
  const p = SEED_PHONES;
  const at = (seconds: number) => SEED_NOW + seconds * 1000;
  const handed = (seconds: number, wamid: string) => ({ accepted_at: at(seconds), wamid });
  const paid = { billable: 1, pricing_category: 'marketing', pricing_model: 'PMP' };
  await setMessageOutcomeForTest(db, id, p.read, {
    ...handed(5, 'w.read'),
    ...paid,
    status: 'read',
    sent_at: at(10),
    delivered_at: at(20),
    read_at: at(70),
  });
  await setMessageOutcomeForTest(db, id, p.delivered, {
    ...handed(5, 'w.delivered'),
    ...paid,
    status: 'delivered',
    sent_at: at(15),
    delivered_at: at(65),
  });
  const failed = (seconds: number, code: number) => ({
    status: 'failed' as const,
    failed_at: at(seconds),
    error_code: code,
  });
  await setMessageOutcomeForTest(db, id, p.failedPermanent, { ...handed(6, 'w.f1'), ...failed(30, 131026) });
  await setMessageOutcomeForTest(db, id, p.failedRetryable, failed(40, 131000));
  await setMessageOutcomeForTest(db, id, p.failedThroughput, failed(61, 130429));
  await setMessageOutcomeForTest(db, id, p.sent, { ...handed(7, 'w.sent'), status: 'sent', sent_at: at(80) });
  const reply = (phone: string, wamid: string, text: string, messageId: number) =>
    insertInbound(
      db,
      { wamid, phone, type: 'text', text, contextWamid: null, phoneNumberId: 'p1', occurredAt: at(90), payload: '{}' },
      { campaignId: id, messageId },
      null,
      at(90),
    );
  await reply(p.read, 'in.1', 'Thanks!', 1);
  await reply(p.delivered, 'in.2', 'STOP', 2);
  await addSuppression(db, { phone: p.delivered, reason: 'opted_out', source: 'keyword', now: at(100) });
  await addSuppression(db, { phone: p.sent, reason: 'opted_out', source: 'api', now: at(200) });
  // Opted out before the campaign started: not caused by it.
  await addSuppression(db, { phone: p.failedPermanent, reason: 'opted_out', source: 'api', now: SEED_NOW - 1000 });
}

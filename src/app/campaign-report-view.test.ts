import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { campaignReportCsv } from './campaign-report.ts';
import { SEED_NOW, SEED_PHONES, seedReportCampaign } from './campaign-report-seed.testing.ts';
import { buildCampaignReport } from './campaign-report-view.ts';

const minute = (offset: number) => new Date(SEED_NOW + offset * 60_000).toISOString();

describe.each(TEST_BACKENDS)('the campaign report on %s', (backend) => {
  let test: TestDatabase;
  let id: number;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    id = await seedReportCampaign(test.database);
  });
  afterAll(async () => test.drop());

  it('puts every message in exactly one status, summing to the total', async () => {
    const report = await buildCampaignReport(test.database, id);
    expect(report.counts).toEqual({
      pending: 0,
      sending: 0,
      accepted: 0,
      sent: 1,
      delivered: 1,
      read: 1,
      failed: 3,
      skipped: 1,
    });
    expect(report.total).toBe(7);
    expect(report.skipped).toEqual([{ reason: 'no_consent', count: 1 }]);
  });

  it('breaks failures down by code with the catalogue explanation, action and resendability', async () => {
    const { failures } = await buildCampaignReport(test.database, id);
    expect(failures.map((f) => [f.code, f.count, f.class, f.resendable])).toEqual([
      [130429, 1, 'throughput', true],
      [131000, 1, 'retryable', true],
      [131026, 1, 'recipient_permanent', false],
    ]);
    expect(failures[2]?.explanation).toMatch(/Undeliverable/);
    expect(failures[2]?.action).toMatch(/Do not retry/);
  });

  it('counts sent/delivered/read/failed per minute from the time columns', async () => {
    const { timeline } = await buildCampaignReport(test.database, id);
    expect(timeline).toEqual([
      { minute: minute(0), sent: 2, delivered: 1, read: 0, failed: 2 },
      { minute: minute(1), sent: 1, delivered: 1, read: 1, failed: 1 },
    ]);
  });

  it('counts replies and the opt-outs the campaign caused, once per number', async () => {
    const report = await buildCampaignReport(test.database, id);
    expect(report.replies).toEqual({ messages: 2, from_numbers: 2 });
    // The STOP reply and its suppression are one number; the opt-out from before the start is not counted.
    expect(report.opt_outs).toEqual({ numbers: 2, by_reply: 1, after_message: 2 });
  });

  it('prices billable messages with the rate card beside the estimate', async () => {
    const { cost } = await buildCampaignReport(test.database, id);
    expect(cost.actual).toEqual({
      billable_messages: 2,
      total: 0.273,
      lines: [{ country: 'DE', category: 'marketing', count: 2, unit_price: 0.1365, cost: 0.273 }],
      pricing_unknown: 1,
    });
    // Every non-skipped message as if delivered (the skipped one is left out), priced as marketing.
    expect(cost.estimate.category).toBe('marketing');
    expect(cost.estimate.lines.reduce((n, l) => n + l.count, 0)).toBe(6);
    expect(cost.estimate.lines).toContainEqual({ country: 'DE', count: 2, unitPrice: 0.1365, cost: 0.273 });
    expect(cost.estimate.lines).toContainEqual({ country: 'IN', count: 2, unitPrice: 0.0107, cost: 0.0214 });
    expect(cost.estimate.total).toBeGreaterThan(cost.actual.total);
  });

  it('adds the cost column to report.csv', async () => {
    let csv = '';
    for await (const chunk of campaignReportCsv(test.database, id)) csv += chunk;
    const rows = csv.trim().split('\n');
    expect(rows[0]?.split(',').at(-1)).toBe('cost');
    const costOf = (phone: string) =>
      rows
        .find((r) => r.startsWith(phone))
        ?.split(',')
        .at(-1);
    expect(costOf(SEED_PHONES.read)).toBe('0.1365');
    expect(costOf(SEED_PHONES.sent)).toBe('');
  });
});

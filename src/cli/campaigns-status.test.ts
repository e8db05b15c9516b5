import { describe, expect, it } from 'vitest';
import type { CampaignView } from '../app/campaigns.ts';
import { ProgressMeter } from './campaigns-status.ts';

const view = (settled: number, pending: number, audience = 1000): CampaignView => ({
  id: '1',
  name: 'c',
  sender: 'default',
  status: 'running',
  status_reason: null,
  template: { name: 'welcome', language: 'en_US' },
  audience_size: audience,
  counts: { pending, sending: 0, accepted: 0, sent: settled, delivered: 0, read: 0, failed: 0, skipped: 0 },
  total: settled + pending,
  scheduled_at: null,
  started_at: null,
  finished_at: null,
  created_at: new Date(0).toISOString(),
});

describe('the status --watch progress meter', () => {
  it('measures msg/s over recent samples and derives the ETA', () => {
    const meter = new ProgressMeter();
    expect(meter.sample(view(0, 1000), 0)).toEqual({ done: 0, total: 1000, ratePerSec: 0, etaSeconds: null });
    meter.sample(view(80, 920), 1000);
    expect(meter.sample(view(200, 800), 2000)).toEqual({ done: 200, total: 1000, ratePerSec: 100, etaSeconds: 8 });
  });

  it('uses the audience as the total while rows are still being materialised', () => {
    expect(new ProgressMeter().sample(view(10, 90, 5000), 0)).toMatchObject({ done: 10, total: 5000 });
  });
});

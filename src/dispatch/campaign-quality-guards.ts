import { QualityGuard } from './quality-guard.ts';

/** One quality guard per campaign, fed by send answers and by failed-status webhooks alike. */
export class CampaignQualityGuards {
  private readonly guards = new Map<number, QualityGuard>();
  private readonly paused = new Set<number>();

  /** Records an outcome (null = success); answers a pause reason the first time the campaign crosses a threshold. */
  record(campaignId: number, code: number | null): string | null {
    let guard = this.guards.get(campaignId);
    if (!guard) {
      guard = new QualityGuard();
      this.guards.set(campaignId, guard);
    }
    guard.record(code);
    if (code === null || this.paused.has(campaignId)) return null;
    const verdict = guard.evaluate();
    if (verdict.action !== 'pause') return null;
    this.paused.add(campaignId);
    return `quality: ${verdict.reason}`;
  }

  /** Forgets a campaign's window (it was resumed by a person, who has looked). */
  reset(campaignId: number): void {
    this.guards.delete(campaignId);
    this.paused.delete(campaignId);
  }
}

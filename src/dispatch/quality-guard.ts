// Watches a campaign's recent outcomes and pauses it when quality failures rise sharply, before Meta lowers
// the sender's quality or pauses the template (reference/cloud-api.md §3 "Quality", §6 opt-out, §2 codes).
// A fixed-size ring of the last N outcomes with running counts: O(1) per outcome. Pure: no clock needed.

/** A failure code to watch and the share of recent sends that trips the guard. */
export interface QualityRule {
  code: number;
  label: string;
  /** Pause when more than this fraction of the last outcomes failed with `code`. */
  maxRate: number;
}

/** Default rules: a few spam-limit hits are already serious; some per-user limits and opt-outs are normal. */
export const DEFAULT_QUALITY_RULES: readonly QualityRule[] = [
  { code: 131048, label: 'spam rate limit', maxRate: 0.01 },
  { code: 131049, label: 'per-user marketing limit', maxRate: 0.1 },
  { code: 131050, label: 'user stopped marketing messages', maxRate: 0.05 },
  { code: 130403, label: 'business has blocked this user', maxRate: 0.05 },
];

/** Window and rules. */
export interface QualityGuardOptions {
  /** How many recent outcomes are judged (default 500). */
  windowSize?: number;
  /** No verdict before this many outcomes (default 100), so three early failures do not pause a campaign. */
  minSamples?: number;
  rules?: readonly QualityRule[];
}

/** Keep going, or pause with a reason a person can act on. */
export type QualityVerdict = { action: 'continue' } | { action: 'pause'; code: number; rate: number; reason: string };

const SUCCESS = 0;

/** A sliding-window detector of quality failures for one campaign (or sender). */
export class QualityGuard {
  private readonly windowSize: number;
  private readonly minSamples: number;
  private readonly rules: readonly QualityRule[];
  private readonly ring: number[] = [];
  private next = 0;
  private readonly counts = new Map<number, number>();

  constructor(options: QualityGuardOptions = {}) {
    this.windowSize = Math.max(1, options.windowSize ?? 500);
    this.minSamples = Math.min(this.windowSize, options.minSamples ?? 100);
    this.rules = options.rules ?? DEFAULT_QUALITY_RULES;
  }

  /** Records one outcome: `null` for a success, else the Meta error code (0 counts as a success). */
  record(code: number | null): void {
    const value = code ?? SUCCESS;
    if (this.ring.length === this.windowSize) {
      const evicted = this.ring[this.next]!;
      this.counts.set(evicted, (this.counts.get(evicted) ?? 1) - 1);
      this.ring[this.next] = value;
    } else this.ring.push(value);
    this.next = (this.next + 1) % this.windowSize;
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  /** How many outcomes are in the window. */
  get sampleCount(): number {
    return this.ring.length;
  }

  /** The verdict on the current window: the rule exceeded by the widest margin, if any. */
  evaluate(): QualityVerdict {
    const samples = this.ring.length;
    if (samples < this.minSamples) return { action: 'continue' };
    let worst: { rule: QualityRule; rate: number } | null = null;
    for (const rule of this.rules) {
      const rate = (this.counts.get(rule.code) ?? 0) / samples;
      if (rate > rule.maxRate && (!worst || rate / rule.maxRate > worst.rate / worst.rule.maxRate))
        worst = { rule, rate };
    }
    if (!worst) return { action: 'continue' };
    const { rule, rate } = worst;
    const reason = `${formatPercent(rate)} of the last ${samples} sends failed with ${rule.code} ${rule.label}`;
    return { action: 'pause', code: rule.code, rate, reason };
  }
}

function formatPercent(rate: number): string {
  const percent = rate * 100;
  return percent >= 10 ? `${Math.round(percent)}%` : `${Math.round(percent * 10) / 10}%`;
}

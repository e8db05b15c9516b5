// Judges a campaign's recent outcomes and pauses it when quality failures rise sharply, before Meta
// lowers the sender's quality or pauses the template (reference/cloud-api.md §3 "Quality", §6
// opt-out, §2 codes). Pure: the counts come from the store, where every process adds to them.

/** A failure code to watch and the share of recent sends that trips the guard. */
export interface QualityRule {
  code: number;
  label: string;
  /** Pause when more than this fraction of the last sends failed with `code`. */
  maxRate: number;
}

/** Default rules: a few spam-limit hits are already serious; some per-user limits and opt-outs are normal. */
export const DEFAULT_QUALITY_RULES: readonly QualityRule[] = [
  { code: 131048, label: 'spam rate limit', maxRate: 0.01 },
  { code: 131049, label: 'per-user marketing limit', maxRate: 0.1 },
  { code: 131050, label: 'user stopped marketing messages', maxRate: 0.05 },
  { code: 130403, label: 'business has blocked this user', maxRate: 0.05 },
];

/** How many recent sends are judged, and how many must be seen before any verdict. */
export interface QualityWindowOptions {
  /** The window: the last this many sends (default 500). */
  windowSize: number;
  /** No verdict before this many sends (default 100), so three early failures do not pause a campaign. */
  minSamples: number;
}

/** Defaults of the window. */
export const DEFAULT_QUALITY_WINDOW: QualityWindowOptions = { windowSize: 500, minSamples: 100 };

/** Outcomes of one second: `code` 0 counts sends answered, any other code failures with it. */
export interface SecondOutcomes {
  secondAt: number;
  code: number;
  count: number;
}

/** The sends of a window and the failures among them by code. */
export interface OutcomeWindow {
  sends: number;
  failures: Map<number, number>;
}

/** Keep going, or pause with a reason a person can act on. */
export type QualityVerdict = { action: 'continue' } | { action: 'pause'; code: number; rate: number; reason: string };

/** A success in the per-second counts: every answered send adds one under this code. */
export const SENDS_CODE = 0;

/**
 * Folds per-second counts, newest second first, into the window of the last `windowSize` sends
 * (whole seconds: the window may hold a few more). A failure counts in the second it was learnt,
 * which for a webhook may be later than its send's.
 */
export function lastSendsWindow(newestFirst: readonly SecondOutcomes[], windowSize: number): OutcomeWindow {
  const window: OutcomeWindow = { sends: 0, failures: new Map() };
  let second: number | undefined;
  for (const row of newestFirst) {
    if (row.secondAt !== second && window.sends >= windowSize) break;
    second = row.secondAt;
    if (row.code === SENDS_CODE) window.sends += row.count;
    else window.failures.set(row.code, (window.failures.get(row.code) ?? 0) + row.count);
  }
  return window;
}

/** The verdict on a window: the rule exceeded by the widest margin, if any. */
export function judgeQuality(
  window: OutcomeWindow,
  options: Pick<QualityWindowOptions, 'minSamples'> = DEFAULT_QUALITY_WINDOW,
  rules: readonly QualityRule[] = DEFAULT_QUALITY_RULES,
): QualityVerdict {
  const { sends } = window;
  if (sends < options.minSamples) return { action: 'continue' };
  let worst: { rule: QualityRule; rate: number } | null = null;
  for (const rule of rules) {
    const rate = (window.failures.get(rule.code) ?? 0) / sends;
    if (rate > rule.maxRate && (!worst || rate / rule.maxRate > worst.rate / worst.rule.maxRate))
      worst = { rule, rate };
  }
  if (!worst) return { action: 'continue' };
  const { rule, rate } = worst;
  const reason = `${formatPercent(rate)} of the last ${sends} sends failed with ${rule.code} ${rule.label}`;
  return { action: 'pause', code: rule.code, rate, reason };
}

/** Whether a failure code is one the rules watch (only those make a check worth its query). */
export function isWatchedCode(code: number | null, rules: readonly QualityRule[] = DEFAULT_QUALITY_RULES): boolean {
  return code !== null && rules.some((rule) => rule.code === code);
}

function formatPercent(rate: number): string {
  const percent = rate * 100;
  return percent >= 10 ? `${Math.round(percent)}%` : `${Math.round(percent * 10) / 10}%`;
}

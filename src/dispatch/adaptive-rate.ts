// Learns a sender's real throughput from Meta's answers (DESIGN.md "learned from the answers"): a throughput
// error (130429 per-number mps, 80007 WABA limit, 4 app limit; reference/cloud-api.md §2, §3) cuts the rate
// multiplicatively, then it climbs back linearly while no error comes (AIMD), never above the configured cap.
// Pure: state in, state out, the clock passed in.

/** How the controller reacts. */
export interface AdaptiveRateOptions {
  /** The configured cap (`WA_MPS`), the ceiling of the climb. */
  capPerSec: number;
  /** Multiplier applied on a throughput error (default 0.5). */
  decreaseFactor?: number;
  /** Lowest rate it will cut to (default 1 msg/s). */
  floorPerSec?: number;
  /** Climb per second without errors, as a fraction of the cap (default 0.05 = +5% of the cap each second). */
  increaseFractionPerSec?: number;
  /**
   * Errors within this long of a cut are ignored (default 1000 ms): requests already in flight when the first
   * 130429 came back fail too, and must not cut the rate again and again.
   */
  cooldownMs?: number;
}

/** The controller's state: the rate set at `changedAtMs`, from which it climbs. */
export interface AdaptiveRateState {
  baseRatePerSec: number;
  changedAtMs: number;
  lastCutAtMs: number | null;
}

const DEFAULTS = { decreaseFactor: 0.5, floorPerSec: 1, increaseFractionPerSec: 0.05, cooldownMs: 1000 };

/** A controller starting at the cap. */
export function initialAdaptiveRate(options: AdaptiveRateOptions, nowMs: number): AdaptiveRateState {
  return { baseRatePerSec: options.capPerSec, changedAtMs: nowMs, lastCutAtMs: null };
}

/** The rate allowed at `nowMs`: the last cut plus the linear climb since, capped. */
export function currentRatePerSec(state: AdaptiveRateState, options: AdaptiveRateOptions, nowMs: number): number {
  const increase = options.increaseFractionPerSec ?? DEFAULTS.increaseFractionPerSec;
  const elapsedSec = Math.max(0, nowMs - state.changedAtMs) / 1000;
  return Math.min(options.capPerSec, state.baseRatePerSec + increase * options.capPerSec * elapsedSec);
}

/** The state after a throughput error at `nowMs`: the current rate × factor (not below the floor). */
export function recordThroughputError(
  state: AdaptiveRateState,
  options: AdaptiveRateOptions,
  nowMs: number,
): AdaptiveRateState {
  const cooldownMs = options.cooldownMs ?? DEFAULTS.cooldownMs;
  if (state.lastCutAtMs !== null && nowMs - state.lastCutAtMs < cooldownMs) return state;
  const factor = options.decreaseFactor ?? DEFAULTS.decreaseFactor;
  const floor = Math.min(options.capPerSec, options.floorPerSec ?? DEFAULTS.floorPerSec);
  const cut = Math.max(floor, currentRatePerSec(state, options, nowMs) * factor);
  return { baseRatePerSec: cut, changedAtMs: nowMs, lastCutAtMs: nowMs };
}

/** Whether the controller is holding the rate below the cap at `nowMs`. */
export function isThrottled(state: AdaptiveRateState, options: AdaptiveRateOptions, nowMs: number): boolean {
  return currentRatePerSec(state, options, nowMs) < options.capPerSec;
}

// A timed outage of the send endpoint, as a whole platform fails rather than one request: every
// send in the window answers 5xx, hangs unanswered, or loses its connection (reference/cloud-api.md
// §2: code 2 "temporary downtime", HTTP 503). Hung and dropped requests may still have been taken
// (`acceptRate`), which is what makes their outcome unknown to the client.
import { z } from 'zod';

/** How the send endpoint fails during an outage. */
export const OUTAGE_MODES = ['5xx', 'hang', 'drop'] as const;

/** One of OUTAGE_MODES. */
export type OutageMode = (typeof OUTAGE_MODES)[number];

/** An outage under way: its mode, when it ends, and the share of lost requests that were still accepted. */
export interface Outage {
  mode: OutageMode;
  untilMs: number;
  acceptRate: number;
}

/** The body of POST /_sim/faults. */
export const outageRequestSchema = z.strictObject({
  mode: z.enum(OUTAGE_MODES),
  for_ms: z.number().int().min(1).max(3_600_000),
  accept_rate: z.number().min(0).max(1).default(0),
});

/** The outage in force at `nowMs`, if any. */
export function activeOutage(outage: Outage | undefined, nowMs: number): Outage | undefined {
  return outage !== undefined && nowMs < outage.untilMs ? outage : undefined;
}

// Default behaviour of a run and the schema that checks changes to it.
import { z } from 'zod';
import type { SimBehaviour } from './types.ts';

/** Meta-like defaults: 80 mps, pair rate on, TIER_100K, realistic webhook timing and a little disorder. */
export const DEFAULT_BEHAVIOUR: Readonly<SimBehaviour> = Object.freeze({
  mps: 80,
  isMpsCapEnforced: true,
  isPairRateEnforced: true,
  pairRateIntervalMs: 6_000,
  pairRateBurst: 45,
  dailyRecipientLimit: 100_000,
  dailyLimitErrorCode: 131048,
  isWindowEnforced: true,
  windowErrorMode: 'async',
  undeliverableNumbers: [],
  undeliverablePrefixes: [],
  isUsMarketingBlocked: true,
  usMarketingErrorCode: 131049,
  marketingLimitRate: 0,
  marketingPerUserDailyCap: null,
  sentDelayMs: 20,
  deliveredDelayMs: 200,
  readDelayMs: 1_000,
  readRate: 0.8,
  readWithoutDeliveredRate: 0.02,
  outOfOrderRate: 0.02,
  duplicateRate: 0.01,
  delayedRate: 0.01,
  delayedExtraMs: 3_000,
  webhookFlushIntervalMs: 50,
  webhookBatchSize: 1_000,
  webhookMaxAttempts: 8,
  webhookRetryBaseMs: 100,
  webhookRetryMaxMs: 30_000,
  webhookConcurrency: 4,
  templateReviewDelayMs: 2_000,
  templateRejectionRate: 0,
  serverErrorRate: 0,
  slowRate: 0,
  slowDelayMs: 2_000,
  dropAfterAcceptRate: 0,
  httpStatusByCode: {},
  acceptedLogLimit: 100_000,
});

const rate = z.number().min(0).max(1);
const delayMs = z.number().int().min(0);

/** Validates a behaviour patch from the control API; unknown keys are refused. */
export const behaviourPatchSchema = z
  .strictObject({
    mps: z.number().positive(),
    isMpsCapEnforced: z.boolean(),
    isPairRateEnforced: z.boolean(),
    pairRateIntervalMs: delayMs,
    pairRateBurst: z.number().int().min(1),
    dailyRecipientLimit: z.number().int().positive().nullable(),
    dailyLimitErrorCode: z.number().int(),
    isWindowEnforced: z.boolean(),
    windowErrorMode: z.enum(['async', 'sync']),
    undeliverableNumbers: z.array(z.string()),
    undeliverablePrefixes: z.array(z.string()),
    isUsMarketingBlocked: z.boolean(),
    usMarketingErrorCode: z.number().int(),
    marketingLimitRate: rate,
    marketingPerUserDailyCap: z.number().int().positive().nullable(),
    sentDelayMs: delayMs,
    deliveredDelayMs: delayMs,
    readDelayMs: delayMs,
    readRate: rate,
    readWithoutDeliveredRate: rate,
    outOfOrderRate: rate,
    duplicateRate: rate,
    delayedRate: rate,
    delayedExtraMs: delayMs,
    webhookFlushIntervalMs: z.number().int().min(1),
    webhookBatchSize: z.number().int().min(1).max(1_000),
    webhookMaxAttempts: z.number().int().min(1),
    webhookRetryBaseMs: delayMs,
    webhookRetryMaxMs: z.number().int().min(1),
    webhookConcurrency: z.number().int().min(1),
    templateReviewDelayMs: delayMs,
    templateRejectionRate: rate,
    serverErrorRate: rate,
    slowRate: rate,
    slowDelayMs: delayMs,
    dropAfterAcceptRate: rate,
    httpStatusByCode: z.record(z.string().regex(/^\d+$/), z.number().int().min(100).max(599)),
    acceptedLogLimit: z.number().int().min(0),
  })
  .partial();

/** Merges a patch over a behaviour, checking it first (throws a ZodError when invalid). */
export function mergeBehaviour(base: SimBehaviour, patch: Partial<SimBehaviour>): SimBehaviour {
  const checked = behaviourPatchSchema.parse(patch) as Partial<SimBehaviour>;
  return { ...base, ...checked, httpStatusByCode: { ...base.httpStatusByCode, ...checked.httpStatusByCode } };
}

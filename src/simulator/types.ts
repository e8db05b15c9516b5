// The simulator's public shapes: options, behaviour knobs, templates and the control surface.
import type { WireTemplateComponentDef } from '../cloud-api/payloads.ts';
import type { Outage, OutageMode } from './outage.ts';

/** A template the simulator knows, in Meta's own list shape (reference/cloud-api.md §5). */
export interface SimTemplate {
  /** Numeric string; generated when absent. */
  id?: string;
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  status: SimTemplateStatus;
  parameter_format?: 'NAMED' | 'POSITIONAL';
  components: WireTemplateComponentDef[];
}

/** Template statuses the simulator can hold; only APPROVED is sendable (§5). */
export const SIM_TEMPLATE_STATUSES = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'DELETED',
  'ARCHIVED',
  'LIMIT_EXCEEDED',
] as const;

/** One of SIM_TEMPLATE_STATUSES. */
export type SimTemplateStatus = (typeof SIM_TEMPLATE_STATUSES)[number];

/** Every knob of a run; all can be changed while it runs (control.setBehaviour). */
export interface SimBehaviour {
  /** 130429 cap: accepted sends per sliding 1-second window (§3: 80 by default, up to 1,000). */
  mps: number;
  isMpsCapEnforced: boolean;
  /** 131056: about one message per 6 s to one user, with bursts that borrow future quota (§3). */
  isPairRateEnforced: boolean;
  pairRateIntervalMs: number;
  pairRateBurst: number;
  /** Unique users reached outside a service window per rolling 24 h (§3); null = unlimited. */
  dailyRecipientLimit: number | null;
  /** Meta documents no code for the messaging limit (§3 UNCONFIRMED); 131048 is the nearest meaning. */
  dailyLimitErrorCode: number;
  /** 131047 for free-form messages outside the 24 h window (§6). */
  isWindowEnforced: boolean;
  /** Meta reports 131047 asynchronously (§2 "usually asynchronous"); 'sync' answers it at once. */
  windowErrorMode: 'async' | 'sync';
  /** Recipients (digits only) whose messages fail 131026, and digit prefixes that do. */
  undeliverableNumbers: string[];
  undeliverablePrefixes: string[];
  /** Marketing templates are not delivered to +1 numbers (§3); failed with usMarketingErrorCode. */
  isUsMarketingBlocked: boolean;
  usMarketingErrorCode: number;
  /** 131049: chance a marketing template hits the per-user marketing limit, and an optional daily cap. */
  marketingLimitRate: number;
  marketingPerUserDailyCap: number | null;
  /** Delays of the status webhooks after acceptance. */
  sentDelayMs: number;
  deliveredDelayMs: number;
  readDelayMs: number;
  /** Chance the user reads the message at all. */
  readRate: number;
  /** Webhook realism (§4): read without delivered, out of order, duplicated, delayed. */
  readWithoutDeliveredRate: number;
  outOfOrderRate: number;
  duplicateRate: number;
  delayedRate: number;
  delayedExtraMs: number;
  /** Batching (§4: ≤1,000 updates per POST) and retries until 200 (bounded here). */
  webhookFlushIntervalMs: number;
  webhookBatchSize: number;
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  /** Longest wait between two retries of one batch; tests shorten it so redelivery after an outage is bounded. */
  webhookRetryMaxMs: number;
  webhookConcurrency: number;
  /** PENDING → APPROVED/REJECTED after this delay (§5: review may take up to 24 h). */
  templateReviewDelayMs: number;
  templateRejectionRate: number;
  /** Faults on the send path. */
  serverErrorRate: number;
  slowRate: number;
  slowDelayMs: number;
  /** The message is accepted, then the socket is destroyed instead of answering. */
  dropAfterAcceptRate: number;
  /** HTTP status per Graph error code, over the defaults (§2 table). */
  httpStatusByCode: Record<string, number>;
  /** How many accepted sends (and send request arrivals) the detailed logs keep (counters cover the rest). */
  acceptedLogLimit: number;
}

/** Options of startSimulator. */
export interface SimulatorOptions {
  host?: string;
  port?: number;
  accessToken: string;
  phoneNumberId: string;
  businessAccountId: string;
  appSecret: string;
  webhookUrl?: string;
  seed?: number;
  templates?: SimTemplate[];
  behaviour?: Partial<SimBehaviour>;
  /** Display number of the business (digits), echoed in webhook metadata. */
  displayPhoneNumber?: string;
  /** Injected clock (ms); limits, windows and webhook timestamps read it. */
  clock?: () => number;
}

/** One accepted send, as the control API lists it. */
export interface AcceptedMessage {
  wamid: string;
  /** As the client sent it. */
  to: string;
  /** Who it went to: the digits of `to`, behind the sender's country code when `to` lacked its `+` (§1). */
  waId: string;
  callbackData: string | undefined;
  atMs: number;
}

/** When requests to the send endpoint arrived: `total` since the last reset, the most recent `timesMs`, oldest first. */
export interface SendArrivals {
  total: number;
  timesMs: number[];
}

/** Counters of a run. */
export interface SimStats {
  accepted: number;
  /** Accepted sends whose biz_opaque_callback_data had been accepted before. */
  duplicateCallbackData: number;
  /** Accepted sends whose `to` lacked the `+`: Meta delivers those to the number behind the sender's country code. */
  missingPlusSends: number;
  rejectedByCode: Record<string, number>;
  /** `hung`: requests held unanswered by a `hang` outage. */
  faults: { serverErrors: number; slow: number; dropped: number; hung: number };
  webhooks: {
    eventsDelivered: number;
    eventsPending: number;
    eventsDiscarded: number;
    batchesDelivered: number;
    attemptsFailed: number;
  };
}

/** An inbound message a test makes a user send (each opens the user's 24 h window, §6). */
export type SimInbound =
  | { from: string; type: 'text'; text: string; name?: string; contextWamid?: string }
  | { from: string; type: 'button'; text: string; payload?: string; contextWamid?: string; name?: string }
  | {
      from: string;
      type: 'button_reply' | 'list_reply';
      id: string;
      title: string;
      description?: string;
      contextWamid?: string;
      name?: string;
    };

/** What tests and the sandbox can do to a running simulator. */
export interface SimulatorControl {
  /** The current behaviour. */
  getBehaviour(): SimBehaviour;
  /** Changes some knobs; the rest stay. */
  setBehaviour(patch: Partial<SimBehaviour>): SimBehaviour;
  /** Every send fails this way for `forMs` (a share `acceptRate` of hung or dropped ones still accepted). */
  startOutage(mode: OutageMode, forMs: number, acceptRate?: number): Outage;
  /** Ends an outage early. */
  endOutage(): void;
  /** Forgets sends, limits, windows, preferences and counters; keeps templates and behaviour. */
  reset(): void;
  /** The detailed log of accepted sends (bounded by acceptedLogLimit), oldest first. */
  acceptedMessages(options?: { offset?: number; limit?: number }): AcceptedMessage[];
  /** Callback data accepted more than once, with counts: the duplicates a dispatcher must never make. */
  duplicateCallbackData(): { callbackData: string; count: number }[];
  /** Arrival times of requests to the send endpoint, whatever their answer (bounded by acceptedLogLimit). */
  arrivals(): SendArrivals;
  /** Counters. */
  stats(): SimStats;
  /** A user sends a message; answers the inbound wamid. */
  simulateInbound(message: SimInbound): string;
  /** Sets a template's status (PAUSED, DISABLED, APPROVED…) and emits message_template_status_update. */
  setTemplateStatus(ref: { id?: string; name?: string; language?: string }, status: SimTemplateStatus): SimTemplate;
  /** Adds or replaces a template directly (no review). */
  upsertTemplate(template: SimTemplate): SimTemplate;
  /** The user stops or resumes marketing in-app; emits user_preferences (§6). */
  setUserPreference(waId: string, value: 'stop' | 'resume'): void;
  /** Where webhooks go (the sandbox learns its own URL after listen); undefined stops them. */
  setWebhookUrl(url: string | undefined): void;
  /** Posts every webhook event already due and waits for the answers. */
  flushWebhooks(): Promise<void>;
}

/** A simulator that listens. */
export interface RunningSimulator {
  /** Base URL without version, e.g. http://127.0.0.1:43210. */
  url: string;
  control: SimulatorControl;
  close(): Promise<void>;
}

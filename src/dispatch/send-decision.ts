import type { DispatchEffect } from '../domain/dispatch-effect.ts';
import type { SendError, SendOutcome } from '../domain/outbound-message.ts';
import type { ClaimedMessage } from '../store/outbox-repo.ts';
import type { AttemptRecord, SendResult } from '../store/send-results-repo.ts';
import { decideRetry, type EarlierFailure, type RetryDecision } from './retry-policy.ts';

/** The recorded result of one attempt, and any effect it calls for. */
export interface SendDecision {
  result: SendResult;
  effect: DispatchEffect | null;
}

/** The context of one attempt. */
export interface AttemptContext {
  startedAt: number;
  finishedAt: number;
  senderId: string;
  /** How long an unknown outcome waits for a webhook naming it before the row may be sent again. */
  reconcileMs: number;
  random: () => number;
  /** This message's earlier failed attempts, oldest first; needed only when needsEarlierFailures says so. */
  earlier: readonly EarlierFailure[];
  /** The provider is down as a whole (provider-outage.ts): a transient failure is not this message's. */
  isProviderDown?: boolean;
}

/**
 * True when the decision after this outcome depends on how the message's earlier attempts failed
 * (the one 131049 retry, the bound on unknown outcomes): a lookup the common answers never pay for.
 */
export function needsEarlierFailures(message: ClaimedMessage, outcome: SendOutcome): boolean {
  if (outcome.ok || message.attempts <= 1) return false;
  return outcome.error.errorClass === 'unknown_outcome' || outcome.error.code === 131049;
}

/** Turns a provider's answer into what is recorded, following the error's class (retry-policy.ts). */
export function decideAfterSend(message: ClaimedMessage, outcome: SendOutcome, context: AttemptContext): SendDecision {
  const attempt: AttemptRecord = {
    attempt: message.attempts,
    started_at: context.startedAt,
    finished_at: context.finishedAt,
    outcome: outcome.ok ? 'accepted' : outcome.error.errorClass === 'unknown_outcome' ? 'unknown' : 'error',
    wamid: outcome.ok ? outcome.wamid : null,
    ...(outcome.ok ? {} : errorColumns(outcome.error)),
  };
  const base = { messageId: message.id, campaignId: message.campaignId, attempt };
  if (outcome.ok) {
    const result: SendResult = {
      kind: 'accepted',
      ...base,
      senderId: context.senderId,
      phone: message.phone,
      wamid: outcome.wamid,
      at: context.finishedAt,
    };
    return { result, effect: null };
  }
  const { error } = outcome;
  const decision =
    context.isProviderDown && error.errorClass === 'retryable'
      ? OUTAGE_RETRY
      : decideRetry(error, message.attempts, context.random, context.earlier);
  switch (decision.action) {
    case 'retry':
      return {
        result: {
          kind: 'retry',
          ...base,
          nextAttemptAt: context.finishedAt + decision.delayMs,
          reason: decision.reason,
        },
        effect: error.errorClass === 'throughput' ? { kind: 'throughput' } : null,
      };
    case 'reconcile':
      return {
        result: {
          kind: 'unknown',
          ...base,
          senderId: context.senderId,
          phone: message.phone,
          leaseUntil: context.finishedAt + context.reconcileMs,
        },
        effect: null,
      };
    case 'fail':
      return {
        result: {
          kind: 'failed',
          ...base,
          at: context.finishedAt,
          reason: decision.reason,
          error: { code: error.code, title: error.title, details: error.details },
        },
        effect: decision.optOut
          ? { kind: 'opt_out', phone: message.phone, evidence: `send failed with ${error.code}: ${error.title}` }
          : decision.flagTemplate
            ? { kind: 'pause_campaign', campaignId: message.campaignId, reason: decision.reason }
            : null,
      };
    case 'pause_sender':
      // The message is not at fault: back in the queue, to go when the sender is fixed.
      return {
        result: { kind: 'retry', ...base, nextAttemptAt: context.finishedAt, reason: decision.reason },
        effect: { kind: 'pause_sender', senderId: context.senderId, reason: decision.reason },
      };
    case 'pause_campaign':
      return {
        result: { kind: 'retry', ...base, nextAttemptAt: context.finishedAt, reason: decision.reason },
        effect: { kind: 'pause_campaign', campaignId: message.campaignId, reason: decision.reason },
      };
  }
}

// During an outage the breaker decides when sends leave again; the message keeps its own attempts.
const OUTAGE_RETRY: RetryDecision = {
  action: 'retry',
  delayMs: 0,
  reason: 'Cloud API unavailable: waiting for it to answer again',
};

function errorColumns(error: SendError): Partial<AttemptRecord> {
  return {
    error_class: error.errorClass,
    error_code: error.code,
    error_subcode: error.subcode,
    error_title: error.title,
    fbtrace_id: error.fbtraceId,
    http_status: error.httpStatus,
  };
}

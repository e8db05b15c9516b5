// POST /{v}/{phone-number-id}/messages: validation in the order of reference/cloud-api.md §8, then
// acceptance, the asynchronous outcome, and the status webhooks.
import { type AcceptedSend, planStatuses } from './delivery-plan.ts';
import { GraphError } from './graph-errors.ts';
import { parseSend } from './parse-send.ts';
import { resolveRecipient } from './recipient.ts';
import type { SendRequest } from './send-schema.ts';
import type { SimState } from './sim-state.ts';
import { checkTemplateParams } from './template-params.ts';

/** The answer to a send, before faults decide how it reaches the client. */
export interface SendAnswer {
  body: object;
  /** True when a message was accepted (a dropped connection must still count it). */
  isAccepted: boolean;
}

/** Validates and accepts one send body; throws the GraphError Meta would answer. */
export function acceptSend(state: SimState, rawBody: unknown, apiVersion: string): SendAnswer {
  const parsed = parseSend(rawBody);
  if (parsed.kind === 'mark-read') return { body: { success: true }, isAccepted: false };
  const request = parsed.request;
  const { waId, isMissingPlus } = resolveRecipient(request.to, state.senderCallingCode);
  const category = request.type === 'template' ? checkTemplate(state, request) : 'service';
  const nowMs = state.clock();
  const b = state.behaviour;
  const isInWindow = state.isInServiceWindow(waId, nowMs);
  // 131047: free-form needs the 24 h window (§6); Meta reports it asynchronously by default.
  const isOutOfWindow = b.isWindowEnforced && category === 'service' && !isInWindow;
  if (isOutOfWindow && b.windowErrorMode === 'sync') throw new GraphError(131047);
  // 130429: per-number throughput (§3).
  if (b.isMpsCapEnforced && !state.throughput.tryTake(nowMs))
    throw new GraphError(130429, undefined, { subcode: 2494055 });
  // 131056: pair rate (§3).
  if (b.isPairRateEnforced && !state.pairRate.tryTake(waId, nowMs, b.pairRateIntervalMs, b.pairRateBurst)) {
    throw new GraphError(131056);
  }
  // Messaging limit: unique users reached outside a service window, rolling 24 h (§3).
  if (b.dailyRecipientLimit !== null && !isInWindow && !state.recipients.tryAdd(waId, nowMs, b.dailyRecipientLimit)) {
    throw new GraphError(
      b.dailyLimitErrorCode,
      `Messaging limit reached: ${b.dailyRecipientLimit} unique users in 24 hours.`,
    );
  }
  const wamid = state.newWamid(waId);
  const callbackData = request.biz_opaque_callback_data;
  state.log.record({ wamid, to: request.to, waId, callbackData, atMs: nowMs });
  if (isMissingPlus) state.missingPlusSends += 1;
  const failureCode = isOutOfWindow ? 131047 : asyncFailure(state, waId, category, nowMs);
  const send: AcceptedSend = {
    wamid,
    waId,
    callbackData,
    acceptedAtMs: nowMs,
    category,
    isInServiceWindow: isInWindow,
    hasConversation: majorVersion(apiVersion) < 24,
    failureCode,
  };
  for (const planned of planStatuses(send, b, state.rng))
    state.webhooks.schedule(planned.emitAtMs, { kind: 'status', status: planned.status });
  const message = request.type === 'template' ? { id: wamid, message_status: 'accepted' } : { id: wamid };
  return {
    body: { messaging_product: 'whatsapp', contacts: [{ input: request.to, wa_id: waId }], messages: [message] },
    isAccepted: true,
  };
}

// 132001/132015/132016, then the parameters (§8); answers the pricing category.
function checkTemplate(state: SimState, request: Extract<SendRequest, { type: 'template' }>): string {
  const { name, language, components } = request.template;
  const stored = state.templates.find(name, language.code);
  const status = stored?.template.status;
  if (stored === undefined || (status !== 'APPROVED' && status !== 'PAUSED' && status !== 'DISABLED')) {
    throw new GraphError(132001, `template name (${name}) does not exist in ${language.code}`);
  }
  if (status === 'PAUSED') throw new GraphError(132015, `Template ${name} is paused.`);
  if (status === 'DISABLED') throw new GraphError(132016, `Template ${name} is disabled.`);
  checkTemplateParams(stored.spec, components ?? []);
  return stored.template.category.toLowerCase();
}

// Failures Meta reports by webhook after accepting (§2 "usually asynchronous", §3, §6).
function asyncFailure(state: SimState, waId: string, category: string, nowMs: number): number | undefined {
  const b = state.behaviour;
  if (b.undeliverableNumbers.includes(waId) || b.undeliverablePrefixes.some((p) => waId.startsWith(p))) return 131026;
  if (category !== 'marketing') return undefined;
  if (state.stoppedMarketing.has(waId)) return 131050;
  // §3: marketing templates are not delivered to +1 (US) numbers; the rule sits with the per-user limit.
  if (b.isUsMarketingBlocked && waId.startsWith('1')) return b.usMarketingErrorCode;
  if (state.rng.chance(b.marketingLimitRate)) return 131049;
  if (b.marketingPerUserDailyCap !== null && !state.marketingCap.tryTake(waId, nowMs, b.marketingPerUserDailyCap))
    return 131049;
  return undefined;
}

/** 23 for "v23.0"; versions without a number count as current. */
export function majorVersion(apiVersion: string): number {
  const match = /^v(\d+)/.exec(apiVersion);
  return match ? Number(match[1]) : 99;
}

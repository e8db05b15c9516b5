import type { WebhookEvent } from '../cloud-api/webhook-events.ts';
import { parseWebhookBody } from '../cloud-api/webhook-parser.ts';
import type { StatusEventInput } from '../store/status-event.ts';
import type { InboxRow } from '../store/webhook-inbox-repo.ts';
import { toStatusInput } from './apply-webhook.ts';
import type { EventCount, TracedStatus } from './webhook-observer.ts';

/** A verified webhook body split into what the inbox defers and what the answer must act on. */
export interface SplitBody {
  /** The sent, delivered and read statuses for our numbers, as the inbox stores them; none, undefined. */
  inbox: InboxRow | undefined;
  /** The events still to route and act on before the answer, in payload order. */
  rest: WebhookEvent[];
  /** The deferred statuses counted by status (metrics). */
  deferred: EventCount[];
  /** The deferred statuses, when asked for (debug lines). */
  traced?: TracedStatus[];
}

/**
 * Parses a verified webhook body and splits it: the sent, delivered and read statuses for the
 * business numbers in `ourNumbers` become one inbox row, for a drain to apply after the answer;
 * everything else is left for the caller to route and apply before it. Pure, so it may run on any
 * thread. Throws WebhookPayloadError for a body that is not a webhook batch.
 */
export function splitWebhookBody(body: Uint8Array, ourNumbers: ReadonlySet<string>, isTraced: boolean): SplitBody {
  const rest: WebhookEvent[] = [];
  const deferred: StatusEventInput[] = [];
  for (const event of parseWebhookBody(body)) {
    // A status for a number no sender has is the caller's to set aside, never a drain's to apply.
    const isOurs = event.kind === 'status' && event.phoneNumberId !== null && ourNumbers.has(event.phoneNumberId);
    const status = isOurs ? toStatusInput(event) : undefined;
    if (status && status.status !== 'failed') deferred.push(status);
    else rest.push(event);
  }
  const split: SplitBody = {
    inbox: deferred.length > 0 ? { eventCount: deferred.length, events: JSON.stringify(deferred) } : undefined,
    rest,
    deferred: countStatuses(deferred),
  };
  if (isTraced) split.traced = deferred.map(({ wamid, status, callbackData }) => ({ wamid, status, callbackData }));
  return split;
}

function countStatuses(statuses: readonly StatusEventInput[]): EventCount[] {
  const counts = new Map<string, number>();
  for (const { status } of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => ({ kind: 'status', status, count }));
}

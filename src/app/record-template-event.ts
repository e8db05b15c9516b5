import type { Transaction } from 'kysely';
import type { TemplateCategoryEvent, TemplateQualityEvent, TemplateStatusEvent } from '../cloud-api/webhook-events.ts';
import type { DB } from '../store/schema.ts';
import { setTemplateStatus } from '../store/templates-repo.ts';

/** A template change that may stop campaigns using it. */
export interface TemplateEffect {
  templateIds: number[];
  /** Set when the template can no longer be sent (PAUSED, DISABLED, …): campaigns on it pause with this reason. */
  blockingReason: string | null;
}

// Statuses Meta announces after which sends fail with 132015/132016 (reference/cloud-api.md §3).
const UNSENDABLE = new Set([
  'PAUSED',
  'DISABLED',
  'REJECTED',
  'DELETED',
  'PENDING_DELETION',
  'ARCHIVED',
  'LOCKED',
  'FLAGGED',
]);

/** Applies a template status, quality or category webhook to the stored template. */
export async function recordTemplateEvent(
  tx: Transaction<DB>,
  event: TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent,
): Promise<TemplateEffect> {
  if (event.kind !== 'template_status') return { templateIds: [], blockingReason: null };
  const status = event.event === 'REINSTATED' || event.event === 'UNARCHIVED' ? 'APPROVED' : event.event;
  const templateIds = await setTemplateStatus(tx, {
    metaId: event.templateId,
    name: event.name,
    language: event.language,
    status,
    reason: event.reason,
  });
  const blockingReason = UNSENDABLE.has(status)
    ? `template ${event.name} (${event.language}) is ${status}${event.reason && event.reason !== 'NONE' ? `: ${event.reason}` : ''}`
    : null;
  return { templateIds, blockingReason };
}

// The message state machine (docs/command-line-and-api.md): each message is in exactly one
// status, and status only moves forward, whatever order webhooks arrive in.

/** Every message status, in the order a message normally moves through them. */
export const MESSAGE_STATUSES = [
  'pending',
  'sending',
  'accepted',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
] as const;

/** One of MESSAGE_STATUSES. */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Statuses a status webhook can report, reference/cloud-api.md §4 (`played` is a voice message's read). */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

// How far along each status is. `failed` may follow accepted/sent (Meta can fail a message it
// accepted) but never undoes delivered/read; `skipped` is decided before sending and is final.
const RANK: Record<MessageStatus, number> = {
  pending: 0,
  sending: 1,
  accepted: 2,
  sent: 3,
  failed: 3.5,
  delivered: 4,
  read: 5,
  skipped: 6,
};

/** True when moving from `current` to `next` goes forward (so it may be applied). */
export function isForward(current: MessageStatus, next: MessageStatus): boolean {
  return RANK[next] > RANK[current];
}

/** Statuses in which a message has left Chorus (Meta holds it). */
export const HANDED_OVER_STATUSES: readonly MessageStatus[] = ['accepted', 'sent', 'delivered', 'read', 'failed'];

/** Statuses from which nothing more will happen for the dispatcher. */
export function isSettledForDispatch(status: MessageStatus): boolean {
  return status !== 'pending' && status !== 'sending';
}

/** Maps a webhook status to ours; `played` (voice) counts as read. */
export function toDeliveryStatus(webhookStatus: string): DeliveryStatus | undefined {
  if (webhookStatus === 'played') return 'read';
  if (
    webhookStatus === 'sent' ||
    webhookStatus === 'delivered' ||
    webhookStatus === 'read' ||
    webhookStatus === 'failed'
  ) {
    return webhookStatus;
  }
  return undefined;
}

import type { ClaimedMessage } from '../store/outbox-repo.ts';

/** A claimed message to one phone, as the limiter tests hand it over (tests only). */
export const claimedMessage = (id: number, phone: string): ClaimedMessage => ({
  id,
  campaignId: 1,
  phone,
  rendered: '{}',
  attempts: 1,
  timeZone: null,
});

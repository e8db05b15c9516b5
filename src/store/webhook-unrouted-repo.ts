import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** A webhook event for no known sender, as it is kept. */
export interface UnroutedEvent {
  kind: string;
  phoneNumberId: string | null;
  businessAccountId: string | null;
  /** Meta's object, whole. */
  payload: string;
}

/** Keeps events no sender can take, for a person to look at. */
export async function keepUnroutedEvents(db: Kysely<DB>, events: readonly UnroutedEvent[], now: number): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('webhook_unrouted')
    .values(
      events.map((e) => ({
        received_at: now,
        kind: e.kind,
        phone_number_id: e.phoneNumberId,
        business_account_id: e.businessAccountId,
        payload: e.payload,
      })),
    )
    .execute();
}

import type { Kysely } from 'kysely';
import type { SendErrorClass } from '../domain/outbound-message.ts';
import type { DB } from './schema.ts';

/** How one earlier attempt of a message failed. */
export interface FailedAttempt {
  errorClass: SendErrorClass;
  code: number | null;
}

/** The failed attempts of one message, oldest first: one lookup on message_attempts_by_message. */
export async function listFailedAttempts(db: Kysely<DB>, messageId: number): Promise<FailedAttempt[]> {
  const rows = await db
    .selectFrom('message_attempts')
    .select(['error_class', 'error_code'])
    .where('message_id', '=', messageId)
    .where('error_class', 'is not', null)
    .orderBy('attempt')
    .execute();
  return rows.map((r) => ({ errorClass: r.error_class as SendErrorClass, code: r.error_code }));
}

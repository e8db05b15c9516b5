import type { Kysely } from 'kysely';
import { coerceError } from '../domain/errors.ts';
import type { DB } from '../store/schema.ts';
import { recordSenderHealth, type SenderHealth } from '../store/senders-repo.ts';

/** Reads a sender's number as Meta describes it. */
export type PhoneNumberReader = (signal: AbortSignal) => Promise<Omit<SenderHealth, 'checkedAt' | 'error'>>;

/**
 * Reads the number's quality, throughput level and messaging tier and stores them on the sender;
 * a failed read is stored as the reason, keeping what was known. Never throws: health is a view.
 */
export async function checkSenderHealth(
  db: Kysely<DB>,
  senderId: string,
  read: PhoneNumberReader,
  now: () => number,
  timeoutMs = 10_000,
): Promise<void> {
  try {
    const info = await read(AbortSignal.timeout(timeoutMs));
    await recordSenderHealth(db, senderId, { info }, now());
  } catch (error) {
    await recordSenderHealth(db, senderId, { error: coerceError(error).message }, now()).catch(() => undefined);
  }
}

// What the simulator accepted: counters and a per-callback-data count for every send (to find
// duplicates among millions), plus a bounded detailed log of the most recent ones.
import type { AcceptedMessage } from './types.ts';

/** The record of accepted sends. */
export class AcceptedLog {
  count = 0;
  duplicates = 0;
  private readonly byCallbackData = new Map<string, number>();
  private readonly duplicated = new Set<string>();
  private ring: AcceptedMessage[] = [];
  private ringStart = 0;

  constructor(private capacity: number) {}

  /** Records one accepted send. */
  record(entry: AcceptedMessage): void {
    this.count += 1;
    const key = entry.callbackData;
    if (key !== undefined) {
      const seen = this.byCallbackData.get(key) ?? 0;
      this.byCallbackData.set(key, seen + 1);
      if (seen > 0) {
        this.duplicates += 1;
        this.duplicated.add(key);
      }
    }
    if (this.capacity === 0) return;
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else {
      this.ring[this.ringStart] = entry;
      this.ringStart = (this.ringStart + 1) % this.capacity;
    }
  }

  /** The kept entries, oldest first. */
  list(offset = 0, limit = 1_000): AcceptedMessage[] {
    const out: AcceptedMessage[] = [];
    for (let i = offset; i < this.ring.length && out.length < limit; i++) {
      out.push(this.ring[(this.ringStart + i) % this.ring.length] as AcceptedMessage);
    }
    return out;
  }

  /** Callback data accepted more than once, with their counts. */
  duplicateCallbackData(): { callbackData: string; count: number }[] {
    return [...this.duplicated].map((callbackData) => ({
      callbackData,
      count: this.byCallbackData.get(callbackData) ?? 0,
    }));
  }

  /** The most recent kept wamid sent to a user (for inbound replies that name it in context.id). */
  lastWamidTo(waId: string): string | undefined {
    for (let i = this.ring.length - 1; i >= 0; i--) {
      const entry = this.ring[(this.ringStart + i) % this.ring.length] as AcceptedMessage;
      if (entry.waId === waId) return entry.wamid;
    }
    return undefined;
  }

  /** Forgets everything; a new capacity applies from now. */
  clear(capacity = this.capacity): void {
    this.count = 0;
    this.duplicates = 0;
    this.byCallbackData.clear();
    this.duplicated.clear();
    this.ring = [];
    this.ringStart = 0;
    this.capacity = capacity;
  }
}

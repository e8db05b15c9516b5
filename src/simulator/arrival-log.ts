// When each authenticated request to the send endpoint arrived, whatever its answer: accepted,
// refused with 130429 or another error, or failed by a fault. A client that outruns the cap shows here, where
// the accepted log would only show the cap the simulator enforced. Bounded: the most recent ones.

/** A bounded log of arrival times (ms), plus the count of every arrival. */
export class ArrivalLog {
  /** Arrivals since the last clear, kept or not. */
  count = 0;
  private ring: number[] = [];
  private ringStart = 0;

  constructor(private capacity: number) {}

  /** Notes one arrival at `atMs`. */
  record(atMs: number): void {
    this.count += 1;
    if (this.capacity === 0) return;
    if (this.ring.length < this.capacity) this.ring.push(atMs);
    else {
      this.ring[this.ringStart] = atMs;
      this.ringStart = (this.ringStart + 1) % this.capacity;
    }
  }

  /** The kept arrival times, oldest first. */
  list(): number[] {
    return [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
  }

  /** Forgets everything; a new capacity applies from now. */
  clear(capacity = this.capacity): void {
    this.count = 0;
    this.ring = [];
    this.ringStart = 0;
    this.capacity = capacity;
  }
}

// Events due at a future time, kept in coarse time buckets: O(1) to add and to drain, so millions
// of scheduled status webhooks cost no timers.

/** A time-bucketed queue of items due at a given clock time. */
export class EventQueue<T> {
  private readonly buckets = new Map<number, T[]>();
  private cursor: number;
  private count = 0;

  constructor(
    nowMs: number,
    private readonly bucketMs = 10,
  ) {
    this.cursor = Math.floor(nowMs / bucketMs);
  }

  /** Adds an item due at dueMs (items due in the past come out at the next drain). */
  add(dueMs: number, item: T): void {
    const index = Math.max(this.cursor, Math.floor(dueMs / this.bucketMs));
    const bucket = this.buckets.get(index);
    if (bucket) bucket.push(item);
    else this.buckets.set(index, [item]);
    this.count += 1;
  }

  /** Moves every item due at or before nowMs into `into`, earliest bucket first. */
  drainDue(nowMs: number, into: T[]): void {
    // Only buckets that are entirely in the past: an item may come out a bucket late, never early.
    const target = Math.floor((nowMs + 1) / this.bucketMs) - 1;
    if (target < this.cursor) return;
    // A clock that jumped far (fake time) would make a long walk: visit the stored keys instead.
    const indexes =
      target - this.cursor > this.buckets.size * 4
        ? [...this.buckets.keys()].filter((k) => k <= target).sort((a, b) => a - b)
        : range(this.cursor, target);
    for (const index of indexes) {
      const bucket = this.buckets.get(index);
      if (bucket === undefined) continue;
      this.buckets.delete(index);
      this.count -= bucket.length;
      for (const item of bucket) into.push(item);
    }
    this.cursor = target + 1;
  }

  /** How many items wait. */
  get size(): number {
    return this.count;
  }

  /** Drops everything. */
  clear(): void {
    this.buckets.clear();
    this.count = 0;
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

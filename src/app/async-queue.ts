/** A queue read with `for await`: items pushed by callbacks (messages, events) wait for a reader. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;
  private failure: { error: unknown } | undefined;
  private isEnded = false;

  /** Adds an item for the reader. */
  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  /** Ends the queue after the items already in it. */
  end(): void {
    this.isEnded = true;
    this.wake();
  }

  /** Makes the reader throw once the items before the failure are read; too late once ended. */
  fail(error: unknown): void {
    if (this.isEnded) return;
    this.failure ??= { error };
    this.wake();
  }

  /** How many items wait to be read. */
  get size(): number {
    return this.items.length;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) yield item;
      else if (this.failure) throw this.failure.error;
      else if (this.isEnded) return;
      else await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

// Delivers webhook events like Meta: batched, signed with the app secret, retried until a 200
// (bounded here), over one keep-alive connection pool (reference/cloud-api.md §4).
import { createHmac } from 'node:crypto';
import { Pool } from 'undici';
import { EventQueue } from './event-queue.ts';
import type { Rng } from './rng.ts';
import type { SimBehaviour } from './types.ts';
import { buildEnvelope, type SimEvent, type WebhookIdentity } from './webhook-payloads.ts';

interface Batch {
  body: string;
  signature: string;
  size: number;
  attempts: number;
}

/** Counters of webhook delivery. */
export interface WebhookStats {
  eventsDelivered: number;
  eventsDiscarded: number;
  batchesDelivered: number;
  attemptsFailed: number;
}

/** Signs a raw body the way Meta does: `sha256=` + hex HMAC-SHA256 keyed with the app secret. */
export function signBody(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Schedules, batches, signs and posts webhook events. */
export class WebhookSender {
  readonly stats: WebhookStats = { eventsDelivered: 0, eventsDiscarded: 0, batchesDelivered: 0, attemptsFailed: 0 };
  private readonly queue: EventQueue<SimEvent>;
  private buffer: SimEvent[] = [];
  private inFlightEvents = 0;
  private inFlightBatches = 0;
  private retryingEvents = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private target: { pool: Pool; path: string } | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private isClosed = false;

  constructor(
    private readonly deps: {
      appSecret: string;
      who: WebhookIdentity;
      clock: () => number;
      rng: Rng;
      behaviour: () => SimBehaviour;
      /** Meta posts webhooks only to subscribed apps: events are discarded while this is false. */
      isSubscribed: () => boolean;
      /** Runs on every tick before due events are collected (clock-driven work such as template review). */
      onTick: () => void;
    },
  ) {
    this.queue = new EventQueue(deps.clock());
  }

  /** Points webhooks at a URL (or nowhere: events are then discarded and counted). */
  setUrl(url: string | undefined): void {
    const old = this.target;
    this.target = undefined;
    if (old) void old.pool.close().catch(() => undefined);
    if (url === undefined) return;
    const parsed = new URL(url);
    const pool = new Pool(parsed.origin, {
      connections: 8,
      keepAliveTimeout: 30_000,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    this.target = { pool, path: `${parsed.pathname}${parsed.search}` };
  }

  /** Starts (or restarts, after a behaviour change) the flush ticker, every webhookFlushIntervalMs. */
  start(): void {
    if (this.ticker) clearInterval(this.ticker);
    if (this.isClosed) return;
    const interval = this.deps.behaviour().webhookFlushIntervalMs;
    this.ticker = setInterval(() => this.tick(), interval);
    this.ticker.unref();
  }

  /** Queues an event to be posted at emitAtMs (or at the next flush when already due). */
  schedule(emitAtMs: number, event: SimEvent): void {
    if (emitAtMs > this.deps.clock()) {
      this.queue.add(emitAtMs, event);
      return;
    }
    this.buffer.push(event);
    // Flush at once when a full batch is waiting (§4: up to 1,000 updates per POST).
    if (this.buffer.length >= this.deps.behaviour().webhookBatchSize) this.pump();
  }

  /** Moves due events to the buffer and posts batches while the concurrency allows. */
  tick(): void {
    this.deps.onTick();
    this.queue.drainDue(this.deps.clock(), this.buffer);
    this.pump();
    this.notifyIfIdle();
  }

  /** Events not yet answered with a 200. */
  get pending(): number {
    return this.queue.size + this.buffer.length + this.inFlightEvents + this.retryingEvents;
  }

  /** Posts everything due now and resolves once nothing due is left in flight or in retry. */
  async flush(): Promise<void> {
    this.tick();
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every queued event and counter (reset). */
  clear(): void {
    this.queue.clear();
    this.buffer = [];
    Object.assign(this.stats, { eventsDelivered: 0, eventsDiscarded: 0, batchesDelivered: 0, attemptsFailed: 0 });
  }

  /** Stops ticking and retrying, and closes the connections. */
  async close(): Promise<void> {
    this.isClosed = true;
    if (this.ticker) clearInterval(this.ticker);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    const target = this.target;
    this.target = undefined;
    if (target) await target.pool.destroy().catch(() => undefined);
  }

  private pump(): void {
    const b = this.deps.behaviour();
    while (this.buffer.length > 0 && this.inFlightBatches < b.webhookConcurrency && !this.isClosed) {
      const events = this.buffer.splice(0, b.webhookBatchSize);
      if (this.target === undefined || !this.deps.isSubscribed()) {
        this.stats.eventsDiscarded += events.length;
        continue;
      }
      const body = JSON.stringify(buildEnvelope(events, this.deps.who, Math.floor(this.deps.clock() / 1000)));
      const batch = { body, signature: signBody(this.deps.appSecret, body), size: events.length, attempts: 0 };
      this.inFlightEvents += batch.size;
      this.inFlightBatches += 1;
      void this.post(batch);
    }
  }

  private async post(batch: Batch): Promise<void> {
    batch.attempts += 1;
    const isDelivered = await this.attempt(batch);
    this.inFlightEvents -= batch.size;
    this.inFlightBatches -= 1;
    if (isDelivered) {
      this.stats.eventsDelivered += batch.size;
      this.stats.batchesDelivered += 1;
    } else {
      this.stats.attemptsFailed += 1;
      this.retryLater(batch);
    }
    if (!this.isClosed) this.pump();
    this.notifyIfIdle();
  }

  private async attempt(batch: Batch): Promise<boolean> {
    const target = this.target;
    if (target === undefined || this.isClosed) return false;
    try {
      const response = await target.pool.request({
        path: target.path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': batch.signature,
          'user-agent': 'facebookexternalua',
        },
        body: batch.body,
      });
      await response.body.dump();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  }

  // Meta retries at once, then less and less often (§4); here exponential with jitter, bounded.
  private retryLater(batch: Batch): void {
    const b = this.deps.behaviour();
    if (this.isClosed || batch.attempts >= b.webhookMaxAttempts) {
      this.stats.eventsDiscarded += batch.size;
      return;
    }
    const delayMs =
      Math.min(b.webhookRetryMaxMs, b.webhookRetryBaseMs * 2 ** (batch.attempts - 1)) * (0.5 + this.deps.rng.next());
    this.retryingEvents += batch.size;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.retryingEvents -= batch.size;
      this.inFlightEvents += batch.size;
      this.inFlightBatches += 1;
      void this.post(batch);
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private isIdle(): boolean {
    return this.buffer.length === 0 && this.inFlightEvents === 0 && this.retryingEvents === 0;
  }

  private notifyIfIdle(): void {
    if (this.idleWaiters.length > 0 && this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

import { createHmac } from 'node:crypto';
import { coerceError } from '../domain/errors.ts';
import { deliveryBackoffMs, MAX_DELIVERY_ATTEMPTS } from '../domain/outbound-events.ts';
import type { Logger } from '../logger.ts';
import { PeriodicJob } from '../periodic-job.ts';
import type { Database } from '../store/db.ts';
import {
  type AttemptResult,
  claimDueDeliveries,
  type DeliveryRow,
  recordAttempt,
} from '../store/webhook-deliveries-repo.ts';
import { listWebhookSubscriptions } from '../store/webhook-subscriptions-repo.ts';
import type { CredentialBox } from './credential-box.ts';
import { secretOwner } from './outbound-webhooks.ts';
import { StoragePause, type StoragePauseObserver } from './storage-pause.ts';
import type { WebhookPoster } from './webhook-poster.ts';

/** The header carrying `sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`. */
export const SIGNATURE_HEADER = 'X-Chorus-Signature-256';

const BATCH = 20;
const TIMEOUT_MS = 10_000;
// Longer than a POST may take, so a row is never sent by two workers at once while one still waits.
const LEASE_MS = 3 * TIMEOUT_MS;
const POLL_MS = 1_000;

/** The signature header's value for a body. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** What the deliverer needs. */
export interface DelivererDeps {
  database: Database;
  box: CredentialBox;
  post: WebhookPoster;
  clock: () => number;
  logger: Logger;
  /** A number in [0, 1) spreading retries apart. */
  random?: () => number;
  /** Hears the deliverer pause for the store and resume (metrics). */
  storageObserver?: StoragePauseObserver;
}

/**
 * Delivers the outbox to integrators: claims due rows, POSTs each signed, and records the outcome;
 * anything but a 2xx is retried with exponential backoff until MAX_DELIVERY_ATTEMPTS, then the row
 * is marked dead. Runs in the processes that dispatch.
 */
export class WebhookDeliverer {
  readonly #deps: DelivererDeps;
  readonly #job = new PeriodicJob(() =>
    this.deliverDue()
      .then(() => this.#storage.noteSuccess())
      .catch((error) => {
        // The store's own trouble is said once, at the start of the outage and at its end.
        if (!this.#storage.noteFailure(error))
          this.#deps.logger.error({ err: error }, 'delivering outbound webhooks failed');
      }),
  );
  readonly #abort = new AbortController();
  readonly #storage: StoragePause;

  constructor(deps: DelivererDeps) {
    this.#deps = deps;
    this.#storage = new StoragePause(deps.logger, 'outbound_webhooks', deps.clock, deps.storageObserver);
  }

  /** Polls for due deliveries until closed. */
  start(): void {
    this.#job.start(POLL_MS);
  }

  /** Stops polling, and aborts and waits for the POSTs under way (their rows come back when the lease ends). */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#job.stop();
  }

  /** Delivers every due row, batch after batch; answers how many attempts were made. */
  async deliverDue(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const { database, clock } = this.#deps;
      const rows = await claimDueDeliveries(database.db, database.dialect, {
        now: clock(),
        limit: BATCH,
        leaseMs: LEASE_MS,
      });
      if (rows.length === 0) return attempts;
      const secrets = await this.#secrets();
      await Promise.all(rows.map((row) => this.#deliver(row, secrets.get(row.subscription_id))));
      attempts += rows.length;
    }
  }

  async #secrets(): Promise<Map<string, { url: string; secret: string }>> {
    const { database, box } = this.#deps;
    const subscriptions = await listWebhookSubscriptions(database.db);
    return new Map(
      subscriptions.map((s) => [s.id, { url: s.url, secret: box.open(s.secret_sealed, secretOwner(s.id)) }]),
    );
  }

  async #deliver(row: DeliveryRow, target: { url: string; secret: string } | undefined): Promise<void> {
    const { database, clock, post } = this.#deps;
    // Removed while this batch was claimed: its rows went with it.
    if (!target) return;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(TIMEOUT_MS)]);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Chorus-Webhooks/1',
        [SIGNATURE_HEADER]: signBody(row.body, target.secret),
        'X-Chorus-Event-Id': row.event_id,
      };
      status = await post(target.url, row.body, headers, signal);
      if (status < 200 || status >= 300) error = `answered ${status}`;
    } catch (thrown) {
      error = coerceError(thrown).message;
    }
    // Shutting down: not the receiver's fault; the row comes back when its lease ends.
    if (this.#abort.signal.aborted) return;
    await recordAttempt(database.db, Number(row.id), this.#outcome(Number(row.attempts) + 1, status, error), clock());
  }

  #outcome(attempt: number, status: number | null, error: string | null): AttemptResult {
    const now = this.#deps.clock();
    if (error === null) return { status, error, state: 'delivered', nextAttemptAt: now };
    if (attempt >= MAX_DELIVERY_ATTEMPTS) return { status, error, state: 'dead', nextAttemptAt: now };
    const wait = deliveryBackoffMs(attempt, (this.#deps.random ?? Math.random)());
    return { status, error, state: 'pending', nextAttemptAt: now + wait };
  }
}

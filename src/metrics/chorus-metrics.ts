import { Registry } from 'prom-client';
import type { StoragePauseObserver } from '../app/storage-pause.ts';
import type { SendObserver } from '../dispatch/dispatch-observer.ts';
import type { RequestObserver } from '../http/request-context.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import { registerDatabaseGauges } from './database-gauges.ts';
import { createHttpMetrics } from './http-metrics.ts';
import { processRegistry } from './process-metrics.ts';
import { createSendMetrics } from './send-metrics.ts';
import { registerSenderGauges, type SenderSnapshots } from './sender-gauges.ts';
import { registerStorageGauge } from './storage-gauge.ts';
import { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics.ts';

// A scrape every few seconds reads the database at most this often; the figures are that fresh.
const DATABASE_CACHE_MS = 5_000;

/** What the metrics read: the database, each send loop's state, and the clock. */
export interface MetricsSetup {
  database: Database;
  clock: () => number;
  logger: Logger;
  databaseCacheMs?: number;
}

/** Every metric of one Chorus process, the observers that feed them, and their exposition. */
export interface ChorusMetrics {
  sends: SendObserver;
  webhooks: WebhookMetrics;
  requests: RequestObserver;
  /** Hears the background loops pause for the store and resume. */
  storage: StoragePauseObserver;
  /** Starts reading the sender gauges from the send loops (once they exist). */
  watchSenders(snapshots: SenderSnapshots): void;
  /** The Prometheus content type of `render`'s text. */
  readonly contentType: string;
  /** The text exposition: the process's figures, then Chorus's. */
  render(): Promise<string>;
}

/** Builds the registry of one Chorus process. */
export function createChorusMetrics(setup: MetricsSetup): ChorusMetrics {
  const registry = new Registry();
  // Started now, so the first scrape already has garbage collection and event-loop lag to show.
  processRegistry();
  registerDatabaseGauges(registry, {
    database: setup.database,
    // Counting a running campaign's messages walks its index: off the thread that sends (on SQLite).
    read: setup.database.readAside,
    clock: setup.clock,
    logger: setup.logger,
    cacheMs: setup.databaseCacheMs ?? DATABASE_CACHE_MS,
  });
  return {
    sends: createSendMetrics(registry),
    webhooks: createWebhookMetrics(registry),
    requests: createHttpMetrics(registry),
    storage: registerStorageGauge(registry),
    watchSenders: (snapshots) => registerSenderGauges(registry, snapshots),
    contentType: registry.contentType,
    async render() {
      return `${await processRegistry().metrics()}\n${await registry.metrics()}`;
    },
  };
}

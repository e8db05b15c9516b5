import { Gauge, type Registry } from 'prom-client';
import { coerceError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import {
  type InboxBacklog,
  type RunningCampaignCounts,
  readCampaignStatuses,
  readInboxBacklog,
  readPeopleCounts,
  readRunningCampaignCounts,
} from '../store/metrics-repo.ts';
import type { QueryReader } from '../store/query-reader.ts';
import { listSenders } from '../store/senders-repo.ts';

/** Where the database gauges read, and how long one read serves scrapes. */
export interface DatabaseGaugeSource {
  database: Database;
  /** Runs the message counts; a background SQLite reader keeps them off the serving thread. */
  read: QueryReader;
  clock: () => number;
  logger: Logger;
  cacheMs: number;
}

interface DatabaseFigures {
  campaigns: Record<string, number>;
  running: RunningCampaignCounts[];
  people: { contacts: number; suppressions: number };
  inbox: InboxBacklog;
  senders: { id: string; isPaused: boolean }[];
  readAt: number;
  readSeconds: number;
}

/** One gauge read from the database figures. */
interface DatabaseGauge {
  name: string;
  help: string;
  labelNames: string[];
  fill: (gauge: Gauge, figures: DatabaseFigures) => void;
}

const DATABASE_GAUGES: DatabaseGauge[] = [
  {
    name: 'chorus_metrics_database_read_seconds',
    help: 'How long the last read of these database figures took.',
    labelNames: [],
    fill: (g, f) => g.set(f.readSeconds),
  },
  {
    name: 'chorus_campaigns',
    help: 'Campaigns by status.',
    labelNames: ['status'],
    fill: (g, f) => {
      for (const [status, n] of Object.entries(f.campaigns)) g.set({ status }, n);
    },
  },
  {
    name: 'chorus_campaign_messages',
    help: 'Messages of each running campaign by status (the documented statuses).',
    labelNames: ['campaign', 'sender', 'status'],
    fill: (g, f) => {
      for (const c of f.running)
        for (const [status, n] of Object.entries(c.byStatus))
          g.set({ campaign: String(c.campaignId), sender: c.senderId, status }, n);
    },
  },
  {
    name: 'chorus_queue_depth',
    help: 'Messages of each running campaign waiting to be sent: due now, pending for later (limits, send window, backoff), or sending.',
    labelNames: ['campaign', 'sender', 'state'],
    fill: (g, f) => {
      for (const c of f.running) {
        const labels = { campaign: String(c.campaignId), sender: c.senderId };
        const pending = c.byStatus.pending ?? 0;
        g.set({ ...labels, state: 'due' }, Math.max(0, pending - c.pendingLater));
        g.set({ ...labels, state: 'later' }, c.pendingLater);
        g.set({ ...labels, state: 'sending' }, c.byStatus.sending ?? 0);
      }
    },
  },
  { name: 'chorus_contacts', help: 'Contacts stored.', labelNames: [], fill: (g, f) => g.set(f.people.contacts) },
  {
    name: 'chorus_suppressions',
    help: 'Numbers on the suppression list.',
    labelNames: [],
    fill: (g, f) => g.set(f.people.suppressions),
  },
  {
    name: 'chorus_webhook_inbox_events',
    help: 'Status events received and stored, waiting to be applied.',
    labelNames: [],
    fill: (g, f) => g.set(f.inbox.waitingEvents),
  },
  {
    name: 'chorus_webhook_inbox_oldest_age_seconds',
    help: 'Age of the oldest stored status event waiting to be applied (0 when none waits).',
    labelNames: [],
    fill: (g, f) => {
      const oldest = f.inbox.oldestWaitingReceivedAt;
      g.set(oldest === null ? 0 : Math.max(0, f.readAt - oldest) / 1000);
    },
  },
  {
    name: 'chorus_webhook_inbox_set_aside_batches',
    help: 'Webhook batches set aside after failing to apply 5 times: kept in webhook_inbox for replay, needing a look.',
    labelNames: [],
    fill: (g, f) => g.set(f.inbox.setAsideBatches),
  },
  {
    name: 'chorus_sender_paused',
    help: 'Whether a sender is paused (1) and sends nothing, or active (0).',
    labelNames: ['sender'],
    fill: (g, f) => {
      for (const sender of f.senders) g.set({ sender: sender.id }, sender.isPaused ? 1 : 0);
    },
  },
];

/** Gauges read from the database, at most once per `cacheMs` however often or concurrently scraped. */
export function registerDatabaseGauges(registry: Registry, source: DatabaseGaugeSource): void {
  const figures = cachedFigures(source);
  new Gauge({
    name: 'chorus_database_up',
    help: 'Whether the last read of the database for these metrics succeeded (1) or failed (0).',
    registers: [registry],
    async collect() {
      this.set((await figures()) ? 1 : 0);
    },
  });
  for (const { name, help, labelNames, fill } of DATABASE_GAUGES) {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const read = await figures();
        this.reset();
        if (read) fill(this, read);
      },
    });
  }
}

/** Reads the figures once per `cacheMs` (one read at a time); undefined when the read failed. */
function cachedFigures(source: DatabaseGaugeSource): () => Promise<DatabaseFigures | undefined> {
  let last: DatabaseFigures | undefined;
  let reading: Promise<DatabaseFigures | undefined> | undefined;
  // Said once per run of failed reads, not at every scrape while the database is away.
  let hasFailed = false;
  return () => {
    if (last && source.clock() - last.readAt < source.cacheMs) return Promise.resolve(last);
    reading ??= readFigures(source)
      .then((read) => {
        hasFailed = false;
        last = read;
        return read;
      })
      .catch((error: unknown) => {
        last = undefined;
        if (!hasFailed)
          source.logger.warn(
            { err: coerceError(error) },
            'reading the database for /metrics failed; chorus_database_up stays 0 until a read works',
          );
        hasFailed = true;
        return undefined;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
}

async function readFigures({ database, read, clock }: DatabaseGaugeSource): Promise<DatabaseFigures> {
  const { db } = database;
  const startedAt = performance.now();
  const readAt = clock();
  const [campaigns, people, inbox, senders] = await Promise.all([
    readCampaignStatuses(db),
    readPeopleCounts(db, read),
    readInboxBacklog(db),
    listSenders(db),
  ]);
  const running = await readRunningCampaignCounts(db, campaigns.running, readAt, read);
  return {
    campaigns: campaigns.byStatus,
    running,
    people,
    inbox,
    senders: senders.map((s) => ({ id: s.id, isPaused: s.pausedReason !== null })),
    readAt,
    readSeconds: (performance.now() - startedAt) / 1000,
  };
}

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { parseCampaignOptions } from '../app/campaign-options.ts';
import { scrubMessagesToErased } from '../app/erase-person.ts';
import { StoragePause, type StoragePauseObserver } from '../app/storage-pause.ts';
import type { DispatchEffect } from '../domain/dispatch-effect.ts';
import { coerceError } from '../domain/errors.ts';
import type { MessageProvider, SendOutcome } from '../domain/outbound-message.ts';
import type { Logger } from '../logger.ts';
import type { CampaignRecord } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import { listFailedAttempts } from '../store/failed-attempts-repo.ts';
import { type ClaimedMessage, skipClaimedMessages } from '../store/outbox-repo.ts';
import type { Sender } from '../store/senders-repo.ts';
import { findSuppressions } from '../store/suppressions-repo.ts';
import { CampaignWorkingSet } from './campaign-working-set.ts';
import { type DispatchSnapshot, logAnswered, logClaimed, type SendObserver } from './dispatch-observer.ts';
import { splitBySendWindow, toOutbound, unknownOutcome } from './outbound-preparation.ts';
import { OutcomeRecorder, type RecordedBatch } from './outcome-recorder.ts';
import { isOutageFailure, ProviderOutage, type ProviderOutageOptions } from './provider-outage.ts';
import type { EarlierFailure } from './retry-policy.ts';
import { decideAfterSend, needsEarlierFailures } from './send-decision.ts';
import type { SenderLimits, SendTicket } from './sender-limits.ts';

// How often a loop held by an outage looks again (a probe's time, a campaign paused meanwhile).
const OUTAGE_POLL_MS = 250;

/** Tunables of the send loop; defaults suit one SQLite process. */
export interface DispatcherOptions {
  /** Requests in flight to the provider at most. */
  maxInFlight: number;
  /** Rows claimed per campaign per round at most. */
  claimBatch: number;
  /** How long a claimed row stays ours before another worker may take it back. */
  leaseMs: number;
  /** How long a row whose outcome is unknown waits for a webhook naming it before it may be resent. */
  reconcileMs: number;
  /** Pause between rounds when there is nothing to do. */
  idleMs: number;
}

// Slots a message may miss before it goes at the next one however late: an overloaded worker still sends.
const MAX_SLOT_TRIES = 5;

/** Defaults: the lease outlasts the client's timeout; reconciliation outlasts webhook retries after a restart. */
export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  maxInFlight: 256,
  claimBatch: 500,
  leaseMs: 60_000,
  reconcileMs: 60_000,
  idleMs: 25,
};

/** What the dispatcher is built from (composition root supplies them). */
export interface DispatcherDeps {
  database: Database;
  sender: Sender;
  provider: MessageProvider;
  limits: SenderLimits;
  logger: Logger;
  clock: () => number;
  random: () => number;
  options: DispatcherOptions;
  /** Pauses a campaign or the sender, or records an opt-out, as an outcome calls for. */
  onEffect: (effect: Exclude<DispatchEffect, { kind: 'throughput' }>) => Promise<void>;
  /** After each batch of answers is recorded: quality checks, and webhooks that had waited for them. */
  onRecorded: (batch: RecordedBatch) => Promise<void>;
  /** Hears each decided send (metrics). */
  observer?: SendObserver;
  /** When the Cloud API counts as down as a whole (defaults suit production). */
  outage?: ProviderOutageOptions;
  /** Hears the loop pause for the store and resume (metrics). */
  storageObserver?: StoragePauseObserver;
}

/**
 * The send loop of one sender: claim due rows under a lease, hold them to the sender's limits,
 * POST, and record every outcome. The loop never dies because of one message.
 */
export class Dispatcher {
  readonly owner = randomUUID();
  private readonly campaigns: CampaignWorkingSet;
  private readonly recorder: OutcomeRecorder;
  private readonly outage: ProviderOutage;
  private readonly storage: StoragePause;
  private inFlight = 0;
  private isRunning = false;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  // Wakes messages waiting for their send slot when the loop stops, so their rows are released at once.
  private readonly stopping = new AbortController();

  constructor(private readonly deps: DispatcherDeps) {
    this.campaigns = new CampaignWorkingSet(deps.database, deps.sender.id, deps.logger, deps.options.reconcileMs);
    this.recorder = new OutcomeRecorder(deps.database, deps.clock, deps.logger, deps.onRecorded);
    this.outage = new ProviderOutage(deps.logger, deps.outage);
    // Every message waiting for its send slot listens for the stop.
    setMaxListeners(Number.POSITIVE_INFINITY, this.stopping.signal);
    this.storage = new StoragePause(deps.logger, 'dispatch', deps.clock, deps.storageObserver);
  }

  /** Starts the loop in the background. */
  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    this.loop = this.run();
  }

  /** Stops claiming, lets in-flight requests finish, and records their outcomes. */
  async stop(): Promise<void> {
    this.isRunning = false;
    this.stopping.abort();
    await this.loop;
    while (this.inFlight > 0) await sleep(5);
    await this.recorder.flush();
  }

  /** Wakes the loop now (a campaign started or resumed). */
  refresh(): void {
    this.campaigns.invalidate();
  }

  /** Requests in flight and the limiter's state, read-only (/metrics). */
  snapshot(): DispatchSnapshot {
    return { inFlight: this.inFlight, limits: this.deps.limits.snapshot(this.deps.clock()) };
  }

  private async run(): Promise<void> {
    while (this.isRunning) {
      // While paused every round reads the store first: a round that needed nothing from it (the
      // limits said wait) must not end the pause and start it again a moment later.
      if (this.storage.isPaused) this.campaigns.invalidate();
      try {
        // A round under way when a detached send noted the pause may end without the store.
        const startedAt = this.deps.clock();
        const pauseMs = await this.round();
        this.storage.noteSuccess(startedAt);
        if (pauseMs > 0) await sleep(pauseMs);
      } catch (error) {
        // A full disk or a database restart: nothing is claimed until the store answers again.
        if (!this.storage.noteFailure(error))
          this.deps.logger.error({ err: coerceError(error) }, 'dispatch round failed; retrying');
        await sleep(500);
      }
    }
  }

  /** One round: answers how long to pause before the next (0: go on at once). */
  private async round(): Promise<number> {
    const { options, limits } = this.deps;
    const now = this.deps.clock();
    // Results held since the store went away are written before leases are swept: an outage
    // longer than the lease must not hand this loop's own answered sends to the reconciler.
    await this.recorder.flushIfDue();
    const running = await this.campaigns.running(now);
    if (running.length === 0 || this.campaigns.senderPausedReason !== null) return options.idleMs;
    const room = Math.min(options.maxInFlight - this.inFlight, options.claimBatch * running.length);
    if (room <= 0) return options.idleMs;
    // Only a look: tokens are taken as the requests leave (claimAndSend), after the claim's own delay.
    const budget = limits.available(now, room);
    // Waiting for the sender's limits: wake when the next token is free, not a whole idle pause
    // later. At the cap a token that waits is lost for good: no later window may hold more.
    if (budget <= 0) return Math.min(options.idleMs, Math.max(1, limits.waitMs(now)));
    // While the Cloud API is down only a probe leaves now and then (provider-outage.ts).
    const allowed = Math.min(budget, this.outage.allowance(now));
    if (allowed <= 0) return Math.min(OUTAGE_POLL_MS, Math.max(options.idleMs, this.outage.waitMs(now)));
    let started = 0;
    const share = Math.max(1, Math.ceil(allowed / running.length));
    for (const campaign of this.campaigns.fairOrder(running)) {
      if (started >= allowed) break;
      const sent = await this.claimAndSend(campaign, Math.min(share, allowed - started, this.deps.options.claimBatch));
      // The next round starts after the first campaign served in this one.
      if (sent > 0 && started === 0) this.campaigns.served(campaign.id);
      started += sent;
    }
    return started > 0 ? 0 : options.idleMs;
  }

  private async claimAndSend(campaign: CampaignRecord, limit: number): Promise<number> {
    const { clock, options, limits } = this.deps;
    const now = clock();
    const claimed = await this.campaigns.claim(campaign, {
      limit,
      now,
      leaseUntil: now + options.leaseMs,
      owner: this.owner,
    });
    if (claimed.length === 0) return 0;
    logClaimed(this.deps.logger, claimed);
    const allowed = await this.dropSuppressed(claimed, now);
    const { inside, outside } = splitBySendWindow(allowed, parseCampaignOptions(campaign.options).sendWindow, now);
    const { sendable, deferred } = await limits.admit(inside, now);
    await this.recorder.defer([...outside, ...deferred]);
    return this.sendWithTickets(sendable);
  }

  /**
   * Tokens are taken right before the requests leave, so the time spent claiming cannot squeeze
   * two seconds' sends into one 1 s window at Meta's end (130429, reference/cloud-api.md §3).
   * Fewer than asked only when the rate is shared by several workers or a throughput error lowered
   * it meanwhile: the rest wait here for the next tokens, and go back to the queue if we stop.
   */
  private async sendWithTickets(sendable: ClaimedMessage[]): Promise<number> {
    const { clock, limits } = this.deps;
    let rest = sendable;
    while (rest.length > 0 && this.isRunning) {
      const tickets = await limits.takeTickets(clock(), rest.length);
      tickets.forEach((ticket, i) => void this.sendOne(rest[i] as ClaimedMessage, ticket));
      rest = rest.slice(tickets.length);
      await this.recorder.flushIfDue();
      if (rest.length > 0) await this.pause(limits.waitMs(clock()));
    }
    await this.release(rest);
    return sendable.length - rest.length;
  }

  /** Gives claimed-but-unsent rows back to the queue at once, for any worker to take. */
  private async release(messages: ClaimedMessage[]): Promise<void> {
    const now = this.deps.clock();
    await this.recorder.defer(messages.map((m) => ({ id: m.id, nextAttemptAt: now, reason: 'released unsent' })));
  }

  /**
   * The suppression list wins over everything, also over a row written before the number said
   * STOP or was erased: a materialiser reads a page of the audience, then writes it, and a STOP or
   * an erasure may land between. One indexed lookup per claimed batch (and, once any number is
   * erased, one hash of each phone) closes that gap; a message to an erased number is scrubbed too.
   */
  private async dropSuppressed(claimed: ClaimedMessage[], now: number): Promise<ClaimedMessage[]> {
    const { db } = this.deps.database;
    const suppressed = await findSuppressions(
      db,
      claimed.map((m) => m.phone),
    );
    if (suppressed.size === 0) return claimed;
    const skips = claimed.flatMap((m) => {
      const reason = suppressed.get(m.phone);
      return reason === undefined ? [] : [{ id: m.id, reason: `suppressed: ${reason}` }];
    });
    await skipClaimedMessages(db, skips, now);
    await scrubMessagesToErased(
      db,
      claimed.filter((m) => suppressed.get(m.phone) === 'erased'),
    );
    return claimed.filter((m) => !suppressed.has(m.phone));
  }

  private async sendOne(message: ClaimedMessage, ticket: SendTicket): Promise<void> {
    const { provider, clock, sender } = this.deps;
    this.inFlight++;
    if (!(await this.awaitSlot(ticket))) {
      await this.giveBack(message);
      this.inFlight--;
      return;
    }
    const startedAt = clock();
    let outcome: SendOutcome;
    try {
      outcome = await provider.send(toOutbound(message), this.abort.signal);
    } catch (error) {
      // A provider must not throw; if one does, the request may have left: treat it as unknown.
      outcome = unknownOutcome(coerceError(error).message);
    } finally {
      this.deps.limits.settle(ticket, clock());
    }
    const finishedAt = clock();
    this.outage.note(outcome, startedAt, finishedAt);
    // Still in flight while its history is read, so stop() waits for its outcome to be recorded.
    const earlier = needsEarlierFailures(message, outcome) ? await this.earlierFailures(message.id) : [];
    this.inFlight--;
    const { result, effect } = decideAfterSend(message, outcome, {
      startedAt,
      finishedAt,
      senderId: sender.id,
      reconcileMs: this.deps.options.reconcileMs,
      random: this.deps.random,
      earlier,
      isProviderDown: this.outage.isDown && isOutageFailure(outcome),
    });
    this.recorder.add(result);
    this.deps.observer?.sendDecided(sender.id, result);
    logAnswered(this.deps.logger, result);
    if (effect) void this.applyEffect(effect);
  }

  /** Gives an unsent row back to the queue; when the store cannot take it now, its lease brings it back. */
  private async giveBack(message: ClaimedMessage): Promise<void> {
    try {
      await this.release([message]);
    } catch (error) {
      this.noteDetachedFailure(error, 'giving back an unsent message failed; it returns when its lease ends');
    }
  }

  /** A failure away from the round: the store's trouble pauses the loop (said once), anything else is logged. */
  private noteDetachedFailure(error: unknown, message: string): void {
    if (!this.storage.noteFailure(error)) this.deps.logger.error({ err: coerceError(error) }, message);
  }

  /**
   * A slot shared with other workers: the message leaves at it. A slot missed (a busy event loop
   * woke too late) is swapped for a new one rather than sent late and bunched with the next
   * sends; answers false when the loop is stopping or no slot could be kept (the message is then
   * given back unsent). It runs detached from the round, so a new slot the store cannot grant (a
   * shared limiter lives there) answers false too rather than reject and end the process.
   */
  private async awaitSlot(first: SendTicket): Promise<boolean> {
    const { clock, limits } = this.deps;
    let ticket: SendTicket | undefined = first;
    for (let tries = 0; tries < MAX_SLOT_TRIES; tries++) {
      if (ticket) {
        if (ticket.notBeforeMs > clock()) await this.pause(ticket.notBeforeMs - clock());
        if (!this.isRunning) return false;
        if (!limits.isTicketLate(ticket, clock())) return true;
      } else await this.pause(limits.waitMs(clock()));
      try {
        [ticket] = await limits.takeTickets(clock(), 1);
      } catch (error) {
        this.noteDetachedFailure(error, 'taking a send slot failed; the message goes back to the queue');
        return false;
      }
    }
    // Still no slot kept: the message goes back to the queue rather than out late, where it would
    // crowd a later second's own slots past the cap.
    return false;
  }

  /** The message's earlier failures; none when they cannot be read (its row then errs on waiting). */
  private async earlierFailures(messageId: number): Promise<EarlierFailure[]> {
    try {
      return await listFailedAttempts(this.deps.database.db, messageId);
    } catch (error) {
      this.deps.logger.error({ err: coerceError(error), messageId }, 'reading earlier attempts failed');
      return [];
    }
  }

  private async applyEffect(effect: DispatchEffect): Promise<void> {
    if (effect.kind === 'throughput') {
      this.deps.limits.noteThroughputError(this.deps.clock());
      return;
    }
    try {
      await this.deps.onEffect(effect);
      this.campaigns.invalidate();
    } catch (error) {
      this.deps.logger.error({ err: coerceError(error), effect: effect.kind }, 'dispatch effect failed');
    }
  }

  /** Waits `ms`, or less if the loop is stopping. */
  private pause(ms: number): Promise<void> {
    return sleepUnless(ms, this.stopping.signal);
  }
}

function sleepUnless(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

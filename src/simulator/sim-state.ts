// Everything a running simulator remembers, in one place that the HTTP handlers and the control share.
import { randomBytes } from 'node:crypto';
import { AcceptedLog } from './accepted-log.ts';
import { ArrivalLog } from './arrival-log.ts';
import { DEFAULT_BEHAVIOUR, mergeBehaviour } from './behaviour.ts';
import { MarketingCap, PairRate, ThroughputWindow, UniqueRecipients } from './limits.ts';
import { activeOutage, type Outage, type OutageMode } from './outage.ts';
import { callingCodeOf } from './recipient.ts';
import { createRng, type Rng } from './rng.ts';
import { TemplateStore } from './template-store.ts';
import type { SimBehaviour, SimStats, SimulatorOptions } from './types.ts';
import { templateStatusValue } from './webhook-payloads.ts';
import { WebhookSender } from './webhook-sender.ts';

/** The mutable state of one simulator run. */
export class SimState {
  behaviour: SimBehaviour;
  readonly rng: Rng;
  readonly clock: () => number;
  readonly options: Readonly<SimulatorOptions> & { displayPhoneNumber: string };
  /** The business number's country calling code, which Meta puts in front of a `to` without `+` (§1). */
  readonly senderCallingCode: string;
  readonly templates: TemplateStore;
  readonly webhooks: WebhookSender;
  readonly log: AcceptedLog;
  readonly arrivals: ArrivalLog;
  throughput: ThroughputWindow;
  pairRate = new PairRate();
  recipients = new UniqueRecipients();
  marketingCap = new MarketingCap();
  /** Last inbound message time per user: each opens a 24 h service window (§6). */
  readonly lastInboundMs = new Map<string, number>();
  /** Users who stopped marketing in-app (user_preferences stop, §6): later marketing fails 131050. */
  readonly stoppedMarketing = new Set<string>();
  readonly rejectedByCode = new Map<number, number>();
  readonly faults = { serverErrors: 0, slow: 0, dropped: 0, hung: 0 };
  /** A timed outage of the send endpoint (POST /_sim/faults); undefined when none was started. */
  private outage: Outage | undefined;
  /** Whether the app is subscribed to the WABA's webhooks (subscribed_apps); none are posted while it is not. */
  isAppSubscribed = true;
  /** Accepted sends whose `to` lacked the `+`: each went to whoever the prefixed number is. */
  missingPlusSends = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private dueWork: { dueMs: number; run: () => void }[] = [];
  private sequence = 0;
  // Per-process, not seeded: wamids must not repeat across runs that share a database.
  private readonly runTag = randomBytes(6).toString('hex');

  constructor(options: SimulatorOptions) {
    this.options = { ...options, displayPhoneNumber: options.displayPhoneNumber ?? '15550000000' };
    this.senderCallingCode = callingCodeOf(this.options.displayPhoneNumber);
    this.clock = options.clock ?? Date.now;
    this.rng = createRng(options.seed ?? 1);
    this.behaviour = mergeBehaviour({ ...DEFAULT_BEHAVIOUR }, options.behaviour ?? {});
    this.throughput = new ThroughputWindow(this.behaviour.mps);
    this.log = new AcceptedLog(this.behaviour.acceptedLogLimit);
    this.arrivals = new ArrivalLog(this.behaviour.acceptedLogLimit);
    this.webhooks = new WebhookSender({
      appSecret: options.appSecret,
      who: {
        businessAccountId: options.businessAccountId,
        phoneNumberId: options.phoneNumberId,
        displayPhoneNumber: this.options.displayPhoneNumber,
      },
      clock: this.clock,
      rng: this.rng,
      behaviour: () => this.behaviour,
      isSubscribed: () => this.isAppSubscribed,
      onTick: () => this.runDue(),
    });
    this.templates = new TemplateStore((template, reason, previous) => {
      const value = templateStatusValue(template, reason, previous, this.clock());
      this.webhooks.schedule(this.clock(), { kind: 'template', value });
    });
    for (const template of options.templates ?? []) this.templates.upsert(template);
  }

  /** A new message id in Meta's shape: `wamid.HBgL…` carrying the recipient. */
  newWamid(waId: string): string {
    this.sequence += 1;
    // Opaque to clients; the recipient, the run and a sequence make it unique without encoding costs.
    return `wamid.HBgL${waId}FQIA${this.runTag}${this.sequence.toString(36)}`;
  }

  /** A trace id for `fbtrace_id` and `x-fb-trace-id`. */
  newTraceId(): string {
    this.sequence += 1;
    return `A${this.runTag}${this.sequence.toString(36).padStart(10, '_')}`;
  }

  /** True when the user wrote within the last 24 h. */
  isInServiceWindow(waId: string, nowMs: number): boolean {
    const last = this.lastInboundMs.get(waId);
    return last !== undefined && nowMs - last < 24 * 60 * 60 * 1000;
  }

  /** Runs fn after delayMs unless the run closes first. */
  later(delayMs: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Runs fn once the run's clock reaches dueMs (checked every webhook tick), so fake clocks drive it. */
  atClock(dueMs: number, run: () => void): void {
    this.dueWork.push({ dueMs, run });
  }

  private runDue(): void {
    if (this.dueWork.length === 0) return;
    const nowMs = this.clock();
    const due = this.dueWork.filter((w) => w.dueMs <= nowMs);
    this.dueWork = this.dueWork.filter((w) => w.dueMs > nowMs);
    for (const work of due) work.run();
  }

  /** Cancels pending timers and stops webhooks. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.webhooks.close();
  }

  /** Starts an outage of the send endpoint for `forMs`, replacing any under way; answers it. */
  startOutage(mode: OutageMode, forMs: number, acceptRate: number): Outage {
    this.outage = { mode, untilMs: this.clock() + forMs, acceptRate };
    return { ...this.outage };
  }

  /** Ends the outage now. */
  endOutage(): void {
    this.outage = undefined;
  }

  /** The outage in force now, if any. */
  currentOutage(): Outage | undefined {
    return activeOutage(this.outage, this.clock());
  }

  /** Counts a refused request by code. */
  countRejection(code: number): void {
    this.rejectedByCode.set(code, (this.rejectedByCode.get(code) ?? 0) + 1);
  }

  /** Applies a behaviour patch; a new mps cap starts a fresh window. */
  setBehaviour(patch: Partial<SimBehaviour>): SimBehaviour {
    const before = this.behaviour;
    this.behaviour = mergeBehaviour(before, patch);
    if (this.behaviour.mps !== before.mps) this.throughput = new ThroughputWindow(this.behaviour.mps);
    if (this.behaviour.webhookFlushIntervalMs !== before.webhookFlushIntervalMs) this.webhooks.start();
    return this.behaviour;
  }

  /** Forgets sends, limits, windows, preferences and counters; keeps templates and behaviour. */
  reset(): void {
    this.throughput = new ThroughputWindow(this.behaviour.mps);
    this.pairRate = new PairRate();
    this.recipients = new UniqueRecipients();
    this.marketingCap = new MarketingCap();
    this.lastInboundMs.clear();
    this.stoppedMarketing.clear();
    this.rejectedByCode.clear();
    Object.assign(this.faults, { serverErrors: 0, slow: 0, dropped: 0, hung: 0 });
    this.outage = undefined;
    this.missingPlusSends = 0;
    this.log.clear(this.behaviour.acceptedLogLimit);
    this.arrivals.clear(this.behaviour.acceptedLogLimit);
    this.webhooks.clear();
  }

  /** The counters of the run. */
  stats(): SimStats {
    const w = this.webhooks.stats;
    return {
      accepted: this.log.count,
      duplicateCallbackData: this.log.duplicates,
      missingPlusSends: this.missingPlusSends,
      rejectedByCode: Object.fromEntries([...this.rejectedByCode].map(([code, n]) => [String(code), n])),
      faults: { ...this.faults },
      webhooks: { ...w, eventsPending: this.webhooks.pending },
    };
  }
}

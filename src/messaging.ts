// The fleet of senders in this process: one machine per sender in use (sender-machine.ts), kept
// in step with the store, so a sender added, changed or removed through the API or CLI starts,
// restarts or stops within a second, in every process.
import { CampaignEffects } from './app/campaign-effects.ts';
import type { CredentialBox } from './app/credential-box.ts';
import { credentialsFingerprint, DEFAULT_SENDER_ID, registerConfiguredSender } from './app/senders.ts';
import { StoragePause, type StoragePauseObserver } from './app/storage-pause.ts';
import type { SyncReport } from './app/sync-templates.ts';
import type { WireCreateTemplateRequest } from './cloud-api/wire-templates.ts';
import type { Config, WhatsAppCredentials } from './config.ts';
import type { DispatchSnapshot, SendObserver } from './dispatch/dispatch-observer.ts';
import { CampaignScheduler } from './dispatch/scheduler.ts';
import { AppError, coerceError } from './domain/errors.ts';
import type { OutboundMessage, SendOutcome } from './domain/outbound-message.ts';
import type { Logger } from './logger.ts';
import { PeriodicJob } from './periodic-job.ts';
import { type SenderAccount, type SenderMachine, startSenderMachine } from './sender-machine.ts';
import type { Database } from './store/db.ts';
import { listSenders, pauseSender, resumeSender, type Sender } from './store/senders-repo.ts';

// How often the fleet re-reads the senders when nothing nudges it.
const REFRESH_MS = 1_000;
const SANDBOX_ONLY = 'a sandbox sender: it sends only while Chorus runs in sandbox mode';

/** Every sender's machinery in this process, and the effects they share. */
export interface Messaging {
  effects: CampaignEffects;
  /** Syncs one sender's templates (its failure throws), or every sender's (each failure is reported). */
  syncTemplates(senderId: string | undefined, signal: AbortSignal): Promise<TemplateSyncs>;
  /** Sends one message through a sender now, outside its send loop (a campaign's test send). */
  sendNow(senderId: string, message: OutboundMessage, signal: AbortSignal): Promise<SendOutcome>;
  /** The app secrets webhooks may be signed with: one per sender that has one. */
  appSecrets(): string[];
  /** Submits a template through one sender's WABA, then syncs that WABA so the list shows it. */
  createTemplate(
    senderId: string,
    template: WireCreateTemplateRequest,
    signal: AbortSignal,
  ): Promise<{ id: string; status: string; category: string | null }>;
  /** The sender a business phone number id belongs to, for routing webhooks. */
  senderOfPhoneNumber(phoneNumberId: string): string | undefined;
  /** Whether a WABA is some sender's, for routing account and template webhooks. */
  hasBusinessAccount(businessAccountId: string): boolean;
  /** Reads again, from Meta, the numbers of a WABA whose quality or limits a webhook says changed. */
  checkHealthOf(businessAccountId: string): void;
  /** Re-reads senders and wakes the scheduler and send loops (a campaign or sender changed). */
  nudge(): void;
  /** Each running send loop's state, by sender id (/metrics). */
  senderSnapshots(): { senderId: string; snapshot: DispatchSnapshot }[];
  close(): Promise<void>;
}

/** What a sync of several senders did: a report per sender that synced, and why the others did not. */
export interface TemplateSyncs {
  reports: SyncReport[];
  failures: { sender: string; message: string }[];
}

/** The sandbox's simulators, when Chorus runs in sandbox mode. */
export interface SandboxNumbers {
  /** Runs a stored sandbox sender's number on this run's simulator; answers where its Graph API is. */
  registerNumber(account: {
    sender: Sender;
    accessToken: string;
    appSecret: string | undefined;
  }): Promise<Config['graph']>;
}

/** Where the default sender sends, how stored credentials open, and whether this process dispatches. */
export interface MessagingSetup {
  /** The Graph API senders added through the API talk to. */
  graph: Config['graph'];
  /** The default sender: the WA_* credentials, or the sandbox's, and where they apply. */
  defaultSender: { graph: Config['graph']; credentials: WhatsAppCredentials; limits: Config['sender'] };
  dispatch: Config['dispatch'];
  box: CredentialBox;
  sandbox: SandboxNumbers | undefined;
  isWorker: boolean;
  /** Hears each decided send (metrics). */
  sendObserver?: SendObserver;
  /** Hears a background loop pause for the store and resume (metrics). */
  storageObserver?: StoragePauseObserver;
}

/** Registers the default sender, starts a machine per sender in use, and keeps them in step. */
export async function startMessaging(database: Database, setup: MessagingSetup, logger: Logger): Promise<Messaging> {
  const clock = Date.now;
  await registerDefaultSender(database, setup, logger, clock());
  const effects = new CampaignEffects(database, clock, logger);
  const machines = new Map<string, { key: string; machine: SenderMachine }>();
  const unreadable = new Set<string>();
  const machineDeps = {
    database,
    logger,
    clock,
    effects,
    dispatch: setup.dispatch,
    isWorker: setup.isWorker,
    sendObserver: setup.sendObserver,
    storageObserver: setup.storageObserver,
  };

  const accountOf = async (sender: Sender): Promise<SenderAccount | undefined> => {
    if (sender.id === DEFAULT_SENDER_ID) {
      const { graph, credentials } = setup.defaultSender;
      return { sender, graph, accessToken: credentials.accessToken, appSecret: credentials.appSecret };
    }
    if (sender.accessTokenSealed === null) return undefined;
    const accessToken = setup.box.open(sender.accessTokenSealed, sender.id);
    const appSecret = sender.appSecretSealed === null ? undefined : setup.box.open(sender.appSecretSealed, sender.id);
    if (!sender.isSandbox) return { sender, graph: setup.graph, accessToken, appSecret };
    if (!setup.sandbox) return undefined;
    const graph = await setup.sandbox.registerNumber({ sender, accessToken, appSecret });
    return { sender, graph, accessToken, appSecret };
  };

  const refresh = async () => {
    const senders = await listSenders(database.db);
    const seen = new Set<string>();
    for (const sender of senders) {
      seen.add(sender.id);
      let account: SenderAccount | undefined;
      try {
        account = await accountOf(sender);
        unreadable.delete(sender.id);
      } catch (error) {
        if (!unreadable.has(sender.id))
          logger.error({ err: coerceError(error), senderId: sender.id }, 'sender not started');
        unreadable.add(sender.id);
      }
      const key = account ? machineKey(account) : '';
      const current = machines.get(sender.id);
      if (current?.key === key) continue;
      machines.delete(sender.id);
      await current?.machine.stop();
      if (account) machines.set(sender.id, { key, machine: startSenderMachine(account, machineDeps) });
    }
    for (const [id, { machine }] of machines) {
      if (seen.has(id)) continue;
      machines.delete(id);
      await machine.stop();
    }
  };

  await settleSandboxSenders(database, setup.sandbox !== undefined, clock());
  await refresh();
  const refreshStorage = new StoragePause(logger, 'senders', clock, setup.storageObserver);
  const refreshJob = new PeriodicJob(() =>
    refresh()
      .then(() => refreshStorage.noteSuccess())
      .catch((error: unknown) => {
        // Once a second while the database is away would be noise: the pause is said once.
        if (!refreshStorage.noteFailure(error)) logger.error({ err: coerceError(error) }, 'refreshing senders failed');
      }),
  );
  const refreshSoon = () => refreshJob.runNow();
  refreshJob.start(REFRESH_MS);
  /** A sender's machine; the senders are read again first when it is not running here (added a moment ago). */
  const machineOf = async (senderId: string, action: string) => {
    if (!machines.has(senderId)) await refreshSoon();
    const entry = machines.get(senderId);
    if (!entry) throw new AppError('not_found', `no sender "${senderId}" that can ${action} here`, { field: 'sender' });
    return entry.machine;
  };
  const scheduler = new CampaignScheduler(
    database,
    clock,
    logger,
    () => {
      for (const { machine } of machines.values()) machine.refresh();
    },
    setup.storageObserver,
  );
  if (setup.isWorker) scheduler.start();

  return {
    effects,
    async syncTemplates(senderId, signal) {
      await refreshSoon();
      if (senderId !== undefined) {
        return { reports: [await (await machineOf(senderId, 'sync')).syncTemplates(signal)], failures: [] };
      }
      const syncs: TemplateSyncs = { reports: [], failures: [] };
      for (const [id, { machine }] of machines) {
        try {
          syncs.reports.push(await machine.syncTemplates(signal));
        } catch (error) {
          syncs.failures.push({ sender: id, message: coerceError(error).message });
        }
      }
      return syncs;
    },
    async sendNow(senderId, message, signal) {
      return (await machineOf(senderId, 'send')).send(message, signal);
    },
    async createTemplate(senderId, template, signal) {
      await refreshSoon();
      const machine = await machineOf(senderId, 'submit');
      const created = await machine.createTemplate(template, signal);
      await machine.syncTemplates(signal);
      return created;
    },
    appSecrets: () =>
      [...machines.values()].flatMap(({ machine }) => (machine.account.appSecret ? [machine.account.appSecret] : [])),
    senderOfPhoneNumber(phoneNumberId) {
      for (const [id, { machine }] of machines) if (machine.account.sender.phoneNumberId === phoneNumberId) return id;
      return undefined;
    },
    hasBusinessAccount(businessAccountId) {
      for (const { machine } of machines.values())
        if (machine.account.sender.businessAccountId === businessAccountId) return true;
      return false;
    },
    checkHealthOf(businessAccountId) {
      for (const { machine } of machines.values())
        if (machine.account.sender.businessAccountId === businessAccountId) void machine.checkHealth();
    },
    nudge() {
      void refreshSoon().then(() => {
        for (const { machine } of machines.values()) machine.refresh();
      });
      if (setup.isWorker) void scheduler.tick();
    },
    senderSnapshots: () =>
      [...machines].flatMap(([senderId, { machine }]) => {
        const snapshot = machine.snapshot();
        return snapshot ? [{ senderId, snapshot }] : [];
      }),
    async close() {
      await refreshJob.stop();
      await scheduler.stop();
      await Promise.all([...machines.values()].map(({ machine }) => machine.stop()));
      machines.clear();
    },
  };
}

/** What, when it changes, needs a new machine: the number, limits, credentials and where they apply. */
function machineKey(account: SenderAccount): string {
  const { sender, graph } = account;
  const credentials = credentialsFingerprint({
    graphUrl: `${graph.baseUrl}/${graph.apiVersion}`,
    phoneNumberId: sender.phoneNumberId,
    accessToken: account.accessToken,
  });
  return [sender.businessAccountId, sender.ratePerSec, sender.dailyLimit, account.appSecret ?? '', credentials].join(
    '\u0000',
  );
}

async function registerDefaultSender(database: Database, setup: MessagingSetup, logger: Logger, now: number) {
  const { graph, credentials, limits } = setup.defaultSender;
  const { sender, isAuthPauseLifted } = await registerConfiguredSender(
    database.db,
    {
      id: DEFAULT_SENDER_ID,
      phoneNumberId: credentials.phoneNumberId,
      businessAccountId: credentials.businessAccountId,
      ratePerSec: limits.ratePerSec,
      dailyLimit: limits.dailyRecipientLimit,
      credentialsHash: credentialsFingerprint({ graphUrl: graph.baseUrl, ...credentials }),
    },
    now,
  );
  const log = logger.child({ senderId: sender.id });
  if (isAuthPauseLifted) log.info('sender credentials changed: sending again (paused again if they still fail)');
  else if (sender.pausedReason !== null)
    log.warn(
      { reason: sender.pausedReason },
      `sender is paused and sends nothing; fix the cause, then: chorus senders resume ${sender.id}`,
    );
}

/**
 * Sandbox senders live on the built-in simulator: outside sandbox mode they are paused with the
 * reason, and back in sandbox mode that pause is lifted (the simulator is new at every start).
 */
async function settleSandboxSenders(database: Database, isSandbox: boolean, now: number): Promise<void> {
  for (const sender of await listSenders(database.db)) {
    if (!sender.isSandbox) continue;
    if (!isSandbox && sender.pausedReason === null)
      await pauseSender(database.db, sender.id, { reason: SANDBOX_ONLY, by: 'auth' }, now);
    if (isSandbox && sender.pausedReason === SANDBOX_ONLY) await resumeSender(database.db, sender.id, now);
  }
}

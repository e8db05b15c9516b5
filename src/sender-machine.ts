// One sender's sending machinery: its Graph API client, template source, limits and send loop.
// Built by the fleet (messaging.ts) for every sender in use, and rebuilt when the sender changes.
import type { CampaignEffects } from './app/campaign-effects.ts';
import { checkSenderHealth } from './app/sender-health.ts';
import type { StoragePauseObserver } from './app/storage-pause.ts';
import { type SyncReport, syncTemplates } from './app/sync-templates.ts';
import { AccountApi } from './cloud-api/account-api.ts';
import { CloudApiClient } from './cloud-api/cloud-api-client.ts';
import { toTemplateDefinition } from './cloud-api/template-definition.ts';
import { TemplatesApi } from './cloud-api/templates-api.ts';
import type { WireCreateTemplateRequest } from './cloud-api/wire-templates.ts';
import type { Config } from './config.ts';
import type { DispatchSnapshot, SendObserver } from './dispatch/dispatch-observer.ts';
import { DEFAULT_DISPATCHER_OPTIONS, Dispatcher } from './dispatch/dispatcher.ts';
import { SenderLimits } from './dispatch/sender-limits.ts';
import type { MessageProvider } from './domain/outbound-message.ts';
import type { Logger } from './logger.ts';
import type { Database } from './store/db.ts';
import type { Sender } from './store/senders-repo.ts';

/** A sender with what it needs to talk to the Graph API: where, and its plain credentials. */
export interface SenderAccount {
  sender: Sender;
  graph: Config['graph'];
  accessToken: string;
  appSecret: string | undefined;
}

/** A running sender: templates on demand, and in a worker its send loop. */
export interface SenderMachine {
  readonly account: SenderAccount;
  syncTemplates(signal: AbortSignal): Promise<SyncReport>;
  /** Sends one message now, outside the send loop (a campaign's test send). */
  send: MessageProvider['send'];
  /** Submits a new template to the sender's WABA for Meta's review; answers its id and status. */
  createTemplate(template: WireCreateTemplateRequest, signal: AbortSignal): ReturnType<TemplatesApi['createTemplate']>;
  /** Wakes the send loop (a campaign started or resumed, the sender was resumed). */
  refresh(): void;
  /** Reads the number's quality, throughput and messaging tier from Meta now (a webhook said it changed). */
  checkHealth(): Promise<void>;
  /** The send loop's state (/metrics); undefined where no loop runs (an api process). */
  snapshot(): DispatchSnapshot | undefined;
  /** Stops claiming, lets in-flight sends finish and be recorded, and closes the client. */
  stop(): Promise<void>;
}

/** What building a machine needs from the composition. */
export interface SenderMachineDeps {
  database: Database;
  logger: Logger;
  clock: () => number;
  effects: CampaignEffects;
  dispatch: Config['dispatch'];
  /** Workers run a send loop; api processes only sync templates. */
  isWorker: boolean;
  /** Hears each decided send (metrics). */
  sendObserver?: SendObserver;
  /** Hears the send loop pause for the store and resume (metrics). */
  storageObserver?: StoragePauseObserver;
}

// Meta changes a number's quality and tier over hours; a webhook brings a change sooner.
const HEALTH_EVERY_MS = 10 * 60_000;

/** Builds (and in a worker starts) the machinery of one sender. */
export function startSenderMachine(account: SenderAccount, deps: SenderMachineDeps): SenderMachine {
  const { sender, graph, accessToken } = account;
  const { database, clock, effects } = deps;
  const log = deps.logger.child({ senderId: sender.id });
  const client = new CloudApiClient({
    graphUrl: graph.baseUrl,
    apiVersion: graph.apiVersion,
    phoneNumberId: sender.phoneNumberId,
    accessToken,
    timeoutMs: deps.dispatch.sendTimeoutMs,
  });
  const templatesApi = new TemplatesApi({
    graphUrl: graph.baseUrl,
    apiVersion: graph.apiVersion,
    wabaId: sender.businessAccountId,
    accessToken,
  });
  const dispatcher = deps.isWorker
    ? new Dispatcher({
        database,
        sender,
        provider: client,
        limits: new SenderLimits(
          database,
          {
            senderId: sender.id,
            phoneNumberId: sender.phoneNumberId,
            ratePerSec: sender.ratePerSec,
            dailyRecipientLimit: sender.dailyLimit,
            // On PostgreSQL any number of workers may send for this sender: its limits live in the store.
            isShared: database.dialect === 'postgres',
          },
          clock(),
          clock,
        ),
        logger: log,
        clock,
        random: Math.random,
        options: {
          ...DEFAULT_DISPATCHER_OPTIONS,
          reconcileMs: deps.dispatch.reconcileMs,
          leaseMs: deps.dispatch.leaseMs,
        },
        onEffect: (effect) => effects.onDispatchEffect(effect),
        onRecorded: ({ results, applied }) => effects.afterSendResults(results, applied),
        observer: deps.sendObserver,
        storageObserver: deps.storageObserver,
      })
    : undefined;
  dispatcher?.start();
  const accountApi = new AccountApi({ graphUrl: graph.baseUrl, apiVersion: graph.apiVersion, accessToken });
  const checkHealth = () =>
    checkSenderHealth(
      database.db,
      sender.id,
      async (signal) => (await accountApi.readPhoneNumber(sender.phoneNumberId, signal)).info,
      clock,
    );
  void checkHealth();
  const healthTimer = setInterval(() => void checkHealth(), HEALTH_EVERY_MS);
  healthTimer.unref();
  return {
    account,
    syncTemplates: (signal) =>
      syncTemplates(
        database,
        sender,
        async (s) => (await templatesApi.listTemplates(s)).map(toTemplateDefinition),
        clock(),
        signal,
      ),
    send: (message, signal) => client.send(message, signal),
    createTemplate: (template, signal) => templatesApi.createTemplate(template, signal),
    refresh: () => dispatcher?.refresh(),
    checkHealth,
    snapshot: () => dispatcher?.snapshot(),
    async stop() {
      clearInterval(healthTimer);
      await dispatcher?.stop();
      await client.close();
    },
  };
}

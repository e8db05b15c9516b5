import { CampaignEffects } from './app/campaign-effects.ts';
import { DEFAULT_SENDER_ID } from './app/campaigns.ts';
import { credentialsFingerprint, registerConfiguredSender } from './app/senders.ts';
import { type SyncReport, syncTemplates } from './app/sync-templates.ts';
import { CloudApiClient } from './cloud-api/cloud-api-client.ts';
import { toTemplateDefinition } from './cloud-api/template-definition.ts';
import { TemplatesApi } from './cloud-api/templates-api.ts';
import type { Config, WhatsAppCredentials } from './config.ts';
import { DEFAULT_DISPATCHER_OPTIONS, Dispatcher } from './dispatch/dispatcher.ts';
import { CampaignScheduler } from './dispatch/scheduler.ts';
import { SenderLimits } from './dispatch/sender-limits.ts';
import type { Logger } from './logger.ts';
import type { Database } from './store/db.ts';

/** The default sender's sending machinery: client, limits, dispatcher, scheduler and effects. */
export interface Messaging {
  effects: CampaignEffects;
  syncTemplates(signal: AbortSignal): Promise<SyncReport>;
  /** Wakes the scheduler and dispatcher after a campaign changed. */
  nudge(): void;
  close(): Promise<void>;
}

/** Where the default sender sends, and whether this process dispatches (role worker or all). */
export interface MessagingSetup {
  graph: Config['graph'];
  credentials: WhatsAppCredentials;
  limits: Config['sender'];
  dispatch: Config['dispatch'];
  isWorker: boolean;
}

/** Builds and starts the default sender's machinery on an open, migrated database. */
export async function startMessaging(database: Database, setup: MessagingSetup, logger: Logger): Promise<Messaging> {
  const clock = Date.now;
  const { graph, credentials } = setup;
  const { sender, isAuthPauseLifted } = await registerConfiguredSender(
    database.db,
    {
      id: DEFAULT_SENDER_ID,
      phoneNumberId: credentials.phoneNumberId,
      businessAccountId: credentials.businessAccountId,
      ratePerSec: setup.limits.ratePerSec,
      dailyLimit: setup.limits.dailyRecipientLimit,
      credentialsHash: credentialsFingerprint({ graphUrl: graph.baseUrl, ...credentials }),
    },
    clock(),
  );
  const log = logger.child({ senderId: sender.id });
  if (isAuthPauseLifted) log.info('sender credentials changed: sending again (paused again if they still fail)');
  else if (sender.pausedReason !== null)
    log.warn(
      { reason: sender.pausedReason },
      `sender is paused and sends nothing; fix the cause, then: chorus senders resume ${sender.id}`,
    );
  const client = new CloudApiClient({
    graphUrl: graph.baseUrl,
    apiVersion: graph.apiVersion,
    phoneNumberId: credentials.phoneNumberId,
    accessToken: credentials.accessToken,
  });
  const templatesApi = new TemplatesApi({
    graphUrl: graph.baseUrl,
    apiVersion: graph.apiVersion,
    wabaId: credentials.businessAccountId,
    accessToken: credentials.accessToken,
  });
  const effects = new CampaignEffects(database, clock, logger);
  const dispatcher = new Dispatcher({
    database,
    sender,
    provider: client,
    limits: new SenderLimits(
      database,
      { senderId: sender.id, ratePerSec: sender.ratePerSec, dailyRecipientLimit: sender.dailyLimit },
      clock(),
    ),
    logger: log,
    clock,
    random: Math.random,
    options: {
      ...DEFAULT_DISPATCHER_OPTIONS,
      reconcileMs: setup.dispatch.reconcileMs,
      leaseMs: setup.dispatch.leaseMs,
    },
    onEffect: (effect) => effects.onDispatchEffect(effect),
    onRecorded: ({ results, applied }) => effects.afterSendResults(results, applied),
  });
  const scheduler = new CampaignScheduler(database, clock, log, () => dispatcher.refresh());
  if (setup.isWorker) {
    scheduler.start();
    dispatcher.start();
  }
  return {
    effects,
    syncTemplates: (signal) =>
      syncTemplates(
        database,
        sender,
        async (s) => (await templatesApi.listTemplates(s)).map(toTemplateDefinition),
        clock(),
        signal,
      ),
    nudge() {
      dispatcher.refresh();
      if (setup.isWorker) void scheduler.tick();
    },
    async close() {
      await scheduler.stop();
      await dispatcher.stop();
      await client.close();
    },
  };
}

import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ApiKeyVerifier, seedApiKey } from './app/api-keys.ts';
import { loadProhibitedWords } from './app/campaign-content.ts';
import { CampaignProgressFeed } from './app/campaign-progress-feed.ts';
import { loadRateCard } from './app/rate-card.ts';
import { RETENTION_INTERVAL_MS, RetentionJob } from './app/retention-job.ts';
import type { SenderAdmin } from './app/senders.ts';
import { createFirstAdmin } from './app/users.ts';
import { WebhookDeliverer } from './app/webhook-deliverer.ts';
import { WebhookIntake } from './app/webhook-intake.ts';
import { createWebhookPoster } from './app/webhook-poster.ts';
import { routeWebhookEvents, setAsideUnrouted } from './app/webhook-routing.ts';
import { type Config, ConfigError, type WhatsAppCredentials } from './config.ts';
import { SYSTEM_SOURCE } from './domain/audit.ts';
import { createKeywordMatcher } from './domain/opt-out-keywords.ts';
import { MIN_PASSWORD_LENGTH } from './domain/password-policy.ts';
import { createHttpApp, type RouteRegistrar } from './http/app.ts';
import { createHealthApp } from './http/health-app.ts';
import { registerApiKeyRoutes } from './http/routes/api-keys.ts';
import { registerAuditRoutes } from './http/routes/audit.ts';
import { registerCampaignPageRoutes } from './http/routes/campaign-pages.ts';
import { registerCampaignRoutes } from './http/routes/campaigns.ts';
import { registerContactRoutes } from './http/routes/contacts.ts';
import { registerFormRoutes } from './http/routes/forms.ts';
import { registerJoinRoutes } from './http/routes/join.ts';
import { registerMeRoutes } from './http/routes/me.ts';
import { registerMetricsRoute } from './http/routes/metrics.ts';
import { registerOutboundWebhookRoutes } from './http/routes/outbound-webhooks.ts';
import { registerRetentionRoutes } from './http/routes/retention.ts';
import { registerSenderRoutes } from './http/routes/senders.ts';
import { registerSessionRoutes } from './http/routes/session.ts';
import { registerSummaryRoute } from './http/routes/summary.ts';
import { registerTemplateRoutes } from './http/routes/templates.ts';
import { registerUserRoutes } from './http/routes/users.ts';
import { registerWebhookRoutes } from './http/routes/webhook.ts';
import { registerWebhookSettingsRoutes } from './http/routes/webhook-settings.ts';
import type { Logger } from './logger.ts';
import { startMessaging } from './messaging.ts';
import { createChorusMetrics } from './metrics/chorus-metrics.ts';
import { type Sandbox, startSandbox } from './sandbox.ts';
import { openCredentialBox, secretKeyFile } from './secret-key.ts';
import { type Database, openDatabase } from './store/db.ts';
import { migrateToLatest } from './store/migrate.ts';
import { countUsers } from './store/users-repo.ts';

/** A running Chorus process: where it listens and how to stop it in order. */
export interface RunningChorus {
  url: string;
  /** The open store, for in-process callers (tests inject storage faults on its connection). */
  database: Database;
  /** The built-in simulator standing in for Meta, in sandbox mode. */
  sandbox: Sandbox | undefined;
  /** Where the default sender's requests go and with which credentials (the sandbox's in sandbox mode). */
  defaultSender: { graph: Config['graph']; credentials: WhatsAppCredentials | undefined };
  /** Resolves once every status event answered 200 so far is applied to its message. */
  webhooksSettled(): Promise<void>;
  close(): Promise<void>;
}

/** Every resource's routes, in the order they are registered. */
const ROUTES: RouteRegistrar[] = [
  registerSessionRoutes,
  registerMeRoutes,
  registerUserRoutes,
  registerApiKeyRoutes,
  registerAuditRoutes,
  registerSummaryRoute,
  registerContactRoutes,
  registerFormRoutes,
];

/** Which parts run in this process: `api` serves HTTP, `worker` dispatches, `all` does both. */
export type ChorusRole = 'api' | 'worker' | 'all';

/** Composition root: opens the store, migrates, builds the adapters and serves HTTP. */
export async function startChorus(config: Config, logger: Logger, role: ChorusRole = 'all'): Promise<RunningChorus> {
  const clock = Date.now;
  const database = openDatabase(config.database, {
    poolSize: config.databasePoolSize,
    onIdleConnectionError: (err) =>
      logger.warn({ err }, 'an idle PostgreSQL connection was dropped; it will be replaced'),
    onCheckpointError: (message) => logger.warn({ message }, 'a background WAL checkpoint failed'),
    readsAside: true,
  });
  const applied = await migrateToLatest(database);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  // Workers leave the key to the API processes, so one started without the variable revokes nothing.
  if (role !== 'worker') await seedEnvApiKey(database, config.seedApiKey, logger, clock());
  await seedFirstAdmin(database, config, logger, clock());
  // Sandbox mode: the default sender talks to the in-process simulator with these credentials.
  const sandbox = config.isSandbox ? await startSandbox(logger, config.sender, config.graph.apiVersion) : undefined;
  const graph = sandbox?.graph ?? config.graph;
  const whatsapp = sandbox?.credentials ?? config.whatsapp;
  if (!whatsapp) throw new ConfigError('no WhatsApp credentials and sandbox mode is off');
  if (role !== 'all' && database.dialect !== 'postgres') {
    throw new ConfigError(`--role ${role} needs PostgreSQL (DATABASE_URL=postgres://…): SQLite has one dispatcher`);
  }
  const box = openCredentialBox(config.secretKey, secretKeyFile(config.database));
  const metrics = createChorusMetrics({ database, clock, logger });
  const messaging = await startMessaging(
    database,
    {
      graph: config.graph,
      defaultSender: { graph, credentials: whatsapp, limits: config.sender },
      dispatch: config.dispatch,
      box,
      sandbox: sandbox && {
        registerNumber: ({ sender, accessToken, appSecret }) =>
          sandbox.registerNumber({
            phoneNumberId: sender.phoneNumberId,
            businessAccountId: sender.businessAccountId,
            accessToken,
            appSecret: appSecret ?? '',
            ratePerSec: sender.ratePerSec,
            dailyRecipientLimit: sender.dailyLimit,
          }),
      },
      isWorker: role !== 'api',
      sendObserver: metrics.sends,
      storageObserver: metrics.storage,
    },
    logger,
  );
  metrics.watchSenders(() => messaging.senderSnapshots());
  const senderAdmin: SenderAdmin = {
    box,
    ...(sandbox
      ? {
          provisionSandboxNumber: (limits) =>
            sandbox.provisionNumber({ ratePerSec: limits.mps, dailyRecipientLimit: limits.dailyLimit }),
        }
      : {}),
  };

  const rateCard = loadRateCard(config);
  const words = loadProhibitedWords(config.contentWordsPath);
  const matchKeyword = createKeywordMatcher(config.keywords.optOut, config.keywords.optIn);
  const webhooks = new WebhookIntake(
    database,
    logger,
    () => ({
      now: clock(),
      logger,
      matchKeyword,
      applyEffects: (trx, result) => messaging.effects.applyWebhookEffects(trx, result),
    }),
    { observer: metrics.webhooks, sqliteFile: sqliteFileOf(config.database), storageObserver: metrics.storage },
  );
  webhooks.start();
  const retention = new RetentionJob(database, config.retention, clock, logger);
  if (role !== 'api') retention.start();
  const progress = new CampaignProgressFeed(database, logger);
  const allowPrivateTargets = config.webhooksAllowPrivate;
  const post = createWebhookPoster({ allowPrivateTargets });
  const deliverer = new WebhookDeliverer({ database, box, post, clock, logger, storageObserver: metrics.storage });
  if (role !== 'api') deliverer.start();
  let isReady = false;
  const app = createHttpApp(
    {
      database,
      logger,
      clock,
      apiKeys: new ApiKeyVerifier(database.db, clock),
      isReady: () => isReady,
      isSandbox: config.isSandbox,
      trustProxy: config.trustProxy,
      requests: metrics.requests,
      edge: config.edge,
    },
    [
      ...ROUTES,
      (a, deps) =>
        registerMetricsRoute(a, deps, {
          contentType: metrics.contentType,
          render: () => metrics.render(),
          isPublic: config.isMetricsPublic,
        }),
      (a, deps) =>
        registerTemplateRoutes(a, deps, {
          syncTemplates: (senderId, signal) => messaging.syncTemplates(senderId, signal),
          createTemplate: (senderId, template, signal) => messaging.createTemplate(senderId, template, signal),
        }),
      (a, deps) =>
        registerCampaignRoutes(a, deps, {
          onCampaignChanged: () => messaging.nudge(),
          rateCard,
          words,
          matchKeyword,
        }),
      (a, deps) =>
        registerCampaignPageRoutes(a, deps, {
          sendNow: (senderId, message, signal) => messaging.sendNow(senderId, message, signal),
          progress,
        }),
      (a, deps) =>
        registerSenderRoutes(a, deps, {
          admin: senderAdmin,
          onSenderChanged: () => messaging.nudge(),
          sendNow: (senderId, message, signal) => messaging.sendNow(senderId, message, signal),
        }),
      (a, deps) => registerRetentionRoutes(a, deps, { policy: config.retention, intervalMs: RETENTION_INTERVAL_MS }),
      (a, deps) =>
        registerWebhookSettingsRoutes(a, deps, {
          verifyToken: () => whatsapp.verifyToken,
          hasAppSecret: () => messaging.appSecrets().length > 0,
        }),
      (a, deps) => registerJoinRoutes(a, deps, { box }),
      (a, deps) => registerOutboundWebhookRoutes(a, deps, { box, allowPrivateTargets }),
      (a) =>
        registerWebhookRoutes(a, {
          secrets: () => ({ appSecrets: messaging.appSecrets(), verifyToken: whatsapp.verifyToken }),
          apply: async (events, log) => {
            const { routed, unrouted } = routeWebhookEvents(events, messaging);
            // Meta says a number's quality, tier or throughput changed: read it again.
            for (const event of routed)
              if (event.kind === 'phone_quality' || event.kind === 'business_capability')
                messaging.checkHealthOf(event.wabaId);
            await setAsideUnrouted(database, unrouted, log, clock());
            if (unrouted.length > 0) metrics.webhooks.unrouted(unrouted.length);
            await webhooks.receive(routed, log);
          },
        }),
    ],
  );
  // A worker answers only /healthz; PORT=0 lets the system pick its port (it is logged).
  const server = await listen(role === 'worker' ? createHealthApp(() => isReady).fetch : app.fetch, config.http);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.http.host}:${port}`;
  sandbox?.setWebhookUrl(`${url}/webhooks/whatsapp`);
  isReady = true;
  logger.info({ url, role, database: config.database.kind, sandbox: config.isSandbox }, 'Chorus is up');
  if ((await countUsers(database.db)) === 0) {
    logger.info(
      `no dashboard user yet: open ${url}/ to create the first admin (or set CHORUS_ADMIN_EMAIL and CHORUS_ADMIN_PASSWORD)`,
    );
  }

  return {
    url,
    database,
    sandbox,
    defaultSender: { graph, credentials: whatsapp },
    webhooksSettled: () => webhooks.settled(),
    async close() {
      isReady = false;
      progress.close();
      await messaging.close();
      await retention.stop();
      await deliverer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await webhooks.close();
      await sandbox?.close();
      await database.close();
    },
  };
}

/** The SQLite file the metrics may read on a thread of their own (not PostgreSQL, not :memory:). */
function sqliteFileOf(target: Config['database']): string | undefined {
  return target.kind === 'sqlite' && target.path !== ':memory:' ? target.path : undefined;
}

/** Seeds CHORUS_API_KEY (replacing an earlier value's key) and says what changed. */
async function seedEnvApiKey(database: Database, key: string | undefined, logger: Logger, now: number) {
  const seeded = await seedApiKey(database.db, key, now);
  if (seeded.revokedCount > 0)
    logger.info({ revoked: seeded.revokedCount }, 'the API key of an earlier CHORUS_API_KEY was revoked');
  if (seeded.isRevoked)
    logger.warn('CHORUS_API_KEY holds a key that was revoked earlier, and it stays refused: set a new one');
}

/** CHORUS_ADMIN_EMAIL/PASSWORD create the first admin while no user exists; afterwards they are ignored. */
async function seedFirstAdmin(database: Database, config: Config, logger: Logger, now: number): Promise<void> {
  if (!config.firstAdmin) return;
  const created = await createFirstAdmin(database, config.firstAdmin, SYSTEM_SOURCE, now);
  if (!created) return;
  logger.info({ email: created.email }, 'created the first admin from CHORUS_ADMIN_EMAIL');
  if (config.firstAdmin.password.length < MIN_PASSWORD_LENGTH) {
    logger.warn(`CHORUS_ADMIN_PASSWORD is shorter than ${MIN_PASSWORD_LENGTH} characters: change it in the dashboard`);
  }
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], where: { host: string; port: number }) {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const server = serve({ fetch, hostname: where.host, port: where.port }, () => resolve(server));
    server.once('error', reject);
  });
}

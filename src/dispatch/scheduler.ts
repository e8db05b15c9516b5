import { StoragePause, type StoragePauseObserver } from '../app/storage-pause.ts';
import { coerceError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import { PeriodicJob } from '../periodic-job.ts';
import { listCampaignsByStatus, transitionCampaign } from '../store/campaigns-repo.ts';
import { runExclusively } from '../store/cluster-lock.ts';
import type { Database } from '../store/db.ts';
import { getTemplate } from '../store/templates-repo.ts';
import { materialiseCampaign } from './materialiser.ts';

const TICK_MS = 500;

/** Starts scheduled campaigns when their time comes and materialises running ones; one tick at a time. */
export class CampaignScheduler {
  private readonly job = new PeriodicJob(() => this.work());
  private storage: StoragePause | undefined;

  constructor(
    private readonly database: Database,
    private readonly clock: () => number,
    private readonly logger: Logger,
    private readonly onStarted: () => void,
    private readonly storageObserver?: StoragePauseObserver,
  ) {}

  /** Begins ticking. */
  start(): void {
    this.job.start(TICK_MS, { atOnce: true });
  }

  /** Stops ticking and waits for the current tick. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Runs one tick now unless one is already running. */
  tick(): Promise<void> {
    return this.job.runNow();
  }

  private async work(): Promise<void> {
    this.storage ??= new StoragePause(this.logger, 'scheduler', this.clock, this.storageObserver);
    try {
      // One scheduler at a time across the cluster: no campaign starts or materialises twice.
      await runExclusively(this.database, 'chorus.scheduler', async () => {
        await this.startDue();
        await this.materialisePending();
      });
      this.storage.noteSuccess();
    } catch (error) {
      if (!this.storage.noteFailure(error)) this.logger.error({ err: coerceError(error) }, 'scheduler tick failed');
    }
  }

  private async startDue(): Promise<void> {
    const now = this.clock();
    for (const campaign of await listCampaignsByStatus(this.database.db, ['scheduled'])) {
      if (campaign.scheduledAt === null || campaign.scheduledAt > now) continue;
      const isStarted = await transitionCampaign(this.database.db, {
        id: campaign.id,
        from: ['scheduled'],
        to: 'running',
        now,
        startedAt: now,
      });
      if (isStarted) this.logger.info({ campaignId: campaign.id }, 'scheduled campaign started');
    }
  }

  private async materialisePending(): Promise<void> {
    for (const campaign of await listCampaignsByStatus(this.database.db, ['running'])) {
      if (campaign.isMaterialized) continue;
      const template = await getTemplate(this.database.db, campaign.templateId);
      if (!template) continue;
      const startedAt = this.clock();
      await materialiseCampaign(this.database, campaign, template, this.clock);
      this.logger.info({ campaignId: campaign.id, ms: this.clock() - startedAt }, 'campaign materialised');
      this.onStarted();
    }
  }
}

import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type CampaignView, viewCampaign } from '../app/campaigns.ts';
import { campaignLine, parseId } from './campaigns-format.ts';
import type { Printer } from './printer.ts';
import { runCommand } from './printer.ts';
import { withDatabase } from './with-database.ts';

/** What `status --watch` shows each second. */
export interface Progress {
  done: number;
  total: number;
  ratePerSec: number;
  etaSeconds: number | null;
}

const FINAL = new Set(['completed', 'cancelled']);
// The rate is measured over the last few samples, so a pause or a burst shows within seconds.
const RATE_SAMPLES = 10;

/** Tracks settled messages over time: done/total, a recent msg/s rate and the ETA it implies. */
export class ProgressMeter {
  readonly #samples: { atMs: number; done: number }[] = [];

  /** Adds one sample of a campaign and answers its progress. */
  sample(view: CampaignView, atMs: number): Progress {
    const done = view.total - view.counts.pending - view.counts.sending;
    // Until materialised, rows are still being written: the audience is the better total.
    const total = Math.max(view.total, view.audience_size);
    this.#samples.push({ atMs, done });
    if (this.#samples.length > RATE_SAMPLES) this.#samples.shift();
    const first = this.#samples[0] ?? { atMs, done };
    const seconds = (atMs - first.atMs) / 1000;
    const ratePerSec = seconds > 0 ? Math.max(0, (done - first.done) / seconds) : 0;
    const remaining = Math.max(0, total - done);
    const etaSeconds = remaining === 0 ? 0 : ratePerSec > 0 ? Math.ceil(remaining / ratePerSec) : null;
    return { done, total, ratePerSec, etaSeconds };
  }
}

/** `chorus campaigns status ID [--watch]`. */
export function registerCampaignStatusCommand(campaigns: Command): void {
  campaigns
    .command('status <id>')
    .description('status and counts; --watch refreshes every second until the campaign completes or is cancelled')
    .option('--watch', 'live progress: a bar on a terminal, one line a second otherwise (one JSON object with --json)')
    .option('--interval <ms>', 'refresh interval for --watch', '1000')
    .option('--json', 'machine output')
    .action((id: string, opts: { watch?: boolean; interval: string; json?: boolean }) =>
      runCommand(opts, async (printer) => {
        const campaignId = parseId(id);
        await withDatabase(async (database) => {
          const read = () => viewCampaign(database, campaignId);
          if (!opts.watch) {
            const view = await read();
            printer.result(view, () => statusLines(view));
            return;
          }
          await watch(read, printer, Math.max(100, Number(opts.interval) || 1000));
        });
      }),
    );
}

async function watch(read: () => Promise<CampaignView>, printer: Printer, intervalMs: number): Promise<void> {
  const meter = new ProgressMeter();
  const isBar = !printer.isJson && process.stderr.isTTY === true;
  const bar = isBar
    ? new SingleBar({
        format: '{status} {bar} {value}/{total} | {rate} msg/s | ETA {etaText}',
        hideCursor: true,
      })
    : undefined;
  let view = await read();
  let progress = meter.sample(view, Date.now());
  bar?.start(progress.total, progress.done, barPayload(view, progress));
  try {
    for (;;) {
      if (bar) {
        bar.setTotal(progress.total);
        bar.update(progress.done, barPayload(view, progress));
      } else {
        printer.result({ ...view, progress }, () => [progressLine(view, progress)]);
      }
      if (FINAL.has(view.status)) break;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      view = await read();
      progress = meter.sample(view, Date.now());
    }
  } finally {
    bar?.stop();
  }
  if (bar) printer.result(view, () => statusLines(view));
}

function barPayload(view: CampaignView, p: Progress) {
  return { status: view.status, rate: p.ratePerSec.toFixed(1), etaText: etaText(p) };
}

function etaText(p: Progress): string {
  return p.etaSeconds === null ? '?' : `${p.etaSeconds}s`;
}

function progressLine(view: CampaignView, p: Progress): string {
  const percent = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
  return `${new Date().toISOString()} ${view.status} ${p.done}/${p.total} (${percent}%) ${p.ratePerSec.toFixed(1)} msg/s ETA ${etaText(p)}`;
}

function statusLines(view: CampaignView): string[] {
  return [
    campaignLine(view),
    ...(view.status_reason ? [`reason: ${view.status_reason}`] : []),
    `total ${view.total}: ${Object.entries(view.counts)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ')}`,
  ];
}

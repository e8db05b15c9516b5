import { describe, expect, it } from 'vitest';
import { PeriodicJob } from './periodic-job.ts';

/** A run that waits until released, counting how many began. */
function gatedWork() {
  let runs = 0;
  let release: () => void = () => undefined;
  const work = () => {
    runs++;
    return new Promise<void>((resolve) => {
      release = resolve;
    });
  };
  return { work, runs: () => runs, release: () => release() };
}

describe('a periodic job', () => {
  it('joins the run under way instead of starting another, and runs again once it ended', async () => {
    const gate = gatedWork();
    const job = new PeriodicJob(gate.work);
    const first = job.runNow();
    const second = job.runNow();
    expect(second).toBe(first);
    expect(gate.runs()).toBe(1);
    gate.release();
    await first;
    const third = job.runNow();
    expect(gate.runs()).toBe(2);
    gate.release();
    await third;
  });

  it('runs on its interval, at once when asked, and stop waits for the run under way', async () => {
    const gate = gatedWork();
    const job = new PeriodicJob(gate.work);
    job.start(10, { atOnce: true });
    expect(gate.runs()).toBe(1);
    let isStopped = false;
    const stopped = job.stop().then(() => {
      isStopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    // Stopped: no tick started a second run, and stop still waits for the first.
    expect(gate.runs()).toBe(1);
    expect(isStopped).toBe(false);
    gate.release();
    await stopped;
    expect(isStopped).toBe(true);
  });

  it('ticks on its own when started without atOnce', async () => {
    let runs = 0;
    const job = new PeriodicJob(async () => {
      runs++;
    });
    job.start(5);
    expect(runs).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await job.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
  });
});

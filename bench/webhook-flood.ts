// bench:webhook-flood — 5,000 status webhook events a second for a minute, posted at a steady pace
// beside a campaign dispatching at 1,000 msg/s, against a real `chorus start` process on SQLite
// (or on PostgreSQL, with --postgres). Passes when the p99 answer is under 200 ms and every event
// was stored and applied.
// Usage: npm run bench:webhook-flood -- [--seconds N] [--rate EVENTS_PER_SEC] [--batch N] [--dispatch MPS]
//   [--postgres]
import { hasFlag, numberOption } from './support/args.ts';
import { describeMachine } from './support/machine.ts';
import { runWebhookFlood } from './support/webhook-flood.ts';
import { latencyTimeline } from './support/webhook-replay.ts';

const P99_LIMIT_MS = 200;

const options = {
  seconds: numberOption('--seconds', 60),
  eventsPerSec: numberOption('--rate', 5_000),
  batchSize: numberOption('--batch', 50),
  dispatchPerSec: numberOption('--dispatch', 1_000),
  store: hasFlag('--postgres') ? ('postgres' as const) : ('sqlite' as const),
  applyTimeoutMs: 120_000,
  onStep: (step: string) => console.log(`  ${step}`),
};
console.log(`bench:webhook-flood (${options.store}) — ${describeMachine()}`);
const result = await runWebhookFlood(options);
const { replay } = result;
const isLossless =
  replay.non200 === 0 && result.storedEvents === result.distinctEvents && result.completeMessages === result.messages;
const isFast = result.p99Ms < P99_LIMIT_MS;
console.log(
  `posted ${replay.latenciesMs.length.toLocaleString('en')} signed batches of ${options.batchSize} ` +
    `(${(replay.events + replay.non200 * options.batchSize).toLocaleString('en')} events) over ${replay.seconds.toFixed(1)} s ` +
    `at a target of ${options.eventsPerSec.toLocaleString('en')} events/s, while campaign B dispatched at ` +
    `${Math.round(result.dispatchedPerSec).toLocaleString('en')} msg/s (limit ${options.dispatchPerSec})`,
);
console.table({
  'events/s answered': Math.round(replay.events / replay.seconds),
  'answer p50 ms': Number(result.p50Ms.toFixed(1)),
  'answer p99 ms': Number(result.p99Ms.toFixed(1)),
  'answer max ms': Number(result.maxMs.toFixed(1)),
  'non-200 answers': replay.non200,
  'events stored (expected)': `${result.storedEvents} (${result.distinctEvents})`,
  'messages read with all 3 times (expected)': `${result.completeMessages} (${result.messages})`,
  'seconds until all applied': Number(result.secondsToApply.toFixed(1)),
});
console.log(`  answer p50/p99 ms by 5 s: ${latencyTimeline(replay, 5_000)}`);
console.log(
  `${isFast && isLossless ? 'PASS' : 'FAIL'}: p99 ${result.p99Ms.toFixed(1)} ms (limit ${P99_LIMIT_MS} ms), ` +
    `${isLossless ? 'nothing lost' : 'events lost or refused'}`,
);
if (!(isFast && isLossless)) process.exitCode = 1;

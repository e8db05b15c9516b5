// The Cloud API simulator as its own process, for suites that kill Chorus: it outlives every
// kill and keeps the record of accepted sends. Reads its options as JSON from argv[2] and prints
// one JSON line `{"url":…}` once it listens; SIGTERM stops it.
import { startSimulator } from '../../../src/simulator/index.ts';
import { SANDBOX_TEMPLATES } from '../../../src/simulator/sandbox-templates.ts';
import type { SimulatorOptions } from '../../../src/simulator/types.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const simulator = await startSimulator({
  ...options,
  templates: options.templates ?? SANDBOX_TEMPLATES.map((t) => structuredClone(t)),
});
process.stdout.write(`${JSON.stringify({ url: simulator.url })}\n`);
process.once('SIGTERM', () => {
  void simulator.close().then(() => process.exit(0));
});

// The Cloud API simulator: a faithful local stand-in for Meta's Graph API (sandbox mode, tests, benchmarks).
import type { AddressInfo } from 'node:net';
import { createControl } from './control.ts';
import { createSimulatorServer } from './server.ts';
import { SimState } from './sim-state.ts';
import type { RunningSimulator, SimulatorOptions } from './types.ts';

export type * from './types.ts';

/** Starts a simulator listening on host:port (127.0.0.1 and any free port by default). */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const state = new SimState(options);
  const control = createControl(state);
  const host = options.host ?? '127.0.0.1';
  let url = '';
  const server = createSimulatorServer(state, control, () => url);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  state.webhooks.setUrl(options.webhookUrl);
  state.webhooks.start();
  return {
    url,
    control,
    async close() {
      await state.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

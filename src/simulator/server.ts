// The simulator's HTTP server: node:http directly, since it is on the benchmarks' hot path.
import { createServer, type Server } from 'node:http';
import { handleControl } from './control-routes.ts';
import { handleGraph } from './graph-router.ts';
import { sendJson } from './http-io.ts';
import type { SimState } from './sim-state.ts';
import type { SimulatorControl } from './types.ts';

/** Creates the server; `baseUrl()` is read per request, since the port is known only after listen. */
export function createSimulatorServer(state: SimState, control: SimulatorControl, baseUrl: () => string): Server {
  const server = createServer({ keepAlive: true, keepAliveTimeout: 30_000 }, (req, res) => {
    const isControl = req.url?.startsWith('/_sim') === true;
    const work = isControl ? handleControl(control, req, res) : handleGraph(state, req, res, baseUrl());
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'OAuthException', code: 1 } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

// Multi-process helpers for the end-to-end suites: free ports, the simulator and Chorus as child
// processes, kill -9, and polling with deadlines (never fixed sleeps as assertions).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { SimBehaviour } from '../../../src/simulator/types.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHORUS_BIN = path.join(ROOT, 'bin/chorus.mjs');
const RUN_TS = path.join(ROOT, 'bin/run-ts.mjs');

/** Credentials the simulator process accepts and Chorus is given. */
export const E2E_IDS = {
  accessToken: 'e2e-token',
  phoneNumberId: '100000000000042',
  businessAccountId: '200000000000042',
  appSecret: 'e2e-app-secret',
};

/** The environment of a Chorus process that sends to the e2e simulator on loopback. */
export function chorusEnvFor(
  where: { port: number; databaseUrl: string; apiKey: string; simulatorUrl: string },
  tuning: Record<string, string>,
): Record<string, string> {
  return {
    PORT: String(where.port),
    HOST: '127.0.0.1',
    DATABASE_URL: where.databaseUrl,
    CHORUS_API_KEY: where.apiKey,
    CHORUS_LOG_LEVEL: 'warn',
    WA_GRAPH_URL: where.simulatorUrl,
    WA_PHONE_NUMBER_ID: E2E_IDS.phoneNumberId,
    WA_BUSINESS_ACCOUNT_ID: E2E_IDS.businessAccountId,
    WA_ACCESS_TOKEN: E2E_IDS.accessToken,
    WA_APP_SECRET: E2E_IDS.appSecret,
    ...tuning,
  };
}

/** A port the OS says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it answers a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: lastError });
    await sleep(everyMs);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A simulator running in its own process, driven through its control API. */
export interface SimulatorProcess {
  url: string;
  child: ChildProcess;
  control<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Starts the simulator process with these behaviour knobs, webhooks going to `webhookUrl`. */
export async function startSimulatorProcess(
  behaviour: Partial<SimBehaviour>,
  webhookUrl: string | undefined,
  logFile: string,
): Promise<SimulatorProcess> {
  const options = { ...E2E_IDS, seed: 42, webhookUrl, behaviour };
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [RUN_TS, path.join(import.meta.dirname, 'sim-process.ts'), JSON.stringify(options)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', log],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}; see ${logFile}`)));
  });
  return {
    url,
    child,
    async control<T>(method: string, route: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}/_sim/${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`/_sim/${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    stop: () => stopChild(child, 'SIGTERM'),
  };
}

/** A Chorus server running as a child process (`node bin/chorus.mjs start`). */
export interface ChorusProcess {
  url: string;
  child: ChildProcess;
}

/** Starts `chorus start` with this environment (and these node flags) and waits for /healthz. */
export async function startChorusProcess(
  env: Record<string, string>,
  logFile: string,
  nodeFlags: readonly string[] = [],
  startArgs: readonly string[] = [],
): Promise<ChorusProcess> {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeFlags, CHORUS_BIN, 'start', ...startArgs], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${env.PORT}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await waitFor(
    'chorus /healthz',
    async () => {
      if (exited) throw new Error(`chorus exited during start; see ${logFile}`);
      const response = await fetch(`${url}/healthz`);
      return response.ok ? true : undefined;
    },
    // A loaded machine starting several processes at once may take a while.
    60_000,
    50,
  );
  return { url, child };
}

/** kill -9: no shutdown hook runs, in-flight requests and buffered writes are lost. */
export function killHard(child: ChildProcess): Promise<void> {
  return stopChild(child, 'SIGKILL');
}

/** Sends a signal and waits for the process to be gone. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/** A small JSON client for Chorus's API with a bearer key. */
export function chorusApi(baseUrl: string, apiKey: string) {
  return async function api<T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<{ status: number; json: T }> {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T,
    };
  };
}

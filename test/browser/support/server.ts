// A real Chorus for the browser suite: `chorus start` as a child process in sandbox mode, on a
// free port and a fresh SQLite file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ChorusProcess, freePort, startChorusProcess, stopChild } from '../../e2e/support/processes.ts';

/** A running server and where its files are. */
export interface TestServer {
  url: string;
  process: ChorusProcess;
  stop(): Promise<void>;
}

/** Starts Chorus in sandbox mode; `env` adds variables such as CHORUS_ADMIN_EMAIL. */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-browser-'));
  const port = await freePort();
  const process = await startChorusProcess(
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${path.join(dir, 'chorus.db')}`,
      CHORUS_SANDBOX: '1',
      CHORUS_LOG_LEVEL: 'warn',
      ...env,
    },
    path.join(dir, 'chorus.log'),
  );
  return {
    url: process.url,
    process,
    async stop() {
      await stopChild(process.child, 'SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

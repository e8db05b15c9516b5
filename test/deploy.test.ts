// The deployment files in deploy/ must start Chorus as they claim: every variable they set is one
// Chorus knows and accepts, and every command names a real role.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.ts';

const ROLES = ['api', 'worker', 'all'];
const deployFile = (name: string) => readFileSync(new URL(`../deploy/${name}`, import.meta.url), 'utf8');

/** Compose's `${NAME:-default}` and `${NAME:?message}` as a person would fill them in. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_all, name: string, fallback?: string) =>
    name === 'CHORUS_SECRET_KEY' ? 'a-secret-key-of-at-least-32-characters!!' : (fallback ?? ''),
  );
}

function roleOf(args: string[]): string | undefined {
  const at = args.indexOf('--role');
  return at === -1 ? 'all' : args[at + 1];
}

describe('deploy/compose.yaml', () => {
  const compose = parse(deployFile('compose.yaml'), { merge: true });
  const chorusServices = Object.entries(compose.services as Record<string, { command?: string[] }>).filter(
    ([name]) => name !== 'postgres',
  );

  it('runs an API process and several workers', () => {
    expect(chorusServices.map(([name]) => name).sort()).toEqual(['api', 'worker']);
    expect(roleOf(compose.services.api.command)).toBe('api');
    expect(roleOf(compose.services.worker.command)).toBe('worker');
    expect(compose.services.worker.deploy.replicas).toBeGreaterThan(1);
  });

  it.each(['api', 'worker'])('gives the %s process a configuration Chorus accepts, on PostgreSQL', (service) => {
    const environment = Object.fromEntries(
      Object.entries(compose.services[service].environment as Record<string, string>).map(([k, v]) => [
        k,
        interpolate(String(v)),
      ]),
    );
    const config = loadConfig({ ...environment, CHORUS_SANDBOX: '0', ...LIVE_CREDENTIALS });
    expect(config.database.kind).toBe('postgres');
    expect(config.secretKey).toBeDefined();
    expect(ROLES).toContain(roleOf(compose.services[service].command));
  });
});

const LIVE_CREDENTIALS = {
  WA_PHONE_NUMBER_ID: '100000000000001',
  WA_BUSINESS_ACCOUNT_ID: '200000000000001',
  WA_ACCESS_TOKEN: 'token',
  WA_APP_SECRET: 'app-secret',
};

describe('deploy/systemd', () => {
  it('has an environment file whose every variable Chorus accepts once the secrets are filled in', () => {
    const lines = deployFile('systemd/chorus.env.example')
      .split('\n')
      .filter((line) => /^\w+=/.test(line));
    const environment = Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
    const known = { ...environment, ...LIVE_CREDENTIALS, WA_VERIFY_TOKEN: 'verify' };
    const config = loadConfig(known);
    expect(config.database.kind).toBe('postgres');
    expect(config.isSandbox).toBe(false);
  });

  it.each([
    ['chorus.service', 'all'],
    ['chorus-api.service', 'api'],
    ['chorus-worker@.service', 'worker'],
  ])('%s starts bin/chorus.mjs with role %s and stops by SIGTERM', (unit, role) => {
    const text = deployFile(`systemd/${unit}`);
    const execStart = text.match(/^ExecStart=(.*)$/m)?.[1]?.split(/\s+/) ?? [];
    expect(execStart).toContain('/opt/chorus/bin/chorus.mjs');
    expect(execStart).toContain('start');
    expect(roleOf(execStart)).toBe(role);
    expect(text).toMatch(/^KillSignal=SIGTERM$/m);
    expect(text).toMatch(/^EnvironmentFile=\/etc\/chorus\/chorus\.env$/m);
  });
});

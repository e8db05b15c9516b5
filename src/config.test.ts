import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_EDGE, loadConfig } from './config.ts';

const LIVE = {
  WA_PHONE_NUMBER_ID: '100000000000001',
  WA_BUSINESS_ACCOUNT_ID: '200000000000001',
  WA_ACCESS_TOKEN: 'token',
  WA_APP_SECRET: 'app-secret',
};
const { WA_APP_SECRET: _secret, ...LIVE_WITHOUT_SECRET } = LIVE;

/** The ConfigError loading `env` throws, or undefined when it loads. */
function refusal(env: Record<string, string>, options: { forceSandbox?: boolean } = {}): ConfigError | undefined {
  try {
    loadConfig(env, options);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

describe('live mode needs WA_APP_SECRET', () => {
  it('refuses live credentials without an app secret, with a one-line reason', () => {
    const error = refusal(LIVE_WITHOUT_SECRET);
    expect(error?.message).toMatch(/^WA_APP_SECRET is required in live mode: .*webhooks/);
    expect(error?.message).not.toContain('\n');
  });

  it('starts live with the app secret, and in sandbox mode without one', () => {
    expect(loadConfig(LIVE).whatsapp?.appSecret).toBe('app-secret');
    expect(loadConfig({}).isSandbox).toBe(true);
    expect(loadConfig({ ...LIVE_WITHOUT_SECRET, CHORUS_SANDBOX: '1' }).isSandbox).toBe(true);
    expect(loadConfig(LIVE_WITHOUT_SECRET, { forceSandbox: true }).isSandbox).toBe(true);
  });
});

describe('WA_MPS=0 (no throughput limit)', () => {
  it("is refused against Meta's Graph API, with a one-line reason", () => {
    for (const url of [undefined, 'https://graph.facebook.com', 'https://GRAPH.facebook.com/']) {
      const env = { ...LIVE, WA_MPS: '0', ...(url ? { WA_GRAPH_URL: url } : {}) };
      expect(refusal(env)?.message, url).toMatch(/^WA_MPS=0 \(no limit\) is allowed only in sandbox mode or /);
    }
  });

  it('is allowed in sandbox mode and against another Graph URL (a simulator)', () => {
    expect(loadConfig({ WA_MPS: '0' }).sender.ratePerSec).toBe(0);
    expect(loadConfig({ ...LIVE, WA_MPS: '0' }, { forceSandbox: true }).sender.ratePerSec).toBe(0);
    const simulator = loadConfig({ ...LIVE, WA_MPS: '0', WA_GRAPH_URL: 'http://127.0.0.1:4010' });
    expect(simulator.sender.ratePerSec).toBe(0);
    expect(simulator.isSandbox).toBe(false);
  });

  it('a positive cap is fine against Meta', () => {
    expect(loadConfig({ ...LIVE, WA_MPS: '80' }).sender.ratePerSec).toBe(80);
  });
});

describe('CHORUS_METRICS_PUBLIC', () => {
  it('keeps /metrics behind the API key unless it is 1', () => {
    expect(loadConfig({}).isMetricsPublic).toBe(false);
    expect(loadConfig({ CHORUS_METRICS_PUBLIC: '0' }).isMetricsPublic).toBe(false);
    expect(loadConfig({ CHORUS_METRICS_PUBLIC: '1' }).isMetricsPublic).toBe(true);
  });

  it('refuses any other value, naming the variable', () => {
    expect(refusal({ CHORUS_METRICS_PUBLIC: 'yes' })?.message).toMatch(/^CHORUS_METRICS_PUBLIC: /);
  });
});

describe('retention', () => {
  it('keeps everything unless told, and reads whole days', () => {
    expect(loadConfig({}).retention).toEqual({ payloadDays: undefined, bodyDays: undefined });
    expect(loadConfig({ CHORUS_RETENTION_PAYLOAD_DAYS: '30', CHORUS_RETENTION_BODY_DAYS: '' }).retention).toEqual({
      payloadDays: 30,
      bodyDays: undefined,
    });
  });

  it('refuses anything but a whole number of days, naming the variable', () => {
    expect(refusal({ CHORUS_RETENTION_BODY_DAYS: '0' })?.message).toBe(
      'CHORUS_RETENTION_BODY_DAYS: must be at least 1 day',
    );
    expect(refusal({ CHORUS_RETENTION_PAYLOAD_DAYS: '1.5' })?.message).toMatch(/^CHORUS_RETENTION_PAYLOAD_DAYS: /);
  });
});

describe('CHORUS_PG_POOL_SIZE', () => {
  it('is 10 connections unless told', () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ CHORUS_PG_POOL_SIZE: '4' }).databasePoolSize).toBe(4);
  });

  it('refuses fewer than 2 connections or a fraction, naming the variable', () => {
    expect(refusal({ CHORUS_PG_POOL_SIZE: '1' })?.message).toMatch(/^CHORUS_PG_POOL_SIZE: /);
    expect(refusal({ CHORUS_PG_POOL_SIZE: '2.5' })?.message).toMatch(/^CHORUS_PG_POOL_SIZE: /);
  });
});

describe('the public edge', () => {
  it('keeps CORS closed and the default limits unless told', () => {
    expect(loadConfig({}).edge).toEqual(DEFAULT_EDGE);
    expect(DEFAULT_EDGE.corsOrigins).toEqual([]);
  });

  it('reads the CORS origins, HSTS max-age and per-minute limits, 0 turning a limit off', () => {
    const { edge } = loadConfig({
      CHORUS_CORS_ORIGINS: 'https://crm.example.com, http://localhost:5173',
      CHORUS_HSTS_MAX_AGE: '0',
      CHORUS_RATE_LIMIT_API: '120',
      CHORUS_RATE_LIMIT_API_IP: '0',
      CHORUS_RATE_LIMIT_SIGN_IN: '5',
      CHORUS_RATE_LIMIT_JOIN: '3',
    });
    expect(edge).toEqual({
      corsOrigins: ['https://crm.example.com', 'http://localhost:5173'],
      hstsMaxAgeSec: 0,
      rateLimits: { apiPerKey: 120, apiPerIp: 0, signInPerIp: 5, joinPerIp: 3 },
    });
  });

  it('refuses an origin with a path or no scheme, and a limit that is not a whole number', () => {
    expect(refusal({ CHORUS_CORS_ORIGINS: 'https://crm.example.com/' })?.message).toMatch(
      /^CHORUS_CORS_ORIGINS: "https:\/\/crm.example.com\/" is not an origin/,
    );
    expect(refusal({ CHORUS_CORS_ORIGINS: 'crm.example.com' })?.message).toMatch(/^CHORUS_CORS_ORIGINS: /);
    expect(refusal({ CHORUS_RATE_LIMIT_API: '-1' })?.message).toMatch(/^CHORUS_RATE_LIMIT_API: /);
    expect(refusal({ CHORUS_RATE_LIMIT_JOIN: 'many' })?.message).toMatch(/^CHORUS_RATE_LIMIT_JOIN: /);
  });
});

describe('CHORUS_SEND_TIMEOUT_MS', () => {
  it('waits 15 s for an answer unless told, at most half a short lease, and reads a shorter wait', () => {
    expect(loadConfig({}).dispatch.sendTimeoutMs).toBe(15_000);
    expect(loadConfig({ CHORUS_LEASE_MS: '4000' }).dispatch.sendTimeoutMs).toBe(2_000);
    expect(loadConfig({ CHORUS_SEND_TIMEOUT_MS: '2000' }).dispatch.sendTimeoutMs).toBe(2_000);
  });

  it('must be shorter than the lease, which would otherwise let a waiting send be taken and resent', () => {
    expect(refusal({ CHORUS_SEND_TIMEOUT_MS: '5000', CHORUS_LEASE_MS: '5000' })?.message).toMatch(
      /CHORUS_SEND_TIMEOUT_MS \(5000\) must be shorter than CHORUS_LEASE_MS \(5000\)/,
    );
  });
});

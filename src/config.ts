import { z } from 'zod';

/** The Graph API version Chorus speaks unless WA_API_VERSION says otherwise. */
export const DEFAULT_GRAPH_API_VERSION = 'v23.0';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalText = z.preprocess(emptyAsUndefined, z.string().min(1).optional());
// Unset keeps forever; a whole number of days, at least one, purges what is older.
const retentionDays = z.preprocess(
  emptyAsUndefined,
  z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1 day').optional(),
);

/** Requests per minute each limiter allows; 0 turns that limiter off. */
export interface RateLimits {
  /** /api/* per API key or signed-in user. */
  apiPerKey: number;
  /** /api/* per client address, before authentication. */
  apiPerIp: number;
  /** Sign-in attempts per client address. */
  signInPerIp: number;
  /** Sign-up form submissions (POST /join/*) per client address. */
  joinPerIp: number;
}

/** What the public edge answers to browsers and callers it does not know. */
export interface EdgeConfig {
  /** Browser origins allowed to call /api/* across origins (CHORUS_CORS_ORIGINS); empty keeps CORS closed. */
  corsOrigins: string[];
  /** Strict-Transport-Security max-age, sent only on requests that came over HTTPS; 0 sends none. */
  hstsMaxAgeSec: number;
  rateLimits: RateLimits;
}

/** Defaults far above what one person, script or the test suite sends, yet a ceiling for a flood. */
export const DEFAULT_EDGE: EdgeConfig = {
  corsOrigins: [],
  hstsMaxAgeSec: 15_552_000,
  rateLimits: { apiPerKey: 6_000, apiPerIp: 12_000, signInPerIp: 60, joinPerIp: 30 },
};

const wholeNumber = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int('must be a whole number').min(0).default(fallback));

const envSchema = z.object({
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().default('sqlite:./data/chorus.db')),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  CHORUS_API_KEY: optionalText,
  CHORUS_SANDBOX: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).optional()),
  CHORUS_LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  WA_GRAPH_URL: z.preprocess(emptyAsUndefined, z.url().default('https://graph.facebook.com')),
  WA_API_VERSION: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^v\d+\.\d+$/, 'must look like v23.0')
      .default(DEFAULT_GRAPH_API_VERSION),
  ),
  WA_PHONE_NUMBER_ID: optionalText,
  WA_BUSINESS_ACCOUNT_ID: optionalText,
  WA_ACCESS_TOKEN: optionalText,
  WA_APP_SECRET: optionalText,
  WA_VERIFY_TOKEN: optionalText,
  // 0 turns the throughput limiter off: for the simulator only (assertSafeLive).
  WA_MPS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).default(80)),
  WA_DAILY_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(100_000)),
  CHORUS_OPT_OUT_KEYWORDS: optionalText,
  CHORUS_OPT_IN_KEYWORDS: optionalText,
  CHORUS_RATE_CARD: optionalText,
  CHORUS_CONTENT_WORDS: optionalText,
  CHORUS_SECRET_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  ),
  CHORUS_METRICS_PUBLIC: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  CHORUS_RETENTION_PAYLOAD_DAYS: retentionDays,
  CHORUS_RETENTION_BODY_DAYS: retentionDays,
  CHORUS_RECONCILE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).default(60_000)),
  CHORUS_LEASE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1_000).default(60_000)),
  CHORUS_SEND_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).optional()),
  CHORUS_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email('must be an email address').optional()),
  CHORUS_ADMIN_PASSWORD: optionalText,
  CHORUS_TRUST_PROXY: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  CHORUS_PG_POOL_SIZE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(2).max(500).default(10)),
  CHORUS_CORS_ORIGINS: optionalText,
  CHORUS_HSTS_MAX_AGE: wholeNumber(DEFAULT_EDGE.hstsMaxAgeSec),
  CHORUS_RATE_LIMIT_API: wholeNumber(DEFAULT_EDGE.rateLimits.apiPerKey),
  CHORUS_RATE_LIMIT_API_IP: wholeNumber(DEFAULT_EDGE.rateLimits.apiPerIp),
  CHORUS_RATE_LIMIT_SIGN_IN: wholeNumber(DEFAULT_EDGE.rateLimits.signInPerIp),
  CHORUS_RATE_LIMIT_JOIN: wholeNumber(DEFAULT_EDGE.rateLimits.joinPerIp),
});

/** Where the database lives: an embedded SQLite file (or `:memory:`) or a PostgreSQL URL. */
export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** The sender's real Meta credentials, when Chorus is not in sandbox mode. */
export interface WhatsAppCredentials {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string | undefined;
  verifyToken: string | undefined;
}

/** Everything Chorus reads from its environment, parsed once. */
export interface Config {
  database: DatabaseTarget;
  /** PostgreSQL connections this process may open at most (CHORUS_PG_POOL_SIZE); unused on SQLite. */
  databasePoolSize: number;
  http: { host: string; port: number };
  seedApiKey: string | undefined;
  logLevel: z.infer<typeof envSchema>['CHORUS_LOG_LEVEL'];
  /** True when the built-in simulator stands in for Meta. */
  isSandbox: boolean;
  graph: { baseUrl: string; apiVersion: string };
  whatsapp: WhatsAppCredentials | undefined;
  sender: { ratePerSec: number; dailyRecipientLimit: number };
  /** How long a claimed row is ours, and how long an unknown outcome waits for a webhook before a resend. */
  /** `sendTimeoutMs`: longest wait for the Cloud API's answer to a send; after it the outcome is unknown. */
  dispatch: { leaseMs: number; reconcileMs: number; sendTimeoutMs: number };
  /** Whole-message words that opt a person out or back in; undefined keeps the built-in lists. */
  keywords: { optOut: string[] | undefined; optIn: string[] | undefined };
  /** Path of a JSON rate card for cost estimates; undefined uses the built-in approximate card. */
  rateCardPath: string | undefined;
  /** Path of a JSON list of words in categories Meta prohibits (content checks); undefined uses the built-in list. */
  contentWordsPath: string | undefined;
  /** Seals stored sender credentials; undefined uses a generated key file (secret-key.ts). */
  secretKey: string | undefined;
  /** The first dashboard admin, created at start while no user exists (CHORUS_ADMIN_EMAIL/PASSWORD). */
  firstAdmin: { email: string; password: string } | undefined;
  /** Behind a reverse proxy: believe X-Forwarded-For and X-Forwarded-Proto (CHORUS_TRUST_PROXY=1). */
  trustProxy: boolean;
  /** True when GET /metrics answers without the API key (CHORUS_METRICS_PUBLIC=1). */
  isMetricsPublic: boolean;
  /** Days after which raw webhook payloads and message bodies are purged; undefined keeps them. */
  retention: RetentionPolicy;
  /** CORS, HSTS and rate limits at the HTTP edge. */
  edge: EdgeConfig;
}

/** How long raw webhook payloads and message bodies are kept, in days; undefined keeps them forever. */
export interface RetentionPolicy {
  payloadDays: number | undefined;
  bodyDays: number | undefined;
}

/** A configuration problem that stops Chorus from starting; the message says what to change. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses a DATABASE_URL: `postgres://…`, `sqlite:PATH`, or a plain file path. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (path === '') throw new ConfigError('DATABASE_URL names no SQLite file');
  return { kind: 'sqlite', path };
}

/** Reads and validates the environment; the only reader of process.env. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: { forceSandbox?: boolean } = {},
): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? 'environment')}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const whatsapp = readCredentials(e);
  const isSandbox = decideSandbox(e.CHORUS_SANDBOX, whatsapp !== undefined, options.forceSandbox ?? false);
  if (!isSandbox) assertSafeLive(e, whatsapp);
  return {
    database: parseDatabaseUrl(e.DATABASE_URL),
    databasePoolSize: e.CHORUS_PG_POOL_SIZE,
    http: { host: e.HOST, port: e.PORT },
    seedApiKey: e.CHORUS_API_KEY,
    logLevel: e.CHORUS_LOG_LEVEL,
    isSandbox,
    graph: { baseUrl: e.WA_GRAPH_URL.replace(/\/+$/, ''), apiVersion: e.WA_API_VERSION },
    whatsapp: isSandbox ? undefined : whatsapp,
    sender: { ratePerSec: e.WA_MPS, dailyRecipientLimit: e.WA_DAILY_LIMIT },
    dispatch: { leaseMs: e.CHORUS_LEASE_MS, reconcileMs: e.CHORUS_RECONCILE_MS, sendTimeoutMs: sendTimeoutOf(e) },
    keywords: { optOut: splitList(e.CHORUS_OPT_OUT_KEYWORDS), optIn: splitList(e.CHORUS_OPT_IN_KEYWORDS) },
    rateCardPath: e.CHORUS_RATE_CARD,
    contentWordsPath: e.CHORUS_CONTENT_WORDS,
    secretKey: e.CHORUS_SECRET_KEY,
    firstAdmin: readFirstAdmin(e),
    trustProxy: e.CHORUS_TRUST_PROXY === '1',
    isMetricsPublic: e.CHORUS_METRICS_PUBLIC === '1',
    retention: { payloadDays: e.CHORUS_RETENTION_PAYLOAD_DAYS, bodyDays: e.CHORUS_RETENTION_BODY_DAYS },
    edge: readEdge(e),
  };
}

function readEdge(e: Env): EdgeConfig {
  return {
    corsOrigins: readCorsOrigins(e.CHORUS_CORS_ORIGINS),
    hstsMaxAgeSec: e.CHORUS_HSTS_MAX_AGE,
    rateLimits: {
      apiPerKey: e.CHORUS_RATE_LIMIT_API,
      apiPerIp: e.CHORUS_RATE_LIMIT_API_IP,
      signInPerIp: e.CHORUS_RATE_LIMIT_SIGN_IN,
      joinPerIp: e.CHORUS_RATE_LIMIT_JOIN,
    },
  };
}

// A browser sends its origin as scheme://host[:port]; anything else in the list would never match.
function readCorsOrigins(text: string | undefined): string[] {
  const origins = splitList(text) ?? [];
  for (const origin of origins) {
    if (URL.canParse(origin) && new URL(origin).origin === origin) continue;
    throw new ConfigError(
      `CHORUS_CORS_ORIGINS: "${origin}" is not an origin; write scheme://host[:port] with no path, e.g. https://crm.example.com`,
    );
  }
  return origins;
}

function readFirstAdmin(e: Env): Config['firstAdmin'] {
  const { CHORUS_ADMIN_EMAIL: email, CHORUS_ADMIN_PASSWORD: password } = e;
  if (email === undefined && password === undefined) return undefined;
  if (email === undefined || password === undefined) {
    throw new ConfigError(
      `set CHORUS_ADMIN_EMAIL and CHORUS_ADMIN_PASSWORD together (only ${email === undefined ? 'the password' : 'the email'} is set)`,
    );
  }
  return { email, password };
}

type Env = z.infer<typeof envSchema>;

function readCredentials(e: Env): WhatsAppCredentials | undefined {
  const required = {
    WA_PHONE_NUMBER_ID: e.WA_PHONE_NUMBER_ID,
    WA_BUSINESS_ACCOUNT_ID: e.WA_BUSINESS_ACCOUNT_ID,
    WA_ACCESS_TOKEN: e.WA_ACCESS_TOKEN,
  };
  const missing = Object.entries(required).filter(([, v]) => v === undefined);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) {
    throw new ConfigError(
      `incomplete WhatsApp credentials: set ${missing.map(([k]) => k).join(', ')} as well, or unset all WA_* to use sandbox mode`,
    );
  }
  return {
    phoneNumberId: required.WA_PHONE_NUMBER_ID as string,
    businessAccountId: required.WA_BUSINESS_ACCOUNT_ID as string,
    accessToken: required.WA_ACCESS_TOKEN as string,
    appSecret: e.WA_APP_SECRET,
    verifyToken: e.WA_VERIFY_TOKEN,
  };
}

function decideSandbox(flag: '0' | '1' | undefined, hasCredentials: boolean, forceSandbox: boolean): boolean {
  if (forceSandbox || flag === '1') return true;
  if (hasCredentials) return false;
  if (flag === '0') {
    throw new ConfigError(
      'CHORUS_SANDBOX=0 forbids sandbox mode, but no WhatsApp credentials are set: set WA_PHONE_NUMBER_ID, WA_BUSINESS_ACCOUNT_ID and WA_ACCESS_TOKEN',
    );
  }
  return true;
}

// Meta's Graph API (graph.facebook.com and its siblings); any other host is a simulator or a proxy.
const META_GRAPH_HOST = /(^|\.)facebook\.com$/i;

/** Refuses live settings that would cost a business duplicates or a throttled number. */
function assertSafeLive(e: Env, whatsapp: WhatsAppCredentials | undefined): void {
  // Without it every webhook is refused: statuses stay `accepted` and each unknown outcome is
  // resent after the reconciliation window, a duplicate to the customer.
  if (whatsapp?.appSecret === undefined) {
    throw new ConfigError(
      "WA_APP_SECRET is required in live mode: without it Meta's webhooks are refused, statuses never arrive and unanswered sends are resent; set it to the app secret (App settings > Basic)",
    );
  }
  if (e.WA_MPS === 0 && META_GRAPH_HOST.test(new URL(e.WA_GRAPH_URL).hostname)) {
    throw new ConfigError(
      "WA_MPS=0 (no limit) is allowed only in sandbox mode or with a WA_GRAPH_URL other than Meta's (graph.facebook.com): set WA_MPS to the number's throughput cap (Meta's default is 80)",
    );
  }
}

// Meta answers a send in well under a second; 15 s is patience for a slow network, not for Meta.
const DEFAULT_SEND_TIMEOUT_MS = 15_000;

// A lease that ran out while its send still waits for an answer would let another worker resend
// it: unset, the timeout is at most half the lease; set, it must be shorter.
function sendTimeoutOf(e: Env): number {
  if (e.CHORUS_SEND_TIMEOUT_MS === undefined)
    return Math.min(DEFAULT_SEND_TIMEOUT_MS, Math.floor(e.CHORUS_LEASE_MS / 2));
  if (e.CHORUS_SEND_TIMEOUT_MS >= e.CHORUS_LEASE_MS) {
    throw new ConfigError(
      `CHORUS_SEND_TIMEOUT_MS (${e.CHORUS_SEND_TIMEOUT_MS}) must be shorter than CHORUS_LEASE_MS (${e.CHORUS_LEASE_MS})`,
    );
  }
  return e.CHORUS_SEND_TIMEOUT_MS;
}

function splitList(text: string | undefined): string[] | undefined {
  const items = text
    ?.split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items && items.length > 0 ? items : undefined;
}

import pino from 'pino';
import pretty from 'pino-pretty';
import { maskPhone } from './domain/phone-mask.ts';

/** The logger type every module receives; make child loggers with context, never log secrets. */
export type Logger = pino.Logger;

// Fields never written: credentials, and what people wrote or were sent (message bodies, raw payloads).
const SECRET_KEYS = [
  'accessToken',
  'access_token',
  'appSecret',
  'app_secret',
  'authorization',
  'apiKey',
  'api_key',
  'token',
  'secret',
  'verifyToken',
  'verify_token',
  'password',
  'cookie',
  'set-cookie',
  'body',
  'text',
  'rendered',
  'raw',
];
// Phone numbers are personal data: written masked (phone-mask.ts), enough to tell them apart.
const PHONE_KEYS = ['phone', 'to', 'from', 'waId', 'wa_id', 'recipientId', 'recipient_id'];
const PHONE_KEY_SET = new Set(PHONE_KEYS);

/** Redaction paths for keys at the top of a line's object and up to two levels inside it. */
function pathsFor(keys: readonly string[]): string[] {
  return keys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
}

/** What a redacted value is written as: a masked number for phone fields, else a fixed marker. */
function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1] ?? '';
  if (!PHONE_KEY_SET.has(key)) return '[redacted]';
  return typeof value === 'string' ? maskPhone(value) : '[redacted]';
}

/**
 * Creates the root logger: credentials, message bodies and raw payloads are redacted and phone
 * numbers masked wherever they appear. On a terminal the lines are made readable; elsewhere they
 * stay JSON for log collectors.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const stream = destination ?? (process.stdout.isTTY ? pretty({ colorize: true, ignore: 'pid,hostname' }) : undefined);
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: [...pathsFor(SECRET_KEYS), ...pathsFor(PHONE_KEYS)], censor },
    },
    stream,
  );
}

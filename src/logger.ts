import pino from 'pino';
import pretty from 'pino-pretty';

/** The logger type every module receives; make child loggers with context, never log secrets. */
export type Logger = pino.Logger;

/**
 * Creates the root logger; tokens, keys and message bodies are redacted wherever they appear. On a
 * terminal the lines are made readable; elsewhere they stay JSON for log collectors.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const stream = destination ?? (process.stdout.isTTY ? pretty({ colorize: true, ignore: 'pid,hostname' }) : undefined);
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['*.accessToken', '*.appSecret', '*.authorization', '*.apiKey', '*.token', '*.body'],
        censor: '[redacted]',
      },
    },
    stream,
  );
}

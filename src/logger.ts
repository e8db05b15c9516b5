import pino from 'pino';

/** The logger type every module receives; make child loggers with context, never log secrets. */
export type Logger = pino.Logger;

/** Creates the root logger; tokens, keys and message bodies are redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['*.accessToken', '*.appSecret', '*.authorization', '*.apiKey', '*.token', '*.body'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

/** A logger at `level` whose lines land in the returned array, parsed. */
function capture(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('redacts credentials and bodies at any of the first three levels of a line', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        accessToken: 'EAAG-secret-1',
        sender: { app_secret: 'app-secret-2', nested: { authorization: 'Bearer key-3' } },
        body: 'Hi Ana, your code is 1234',
      },
      'line',
    );
    const text = JSON.stringify(lines);
    for (const secret of ['EAAG-secret-1', 'app-secret-2', 'key-3', 'your code is']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ accessToken: '[redacted]', body: '[redacted]', msg: 'line' });
  });

  it('masks phone numbers, in a child logger too', () => {
    const { logger, lines } = capture();
    logger.child({ phone: '+4915112345678' }).warn({ event: { from: '4915112345678' } }, 'inbound');
    expect(lines[0]).toMatchObject({ phone: '+49151*****678', event: { from: '49151*****678' } });
    expect(JSON.stringify(lines)).not.toContain('4915112345678');
  });

  it('skips debug lines below its level', () => {
    const { logger, lines } = capture('info');
    logger.debug({ messageId: 1 }, 'claimed');
    expect(lines).toEqual([]);
  });
});

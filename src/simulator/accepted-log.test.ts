import { describe, expect, it } from 'vitest';
import { AcceptedLog } from './accepted-log.ts';

describe('AcceptedLog', () => {
  it('keeps the last N entries in order and counts every duplicate callback data', () => {
    const log = new AcceptedLog(3);
    for (let i = 0; i < 5; i++)
      log.record({
        wamid: `w${i}`,
        to: `+4477009000${i % 2}`,
        waId: `4477009000${i % 2}`,
        callbackData: `m${i % 4}`,
        atMs: i,
      });
    expect(log.count).toBe(5);
    expect(log.list().map((e) => e.wamid)).toEqual(['w2', 'w3', 'w4']);
    expect(log.list(1, 1).map((e) => e.wamid)).toEqual(['w3']);
    expect(log.duplicateCallbackData()).toEqual([{ callbackData: 'm0', count: 2 }]);
    expect(log.duplicates).toBe(1);
    expect(log.lastWamidTo('44770090001')).toBe('w3');
    log.clear(0);
    log.record({ wamid: 'x', to: '+1', waId: '1', callbackData: undefined, atMs: 0 });
    expect([log.count, log.list().length]).toEqual([1, 0]);
  });
});

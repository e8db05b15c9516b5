import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.ts';

describe('EventQueue', () => {
  it('answers items in due order, never before they are due', () => {
    const queue = new EventQueue<string>(1000, 10);
    queue.add(1025, 'c');
    queue.add(1001, 'a');
    queue.add(1015, 'b');
    const out: string[] = [];
    queue.drainDue(1005, out);
    expect(out).toEqual([]);
    queue.drainDue(1019, out);
    expect(out).toEqual(['a', 'b']);
    expect(queue.size).toBe(1);
    queue.drainDue(1030, out);
    expect(out).toEqual(['a', 'b', 'c']);
  });

  it('survives a clock that jumps a day ahead', () => {
    const queue = new EventQueue<number>(0, 10);
    for (let i = 0; i < 100; i++) queue.add(i * 1000, i);
    const out: number[] = [];
    queue.drainDue(86_400_000, out);
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i));
    queue.add(5, 999);
    queue.drainDue(86_400_020, out);
    expect(out.at(-1)).toBe(999);
  });
});

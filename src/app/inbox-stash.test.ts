import { describe, expect, it } from 'vitest';
import type { StatusEventInput } from '../store/status-events-repo.ts';
import { GROUP_EVENTS_LIMIT, InboxStash } from './inbox-stash.ts';

const event = (wamid: string): StatusEventInput => ({
  wamid,
  status: 'delivered',
  occurredAt: 1_000,
  callbackData: null,
  error: null,
  pricing: null,
  raw: {},
});

/** A stash over a store that records each row it is given, and fails while `failing` is set. */
function recordingStash() {
  const rows: { wamids: string[]; receivedAt: number }[] = [];
  const state = { failing: false };
  const stash = new InboxStash(async (events, receivedAt) => {
    await Promise.resolve();
    if (state.failing) throw new Error('disk full');
    rows.push({ wamids: events.map((e) => e.wamid), receivedAt });
  });
  return { stash, rows, state };
}

describe('InboxStash', () => {
  it('stores the events of POSTs that arrive in one turn as one row, each answered once it is stored', async () => {
    const { stash, rows } = recordingStash();
    const answered: string[] = [];
    const first = stash.add([event('a'), event('b')], 10).then(() => answered.push(`first after ${rows.length} row`));
    const second = stash.add([event('c')], 11).then(() => answered.push(`second after ${rows.length} row`));
    expect(rows).toEqual([]);
    await Promise.all([first, second]);
    expect(rows).toEqual([{ wamids: ['a', 'b', 'c'], receivedAt: 10 }]);
    expect(answered).toEqual(['first after 1 row', 'second after 1 row']);
  });

  it('starts a new row in a later turn, and for a POST that would take a row past the limit', async () => {
    const { stash, rows } = recordingStash();
    await stash.add([event('a')], 1);
    await stash.add([event('b')], 2);
    const almostFull = Array.from({ length: GROUP_EVENTS_LIMIT - 1 }, (_, i) => event(`f${i}`));
    await Promise.all([stash.add(almostFull, 3), stash.add([event('g')], 4), stash.add([event('h'), event('i')], 5)]);
    expect(rows.map((row) => row.wamids.length)).toEqual([1, 1, GROUP_EVENTS_LIMIT, 2]);
    expect(rows.map((row) => row.receivedAt)).toEqual([1, 2, 3, 5]);
    expect(rows[2]?.wamids.at(-1)).toBe('g');
  });

  it('fails every POST of a row that could not be stored, and stores the next turn as before', async () => {
    const { stash, rows, state } = recordingStash();
    state.failing = true;
    const outcomes = await Promise.allSettled([stash.add([event('a')], 1), stash.add([event('b')], 1)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    state.failing = false;
    await stash.add([event('c')], 2);
    expect(rows).toEqual([{ wamids: ['c'], receivedAt: 2 }]);
  });

  it('answers a POST with no status to stash at once, storing nothing', async () => {
    const { stash, rows } = recordingStash();
    await stash.add([], 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(rows).toEqual([]);
  });
});

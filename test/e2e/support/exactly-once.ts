// The end of every fault suite: each consented contact accepted by the simulator exactly once, and
// the campaign's counts adding up with nothing left in flight and nothing failed.
import { expect } from 'vitest';
import type { AcceptedMessage } from '../../../src/simulator/types.ts';
import { type CampaignState, countBy } from './campaign-run.ts';

/** Asserts nothing was lost and nothing sent twice, counted from the simulator's accepted sends per recipient. */
export function expectEachSentOnce(
  accepted: readonly AcceptedMessage[],
  phones: readonly string[],
  final: CampaignState,
  skipped = 0,
): void {
  const perCallback = countBy([...accepted], (m) => m.callbackData ?? '(none)');
  expect(
    [...perCallback].filter(([, n]) => n > 1),
    'callback data accepted twice',
  ).toEqual([]);
  const perPhone = countBy([...accepted], (m) => `+${m.to.replace(/\D/g, '')}`);
  expect(
    [...perPhone].filter(([, n]) => n > 1),
    'recipients sent twice',
  ).toEqual([]);
  expect(
    phones.filter((p) => !perPhone.has(p)),
    'recipients never sent',
  ).toEqual([]);
  expect(perPhone.size).toBe(phones.length);
  const count = (...statuses: string[]) => statuses.reduce((sum, s) => sum + (final.counts[s] ?? 0), 0);
  expect(final.total).toBe(phones.length + skipped);
  expect(count('skipped')).toBe(skipped);
  expect(count('pending', 'sending', 'failed')).toBe(0);
  expect(count('accepted', 'sent', 'delivered', 'read')).toBe(phones.length);
}

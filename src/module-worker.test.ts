import { expect, it } from 'vitest';
import { RunAheadCredits } from './module-worker.ts';

it('lets a worker run only so many items ahead of its reader', async () => {
  const credits = new RunAheadCredits(2);
  await credits.take();
  await credits.take();
  let isThirdTaken = false;
  const third = credits.take().then(() => {
    isThirdTaken = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(isThirdTaken).toBe(false);
  credits.give();
  await third;
  expect(isThirdTaken).toBe(true);
});

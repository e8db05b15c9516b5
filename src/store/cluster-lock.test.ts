import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExclusively } from './cluster-lock.ts';
import { openDatabase } from './db.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

describe('work run exclusively across processes on postgres', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(async () => test.drop());

  it('lets one of two processes run the work while the other skips it, then frees it', async () => {
    // A second pool stands for a second process.
    const other = openDatabase(test.target);
    try {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let running = 0;
      const first = runExclusively(test.database, 'test.job', async () => {
        running++;
        await held;
      });
      while (running === 0) await new Promise((r) => setTimeout(r, 5));
      expect(await runExclusively(other, 'test.job', async () => void running++)).toBe(false);
      release();
      expect(await first).toBe(true);
      expect(await runExclusively(other, 'test.job', async () => void running++)).toBe(true);
      expect(running).toBe(2);
    } finally {
      await other.close();
    }
  });
});

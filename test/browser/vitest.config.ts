import { defineConfig } from 'vitest/config';

// The dashboard in a real Chromium against a real Chorus process: `npm run test:browser`, apart
// from `npm test` so that one passes on a machine without a browser.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // One browser and one server at a time: the machine has two cores.
    fileParallelism: false,
    reporters: ['default'],
  },
});

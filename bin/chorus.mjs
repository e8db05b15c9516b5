#!/usr/bin/env node
// The `chorus` command. It runs the compiled build in dist/ (made by `npm install`, or
// `npm run build`) when that build is at least as new as every source file, and otherwise the
// TypeScript sources through tsx, so an edit never runs stale code.
import { isBuildFresh } from './build-freshness.mjs';

if (isBuildFresh()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

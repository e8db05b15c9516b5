#!/usr/bin/env node
// The `chorus` command. It runs the compiled build in dist/ (made by `npm install`, or
// `npm run build`) when that build is at least as new as every source file, and otherwise the
// TypeScript sources through tsx, so an edit never runs stale code.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/.tsbuildinfo`;

function isBuildFresh() {
  let builtAt;
  try {
    builtAt = fs.statSync(stamp).mtimeMs;
  } catch {
    return false;
  }
  for (const entry of fs.readdirSync(`${root}src`, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    if (fs.statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs > builtAt) return false;
  }
  return true;
}

if (isBuildFresh()) {
  await import('../dist/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

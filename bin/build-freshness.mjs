// Whether dist/ (made by `npm run build`) is at least as new as every source file, so running it
// never runs stale code. Shared by `chorus` and the benchmarks that run the compiled build.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** True when dist/ was built after the last change to any source file the build compiles. */
export function isBuildFresh() {
  let builtAt;
  try {
    builtAt = fs.statSync(`${root}dist/.tsbuildinfo`).mtimeMs;
  } catch {
    return false;
  }
  for (const entry of fs.readdirSync(`${root}src`, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || isTestOnly(entry.name)) continue;
    if (fs.statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs > builtAt) return false;
  }
  return true;
}

// Tests (`*.test.ts`) and their support (`testing.ts`, `*.testing.ts`) stay out of the build
// (tsconfig.build.json), so editing them never makes dist/ stale.
function isTestOnly(name) {
  return name.endsWith('.test.ts') || name === 'testing.ts' || name.endsWith('.testing.ts');
}

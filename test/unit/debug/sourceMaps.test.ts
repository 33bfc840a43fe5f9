// The source-map index against a real esbuild bundle: an entry written here, bundled with esbuild's
// linked source map (as scripts/build.mjs builds the agents), the generated file read back as the
// oracle for where each TypeScript line went.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { PathMapper } from '../../../src/debug/sourceMaps/pathMapper';
import { scriptPathOf, scriptUrlRegex, SourceMapIndex } from '../../../src/debug/sourceMaps/sourceMapIndex';
import { sourceMapFileOf } from '../../../src/debug/runtime/launchPlan';

const work = mkdtempSync(path.join(tmpdir(), 'labtel-debug-maps-'));
mkdirSync(path.join(work, 'src', 'flows'), { recursive: true });
mkdirSync(path.join(work, 'dist'));
const helper = path.join(work, 'src', 'flows', 'count.ts');
const entry = path.join(work, 'src', 'main.ts');
writeFileSync(helper, [
  '/** Counts a record. */',
  'export function count(record: { src: string }, counts: Map<string, number>): number {',
  '  // a comment line with no code',
  '',
  '  const n = (counts.get(record.src) ?? 0) + 1; // COUNT',
  '  counts.set(record.src, n);',
  '  return n; // RETURN',
  '}',
  '',
].join('\n'));
writeFileSync(entry, "import { count } from './flows/count';\nconst seen = new Map<string, number>();\nconsole.log(count({ src: '203.0.113.0' }, seen)); // CALL\n");
const out = path.join(work, 'dist', 'main.js');
esbuild.buildSync({ entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'cjs', sourcemap: 'linked', logLevel: 'silent' });
const generated = readFileSync(out, 'utf8').split('\n');
const mapFile = sourceMapFileOf(out)!;
const index = new SourceMapIndex(new PathMapper());
const added = index.add(out, readFileSync(mapFile, 'utf8'), mapFile);

/** The 0-based generated line holding `marker`'s statement (comments are dropped by esbuild, so by its code). */
function generatedLine(code: string): number {
  const k = generated.findIndex((l) => l.includes(code));
  assert.ok(k >= 0, `${code} is in the bundle`);
  return k;
}

test('the bundle names its map in its last line, beside it', () => {
  assert.equal(mapFile, `${out}.map`);
});

test('a map\'s sources are known by their absolute workspace paths', () => {
  assert.deepEqual(added.sort(), [entry, helper].sort());
  assert.ok(index.knows(helper) && index.knows(entry));
  assert.equal(index.knows(path.join(work, 'src', 'other.ts')), false);
});

const lines: Array<{ what: string; line: number; code: string; landsOn: number }> = [
  { what: 'a line with code', line: 5, code: 'const n = (counts.get(record.src) ?? 0) + 1', landsOn: 5 },
  { what: 'a return', line: 7, code: 'return n;', landsOn: 7 },
  { what: 'a comment line (moves down to the next code)', line: 3, code: 'const n = (counts.get(record.src) ?? 0) + 1', landsOn: 5 },
  { what: 'a line in the entry', line: 3, code: 'console.log(count(', landsOn: 3 },
];
for (const c of lines) {
  test(`a breakpoint on ${c.what} goes to the bundle line that runs it`, () => {
    const file = c.line === 3 && c.code.startsWith('console') ? entry : helper;
    const g = index.generatedFor(file, c.line)!;
    assert.equal(g.line, c.landsOn);
    assert.equal(g.locations.length, 1);
    assert.equal(g.locations[0]!.script, out);
    assert.equal(g.locations[0]!.line0, generatedLine(c.code));
  });
}

test('a paused place in the bundle maps back to the TypeScript file and line (both ways agree)', () => {
  for (const [code, line] of [['return n;', 7], ['counts.set(record.src, n)', 6], ['console.log(count(', 3]] as const) {
    const line0 = generatedLine(code);
    const column0 = generated[line0]!.indexOf(code.split('(')[0]!);
    const o = index.originalFor(out, line0, column0)!;
    assert.equal(o.line, line, code);
    assert.equal(o.path, code.startsWith('console') ? entry : helper);
  }
  assert.equal(index.originalFor('/elsewhere/not-mapped.js', 0, 0), undefined);
});

test('a line past the end of a source has no code to break on', () => {
  assert.deepEqual(index.generatedFor(helper, 400), { line: 400, locations: [] });
});

test('a script URL becomes a path, and the breakpoint regex matches it both as a path and as a file URL', () => {
  assert.equal(scriptPathOf('file:///work/ws/dist/agents/top-talkers.js'), '/work/ws/dist/agents/top-talkers.js');
  assert.equal(scriptPathOf('/work/ws/dist/x.js'), '/work/ws/dist/x.js');
  assert.equal(scriptPathOf('node:internal/main/run_main_module'), undefined);
  const re = new RegExp(scriptUrlRegex('/work/ws (1)/dist/a.js'));
  assert.ok(re.test('/work/ws (1)/dist/a.js') && re.test('file:///work/ws (1)/dist/a.js'));
  assert.ok(!re.test('/work/ws (1)/dist/a.jsx') && !re.test('/work/ws (1)/dist/aXjs'));
});

test('path mapping: a node that sees the workspace under another root (a bind mount) maps both ways; others are left alone', () => {
  const m = new PathMapper([{ remote: '/labtel', local: '/home/me/labtel' }, { remote: '/labtel/dist', local: '/home/me/build' }]);
  assert.equal(m.toLocal('/labtel/src/flows/x.ts'), '/home/me/labtel/src/flows/x.ts');
  assert.equal(m.toLocal('/labtel/dist/agents/a.js'), '/home/me/build/agents/a.js', 'the longest prefix wins');
  assert.equal(m.toRemote('/home/me/labtel/src/flows/x.ts'), '/labtel/src/flows/x.ts');
  assert.equal(m.toLocal('/usr/lib/node.js'), '/usr/lib/node.js');
  assert.equal(m.toLocal('/labtelx/a.ts'), '/labtelx/a.ts', 'a prefix is a whole directory');
});

test.after(() => rmSync(work, { recursive: true, force: true }));

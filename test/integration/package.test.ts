// `npm run package` makes a .vsix a user can install: under 5 MB, holding the bundles, grammars,
// snippets, icons, the lab files and the native `cap` addon the agents load, and nothing a user does
// not need (sources, tests, caches, benchmarks, source maps, the lab's runtime state).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/corpus';

const vsix = path.join(repoRoot, 'labtel.vsix');
const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');

// Runtime state a deployed lab can leave in lab/ (containerlab's clab-<lab>/ folder, logs, pid files,
// topology backups): written for the test, removed after, and never packaged.
const runtimeState = ['lab/clab-labtel-package-test/ansible-inventory.yml', 'lab/labtel-package-test.log',
  'lab/labtel-package-test.pid', 'lab/labtel-package-test.clab.yml.bak'];

// What a user needs: every one of these must be in the package.
const required = [
  'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/extension.js', 'dist/chunks/yaml.js', 'dist/chunks/languageclient.js', 'dist/chunks/debugSession.js', 'dist/chunks/bpf.js', 'dist/server.js', 'dist/cli.js', 'bin/labtel.js',
  'syntaxes/pcap-filter.tmLanguage.json', 'syntaxes/bpf-asm.tmLanguage.json', 'snippets/pcap-filter.code-snippets',
  'media/icons/labtel.svg', 'node_modules/cap/package.json', 'node_modules/cap/lib/Cap.js',
  'node_modules/cap/build/Release/cap.node',
];

// Path pattern → why no packaged file may match it.
const forbidden: Array<[RegExp, string]> = [
  [/^src\//, 'TypeScript sources'],
  [/^test\//, 'tests'],
  [/^test-results\//, 'test output'],
  [/^out\//, 'the test build'],
  [/^bench\//, 'benchmarks'],
  [/^scripts\//, 'build scripts'],
  [/^\.(cache|vscode|ci|git)\//, 'caches and tooling folders'],
  [/\.map$/, 'source maps'],
  [/\.ts$/, 'TypeScript'],
  [/^node_modules\/(?!cap\/)/, 'JavaScript dependencies (they are bundled into dist/)'],
  [/^node_modules\/cap\/(src|deps|test|build\/Release\/obj\.target|binding\.gyp)/, 'the cap addon\'s sources and objects'],
  [/^lab\/clab-/, 'containerlab runtime state'],
  [/^lab\/.*\.(log|pid|bak)$/, 'lab runtime state'],
];

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('npm run package', () => {
  let listed: string[] = [];

  before(() => {
    for (const f of runtimeState) {
      mkdirSync(path.dirname(path.join(repoRoot, f)), { recursive: true });
      writeFileSync(path.join(repoRoot, f), 'left by a lab run\n');
    }
    rmSync(vsix, { force: true });
    run('npm', ['run', '--silent', 'package']);
    listed = run(vsce, ['ls']).split('\n').map((l) => l.trim()).filter(Boolean);
  });

  after(() => {
    for (const f of runtimeState) rmSync(path.join(repoRoot, f), { force: true });
    rmSync(path.join(repoRoot, 'lab', 'clab-labtel-package-test'), { recursive: true, force: true });
  });

  test('produces labtel.vsix under 5 MB', () => {
    const size = statSync(vsix).size;
    assert.ok(size > 10_000, `labtel.vsix is only ${size} bytes`);
    assert.ok(size < 5 * 1024 * 1024, `labtel.vsix is ${(size / 1024 / 1024).toFixed(2)} MB`);
  });

  test('vsce ls lists everything a user needs', () => {
    assert.deepEqual(required.filter((f) => !listed.includes(f)), []);
  });

  for (const [pattern, what] of forbidden) {
    test(`vsce ls lists none of: ${what}`, () => {
      assert.deepEqual(listed.filter((f) => pattern.test(f)), []);
    });
  }

  test('the lab files in the repository are packaged, the runtime state written beside them is not', () => {
    const tracked = run('git', ['ls-files', 'lab']).split('\n').filter(Boolean);
    assert.deepEqual(tracked.filter((f) => !listed.includes(f)), []);
    assert.deepEqual(runtimeState.filter((f) => listed.includes(f)), []);
  });
});

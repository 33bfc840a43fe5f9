import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { commands } from '../../src/cli/commands/index';

function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => { out.push(a.join(' ')); };
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  return fn().then((code) => ({ code, out: out.join('\n'), err: err.join('\n') })).finally(() => {
    console.log = log;
    console.error = error;
  });
}

test('labtel --help lists the usage and exits 0', async () => {
  const r = await capture(() => main(['--help']));
  assert.equal(r.code, 0);
  assert.match(r.out, /usage: labtel <command>/);
});

test('labtel with an unknown command names it and exits 2', async () => {
  const r = await capture(() => main(['frobnicate']));
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command "frobnicate"/);
});

test('labtel --version prints the package version', async () => {
  const r = await capture(() => main(['--version']));
  assert.equal(r.code, 0);
  assert.match(r.out, /^\d+\.\d+\.\d+$/);
});

test('a -h after -- belongs to the program run in a node, not to labtel', async () => {
  const seen: string[][] = [];
  commands.push({ name: 'probe-args', summary: '', usage: 'probe-args usage', run: async (argv) => { seen.push(argv); return 0; } });
  try {
    const r = await capture(() => main(['probe-args', 'r1', '--', 'ip', '-h']));
    assert.equal(r.code, 0);
    assert.deepEqual(seen, [['r1', '--', 'ip', '-h']]);
    const h = await capture(() => main(['probe-args', '-h']));
    assert.equal(h.out, 'probe-args usage');
  } finally {
    commands.pop();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { quoteArgv, quoteWord, ShellQuoteError } from '../../../../src/lab/host/posixQuote';
import { hostileArguments, hostileProgramName } from './hostileArguments';

const pwned = '/tmp/labtel-quote-pwned';

/** What a real shell makes of the quoted command line: printf prints each argument it got, NUL-terminated. */
function throughShell(shell: string, argv: readonly string[]): string[] {
  const r = spawnSync(shell, ['-c', quoteArgv(argv)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${shell}: ${r.stderr}`);
  return r.stdout.split('\0').slice(0, -1);
}

for (const shell of ['sh', 'bash']) {
  test(`each hostile argument reaches the program unchanged through ${shell}`, () => {
    rmSync(pwned, { force: true });
    for (const [what, word] of hostileArguments) {
      assert.deepEqual(throughShell(shell, ['printf', '%s\\0', word]), [word], what);
    }
    // All at once, in one command line, as labtel sends them.
    const words = hostileArguments.map(([, w]) => w);
    assert.deepEqual(throughShell(shell, ['printf', '%s\\0', ...words]), words);
    assert.equal(existsSync(pwned), false, 'no word ran a command');
  });
}

test('a program whose name has quotes, spaces and shell operators runs as that name', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-quote-'));
  try {
    const program = path.join(dir, hostileProgramName);
    symlinkSync('/usr/bin/printf', program); // coreutils' printf, not a shell builtin
    assert.deepEqual(throughShell('sh', [program, '%s\\0', 'a b', "c'd"]), ['a b', "c'd"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plain words stay bare, everything else is single-quoted with quotes closed around \\\'', () => {
  const cases: [string, string][] = [
    ['eth1', 'eth1'],
    ['/usr/lib/frr/zebra', '/usr/lib/frr/zebra'],
    ['203.0.113.2:6343', '203.0.113.2:6343'],
    ['--vty_socket', '--vty_socket'],
    ['', "''"],
    ['two words', "'two words'"],
    ["it's", "'it'\\''s'"],
    ['A=b', "'A=b'"],
    ['if', "'if'"],
    ['~', "'~'"],
    ['#x', "'#x'"],
    ['line\nbreak', "'line\nbreak'"],
  ];
  for (const [word, quoted] of cases) assert.equal(quoteWord(word), quoted, JSON.stringify(word));
});

test('a NUL byte or an empty argv is refused with what was wrong', () => {
  assert.throws(() => quoteArgv(['printf', 'a\0b']), (e: Error) => e instanceof ShellQuoteError && /argument 1 contains a NUL byte/.test(e.message));
  assert.throws(() => quoteArgv([]), ShellQuoteError);
});

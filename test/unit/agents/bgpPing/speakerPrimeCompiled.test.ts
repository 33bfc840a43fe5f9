// Priming is only worth its start-up time if what V8 compiles while priming survives the first real
// session: code thrown away ("deoptimized") at the first probes runs interpreted for hundreds of probes
// more, hours at the book's 10 s interval, and a responder's turnaround is part of every RTT it answers.
// V8 says what it throws away under --trace-deopt; this reads that for the functions between a probe's
// read and its reply's write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../../helpers/corpus';

/** The functions between a probe's read and its reply's write (src/bgp, src/agents/bgpPing, src/protocols/bgp) that priming compiles. */
const replyPath = ['push', 'messageLength', 'decodeHeader', 'replyBytes', 'reply', 'findAttribute', 'attributeValueStart', 'attributeValueEnd', 'isProbeRequestFrom', 'copyOf', 'reuse'];

test('priming: what V8 compiles for the reply path is not thrown away at the first real probes', () => {
  const r = spawnSync(process.execPath, ['--trace-deopt', '--import', 'tsx', path.join(repoRoot, 'test', 'fixtures', 'bgp-ping', 'primedResponder.ts'), '40'], { encoding: 'utf8', timeout: 60_000, cwd: repoRoot });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const primedAt = lines.indexOf('primed');
  assert.ok(primedAt >= 0, 'the fixture reports the end of priming');
  assert.match(lines.find((l) => l.startsWith('answered')) ?? '', /^answered 40 early 39$/);
  // "[bailout (kind: deopt-eager, reason: wrong map): begin. deoptimizing 0x… <JSFunction replyBytes (sfi = 0x…)>, …"
  const after = lines.slice(primedAt).map((l) => /deoptimizing \S+ <JSFunction (\S+) /.exec(l)?.[1]).filter((n): n is string => n !== undefined);
  const before = lines.slice(0, primedAt).filter((l) => l.includes('bailout')).length;
  assert.deepEqual(after.filter((n) => replyPath.includes(n)), [], `thrown away after priming: ${after.join(', ')} (and ${before} deoptimizations while priming)`);
});

// capture --read FILE --filter EXPR: the agent reads only the frames the filter accepts (compiled by labtel),
// so the frames it handles (sFlow datagrams plus other frames) are exactly those `tcpdump -r FILE EXPR` prints;
// a bad filter is one clear error naming its position.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets, tcpdumpAccepts } from '../../helpers/tcpdump';

const file = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap');

function capture(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'agents', 'capture.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

for (const filter of ['udp port 6343', 'tcp', 'src host 203.0.113.9', 'ip6 and udp', 'vlan and udp port 6343']) {
  test(`capture --read --filter '${filter}' handles exactly the frames tcpdump -r accepts`, (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    const want = tcpdumpAccepts(file, filter, readPackets(file)).length;
    const r = capture(['--read', file, '--filter', filter, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const m = /capture: (\d+) datagrams, \d+ samples, \d+ records, \d+ malformed, (\d+) other frames/.exec(r.err);
    assert.ok(m, r.err);
    assert.equal(Number(m[1]) + Number(m[2]), want);
  });
}

test('capture --read with a bad --filter exits 2 naming the position and what was expected', () => {
  const r = capture(['--read', file, '--filter', 'host and tcp']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^--filter "host and tcp": 1:6: expected a host address after 'host', found 'and'\n/);
  assert.equal(r.out, '');
});

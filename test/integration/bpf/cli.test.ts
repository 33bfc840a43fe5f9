// `labtel bpf compile|test` as a user runs it, against tcpdump for the same expression and file, and its
// error path: one line naming the position, exit status 2, no stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets, tcpdumpAccepts } from '../../helpers/tcpdump';

const ethernet = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap');
const raw = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied-raw.pcap');

function labtel(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'main.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("bpf compile prints the book's 'ip and udp' exactly as tcpdump -d does", (t) => {
  if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
  const want = spawnSync('tcpdump', ['-r', ethernet, '-d', 'ip and udp'], { encoding: 'utf8' }).stdout;
  const r = labtel(['bpf', 'compile', 'ip', 'and', 'udp']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, want);
  assert.equal(labtel(['bpf', 'compile', '-d', 'ip and udp']).out, want);
});

test('bpf compile -dd, -ddd, --go and --ts print the same program in each form', () => {
  const ddd = labtel(['bpf', 'compile', '-ddd', 'ip and udp']).out;
  assert.equal(ddd, '6\n40 0 0 12\n21 0 3 2048\n48 0 0 23\n21 0 1 17\n6 0 0 262144\n6 0 0 0\n');
  assert.match(labtel(['bpf', 'compile', '-dd', 'ip and udp']).out, /^\{ 0x28, 0, 0, 0x0000000c \},\n\{ 0x15, 0, 3, 0x00000800 \},/);
  const go = labtel(['bpf', 'compile', '--go', 'ip and udp']).out;
  assert.match(go, /bpf\.LoadAbsolute\{Off: 12, Size: 2\},\n\tbpf\.JumpIf\{Cond: bpf\.JumpEqual, Val: 0x800, SkipFalse: 3\},/);
  assert.match(go, /bpf\.RetConstant\{Val: 262144\},\n\tbpf\.RetConstant\{Val: 0\},\n\}\n$/);
  assert.match(labtel(['bpf', 'compile', '--ts', 'ip and udp']).out, /^const program: Instruction\[\] = \[\n {2}\{ code: 0x28, jt: 0, jf: 0, k: 0xc \},/);
});

test('bpf compile --linktype raw checks the IP version nibble instead of an EtherType', (t) => {
  if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
  const r = labtel(['bpf', 'compile', '--linktype', 'raw', 'ip']);
  assert.equal(r.out, spawnSync('tcpdump', ['-r', raw, '-d', 'ip'], { encoding: 'utf8' }).stdout);
});

const frameCases: Array<[string, string]> = [
  ['tcp port 179', ethernet],
  ['vlan and udp', ethernet],
  ['ip6 and not icmp6', raw],
  ['udp port 6343', raw],
];
for (const [expression, file] of frameCases) {
  test(`bpf test ${path.basename(file)} '${expression}' lists the frames tcpdump -r prints`, (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    const packets = readPackets(file);
    const want = tcpdumpAccepts(file, expression, packets).map((i) => i + 1);
    assert.ok(want.length > 0);
    const r = labtel(['bpf', 'test', file, ...expression.split(' ')]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, want.map((n) => `${n}\n`).join(''));
    const json = JSON.parse(labtel(['bpf', 'test', '--json', file, expression]).out) as { packets: number; matches: number[] };
    assert.deepEqual(json, { packets: packets.length, matches: want });
  });
}

const mistakes: Array<[string[], string]> = [
  [['compile', 'host', 'and', 'tcp'], "labtel bpf: 1:6: expected a host address after 'host', found 'and'\n"],
  [['compile', 'tcp port'], "labtel bpf: 1:9: expected a port number or name after 'port', found the end of the expression\n"],
  [['compile', 'vlan 4096'], 'labtel bpf: 1:6: VLAN tag 4096 greater than maximum 4095\n'],
  [['compile', 'ip and not ip'], 'labtel bpf: 1:1: expression rejects all packets\n'],
  [['compile', 'tcp @ udp'], "labtel bpf: 1:5: illegal token: @\n"],
  [['test', ethernet, 'port 80 or'], "labtel bpf: 1:11: expected a filter primitive after 'or', found the end of the expression\n"],
];
for (const [args, message] of mistakes) {
  test(`bpf ${args.join(' ')} exits 2 with one line naming the position`, () => {
    const r = labtel(['bpf', ...args]);
    assert.equal(r.code, 2);
    assert.equal(r.err, message);
    assert.equal(r.out, '');
  });
}

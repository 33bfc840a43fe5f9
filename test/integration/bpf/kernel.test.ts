// The interpreter agrees with the kernel: labtel-compiled programs attached with SO_ATTACH_FILTER to an
// AF_PACKET socket on one end of a veth pair, in a network namespace the test creates; the generated frames are
// sent through the other end, and the frames that reach the socket must be exactly those labtel's interpreter
// accepts. Frames with an 802.1Q/802.1ad tag are left out: the kernel takes the tag out of the frame on
// receive (skb_vlan_untag) before packet sockets see it, which is live-capture semantics, not a savefile's.
// Frames shorter than an Ethernet header cannot be sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets } from '../../helpers/tcpdump';
import { accepts, compile, toDecimal } from '../../../src/bpf';

const FILTERS = [
  'ip and udp', 'tcp port 179', 'udp port 6343', 'ip6 and tcp', 'icmp or icmp6', 'arp', 'host 192.0.2.1', 'net 2001:db8::/32',
  'tcp[tcpflags] & tcp-syn != 0', 'tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn', 'ip[6:2] & 0x1fff != 0', 'portrange 1-1023',
  'mpls', 'mpls 100 and mpls 200', 'pppoes and ip', 'ether broadcast', 'ether multicast and not ip6', 'ip multicast',
  'len > 100', 'less 60', 'ip[2:2] - ((ip[0] & 0xf) << 2) > 20', 'udp[8:4] = 5', 'not ip and not ip6', 'ether proto 0x88cc',
  'ip[9] % 5 = 1', 'len / 0x10 > 4', 'ether[0] & 1 = 0 and ip6',
  // 802.2 LLC, SNAP and the legacy LANs; Geneve, whose offsets live in scratch registers the checker tracks.
  'llc', 'llc u', 'llc s or llc i', 'stp', 'isis', 'l1', 'iso proto 0x81', 'ipx', 'atalk or aarp', 'decnet host 10.15', 'lat or mopdl',
  'geneve', 'geneve and ip', 'geneve 7 and udp port 53', 'geneve and ether host aa:bb:cc:dd:ee:01', 'geneve and vlan 100 and udp',
  'geneve and tcp[13] = 2', 'geneve and ip[ip[0] & 0xf] = 0',
];
const VLAN_TPIDS = new Set([0x8100, 0x88a8, 0x9100]);
const NS = `labtel-bpf-k${process.pid}`;

const sh = (cmd: string, args: string[]): void => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
};

test('labtel programs attached with SO_ATTACH_FILTER let through exactly the frames the interpreter accepts', (t) => {
  if (!requirePrereqs(t, { root: true, tools: ['ip', 'python3'] })) return;
  const frames = readPackets(path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap'))
    .map((p) => p.data)
    .filter((d) => d.length >= 14 && !VLAN_TPIDS.has((d[12]! << 8) | d[13]!));
  const work = mkdtempSync(path.join(tmpdir(), 'labtel-bpf-kernel-'));
  try {
    const framesFile = path.join(work, 'frames.bin');
    writeFileSync(framesFile, Buffer.concat(frames.flatMap((f) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(f.length);
      return [len, Buffer.from(f)];
    })));
    const programs = FILTERS.map((f) => compile(f));
    const programsFile = path.join(work, 'programs.txt');
    writeFileSync(programsFile, programs.map((p) => toDecimal(p).trim().split('\n').join(',')).join('\n') + '\n');
    sh('ip', ['netns', 'add', NS]);
    try {
      sh('ip', ['-n', NS, 'link', 'add', 'bpfa', 'type', 'veth', 'peer', 'name', 'bpfb']);
      // No IPv6 on the pair: the kernel would send router solicitations and MLD reports of its own.
      for (const key of ['all', 'default']) sh('ip', ['netns', 'exec', NS, 'sysctl', '-qw', `net.ipv6.conf.${key}.disable_ipv6=1`]);
      for (const dev of ['bpfa', 'bpfb']) {
        sh('ip', ['netns', 'exec', NS, 'sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
        sh('ip', ['-n', NS, 'link', 'set', dev, 'up']);
      }
      const helper = path.join(__dirname, 'helpers', 'kernel_filter.py');
      const r = spawnSync('ip', ['netns', 'exec', NS, 'python3', helper, 'bpfb', 'bpfa', programsFile, framesFile], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      const kernel = JSON.parse(r.stdout) as number[][];
      const disagreements: string[] = [];
      FILTERS.forEach((f, i) => {
        const predicted = frames.flatMap((d, j) => (accepts(programs[i]!, d) ? [j] : []));
        if (predicted.join() !== kernel[i]!.join()) disagreements.push(`'${f}': interpreter [${predicted}], kernel [${kernel[i]}]`);
      });
      assert.deepEqual(disagreements, []);
      // The filters are not vacuous: together they let some frames through and hold others back.
      const total = kernel.reduce((n, k) => n + k.length, 0);
      assert.ok(total > 50 && total < FILTERS.length * frames.length, `${total} frames received in all`);
    } finally {
      spawnSync('ip', ['netns', 'del', NS]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

// labtel against libpcap (Debian's tcpdump) on random expressions: terms drawn from every primitive family the
// captures exercise (protocols, hosts, nets, ports and port ranges, Ethernet addresses, lengths, byte accessors,
// VLAN/MPLS/PPPoE/Geneve) joined by and/or with `not` and parentheses, from a seeded generator so every run
// checks the same expressions. On full frames libpcap's optimiser cannot change a verdict; on frames shorter
// than a load it can (a load past the captured bytes rejects the packet), so short.pcap cuts a frame of each
// kind to every length from 0 to 60 bytes. The same accept/refuse decision and, when accepted, the same frames
// as `tcpdump -r`, on the Ethernet, raw-IP and short captures.
//
// BPF_RANDOM_SEED and BPF_RANDOM_COUNT explore other expressions; the committed run uses the defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets } from '../../helpers/tcpdump';
import { seededRandom } from '../../helpers/seededRandom';
import { describe, inParallel, labtel, libpcapAgainst, same, type Verdict } from './helpers/verdicts';
import { GENERATED_CAPTURES as captures } from './helpers/generatedCaptures';

const TERMS = [
  // Protocols, at each layer.
  'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'icmp', 'icmp6', 'sctp', 'igmp', 'pim', 'ip proto 6', 'ip6 proto 17',
  'ip proto \\udp', 'ether proto 0x88cc', 'ether proto \\arp', 'protochain 6', 'llc', 'stp', 'ipx', 'atalk', 'iso', 'isis', 'l1',
  // Hosts and networks.
  'host 192.0.2.1', 'src host 192.0.2.2', 'dst host 203.0.113.9', 'host 2001:db8::1', 'dst host 2001:db8::2',
  'net 192.0.2.0/24', 'src net 198.51.100.0/24', 'net 2001:db8::/32', 'arp host 192.0.2.1', 'decnet host 10.15',
  'ip host 198.51.100.7', 'ip6 net 2001:db8:1::/48',
  // Ports.
  'port 80', 'tcp port 80', 'udp port 53', 'port 179', 'src port 40000', 'dst port 6343', 'tcp dst port 443',
  'portrange 1-100', 'udp portrange 6000-7000', 'ip6 and port 53', 'sctp port 5672',
  // Link layer.
  'ether broadcast', 'ether multicast', 'ether host aa:bb:cc:dd:ee:01', 'ether src 02:00:5e:00:01:fe',
  'ether dst ff:ff:ff:ff:ff:ff', 'ip multicast', 'ip broadcast', 'ip6 multicast', 'broadcast',
  // Lengths.
  'len > 100', 'len < 60', 'len = 42', 'greater 64', 'less 50', 'len >= 14',
  // Byte accessors and arithmetic.
  'ip[9] = 6', 'ip[6:2] & 0x1fff = 0', 'ip[0] & 0xf > 5', 'tcp[13] = 2', 'tcp[tcpflags] & tcp-syn != 0',
  'udp[2:2] = 53', 'icmp[icmptype] = icmp-echo', 'ether[0] & 1 != 0', 'ether[12:2] = 0x800', 'ip6[6] = 58',
  'icmp6[icmp6type] = icmp6-echo', 'tcp[0:2] > 1024', 'ether[20] = 6', 'ip[2:2] - 20 > 30', 'udp[8] = 0',
  'ether[14:4] = 0', 'ip[8] < 2', 'len - 14 > 40', '1 = 1', '2 > 3',
  // Encapsulations: they move the offsets of what follows them.
  'vlan', 'vlan 100', 'vlan 200', 'mpls', 'mpls 16', 'mpls 100', 'pppoes', 'pppoed', 'geneve',
];

const MIN_TERMS = 2;
const MAX_TERMS = 4;

/** A random expression of `terms` terms: a tree of and/or, each side maybe negated or parenthesised. */
function expression(random: () => number, terms: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const build = (n: number): string => {
    if (n === 1) return random() < 0.2 ? `not ${pick(TERMS)}` : pick(TERMS);
    const left = 1 + Math.floor(random() * (n - 1));
    const join = pick(['and', 'or', 'and', 'or', '&&', '||']);
    const wrap = (e: string, m: number): string => (m > 1 && random() < 0.5 ? (random() < 0.3 ? `not (${e})` : `(${e})`) : e);
    return `${wrap(build(left), left)} ${join} ${wrap(build(n - left), n - left)}`;
  };
  return build(terms);
}

const seed = Number(process.env.BPF_RANDOM_SEED ?? 15);
const count = Number(process.env.BPF_RANDOM_COUNT ?? 2000);
// The same seed gives the same expressions on every run.
const random = seededRandom(seed);
const expressions = [...new Set(Array.from({ length: count }, () => expression(random, MIN_TERMS + Math.floor(random() * (MAX_TERMS - MIN_TERMS + 1)))))];

/** Where two verdicts differ: the decision, or the 1-based frames only one side accepts. */
function difference(want: Verdict, got: Verdict): string {
  if ((want.error === undefined) !== (got.error === undefined)) return `libpcap ${describe(want)}; labtel ${describe(got)}`;
  const only = (a: number[], b: number[]): number[] => a.filter((f) => !b.includes(f)).map((f) => f + 1);
  return `only libpcap accepts [${only(want.frames!, got.frames!)}], only labtel accepts [${only(got.frames!, want.frames!)}]`;
}


for (const { file, linkType } of captures) {
  test(`labtel and tcpdump agree on ${expressions.length} random expressions (seed ${seed}) over ${path.basename(file)}`, async (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    const packets = readPackets(file);
    const disagreements: string[] = [];
    const unsetMemory: string[] = [];
    let accepted = 0;
    await inParallel(expressions, async (e) => {
      const got = labtel(e, linkType, packets);
      // Where libpcap's program reads scratch memory it did not store, its verdict is taken as on a first frame.
      const { want, unsetMemory: reads } = await libpcapAgainst(file, e, packets, got);
      if (reads) unsetMemory.push(e);
      if (!same(want, got)) disagreements.push(`'${e}': ${difference(want, got)}`);
      else if (want.frames) accepted++;
    });
    if (unsetMemory.length) t.diagnostic(`libpcap's program reads unset scratch memory, compared as on a first frame: ${unsetMemory.join('; ')}`);
    assert.deepEqual(disagreements.sort(), []);
    // The expressions are not mostly refusals (raw IP refuses the link-layer terms, about half of them).
    assert.ok(accepted > expressions.length / 3, `${accepted} of ${expressions.length} compiled by both`);
  });
}

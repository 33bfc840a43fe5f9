// labtel against libpcap (Debian's tcpdump) on expressions built by combining primitives, where what libpcap's
// optimiser can and cannot work out shows: every pair of primitives joined with `and` (contradictions are
// refused as "rejects all packets" exactly when libpcap refuses them), each primitive against its negation,
// and each primitive after every encapsulation (`vlan`, `mpls`, `pppoes`, `geneve`). The same accept/refuse
// decision and, when accepted, the same frames as `tcpdump -r`, on the generated Ethernet and raw-IP captures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets } from '../../helpers/tcpdump';
import { repoRoot } from '../../helpers/corpus';
import type { LinkType } from '../../../src/bpf';
import { describe, inParallel, labtel, libpcap, same } from './helpers/verdicts';

const PRIMITIVES = [
  'ip', 'ip6', 'arp', 'tcp', 'udp', 'icmp', 'tcp port 80', 'portrange 1-100', 'host 192.0.2.1', 'ether broadcast', 'ip multicast',
  'vlan 100', 'mpls 16', 'pppoes', 'ip proto 6', 'protochain 6', 'ip[9] = 6', 'tcp[13] = 2', 'len > 100', 'llc u', 'stp', 'ipx',
  'atalk', 'iso', 'l1', 'decnet host 10.15',
];
const ENCAPSULATIONS = ['vlan and ', 'mpls and ', 'pppoes and ', 'geneve and ', 'geneve 42 and vlan and '];

const expressions = [
  ...PRIMITIVES.flatMap((a) => PRIMITIVES.filter((b) => b !== a).map((b) => `${a} and ${b}`)),
  ...PRIMITIVES.flatMap((a) => [`not ${a} and ${a}`, `${a} or not ${a}`]),
  ...ENCAPSULATIONS.flatMap((e) => PRIMITIVES.map((a) => `${e}${a}`)),
];

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'bpf');
const captures: Array<{ file: string; linkType: LinkType }> = [
  { file: path.join(fixtures, 'varied.pcap'), linkType: 'en10mb' },
  { file: path.join(fixtures, 'varied-raw.pcap'), linkType: 'raw' },
];

for (const { file, linkType } of captures) {
  test(`labtel and tcpdump agree on ${expressions.length} combinations of primitives over ${path.basename(file)}`, async (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    const packets = readPackets(file);
    const disagreements: string[] = [];
    let refused = 0;
    await inParallel(expressions, async (expression) => {
      const want = await libpcap(file, expression, packets);
      const got = labtel(expression, linkType, packets);
      if (!same(want, got)) disagreements.push(`'${expression}': libpcap ${describe(want)}; labtel ${describe(got)}`);
      else if (want.error !== undefined) refused++;
    });
    assert.deepEqual(disagreements.sort(), []);
    // Both decisions occur: the combinations hold contradictions libpcap refuses and ones it compiles.
    assert.ok(refused > 50 && refused < expressions.length - 50, `${refused} of ${expressions.length} refused by both`);
  });
}

// Differential test: every frame of the lab's sampled link (test/fixtures/captures/lab-r3-eth1.pcap: IPv4 and
// IPv6 TCP, UDP, ICMP and ICMPv6 errors, neighbour discovery, BGP) and of the third-party corpus's
// varied-145.pcap (when present) decoded by labtel and by tshark
// (`tshark -r FILE -T json --no-duplicate-keys`, without IP reassembly), compared layer by layer and field by
// field, plus the packet's 5-tuple against tshark's innermost IP and L4 headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { capturePath, corpusPath, corpusSkip } from '../../helpers/corpus';
import type { TestContext } from 'node:test';
import { requirePrereqs } from '../../helpers/tools';
import { parseCapture } from '../../../src/protocols/capture';
import { decodeFrame } from '../../../src/protocols/packet';
import { compareWithTshark } from './tsharkCompare';
import { tsharkFrames } from './tsharkJson';

async function everyFrameLikeTshark(t: TestContext, file: string, minFieldsPerFrame: number): Promise<void> {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  // Without reassembly, so that tshark decodes each fragment on its own as labtel does.
  const frames = tsharkFrames(file, ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE']);
  const packets = [...parseCapture(readFileSync(file))];
  assert.equal(packets.length, frames.length, 'frame count');
  const counter = { fields: 0 };
  for (let i = 0; i < packets.length; i++) {
    const tshark = frames[i]!;
    const stack = tshark.protocols.join(':');
    await t.test(`frame ${i + 1} (${stack})`, () => {
      const p = packets[i]!;
      const decoded = decodeFrame(p.data, p.linkType);
      const differences = compareWithTshark(p.data, decoded, tshark, counter);
      // Known gap, named so it cannot grow unseen: the echo quoted inside an ICMP/ICMPv6 error (tshark shows its
      // identifier and sequence) is not decoded by labtel yet; issue 16's Build item 3 adds it (branch tshark).
      const quotedEcho = /icmp:ip:icmp|icmpv6:ipv6:icmpv6/.test(stack);
      const gaps = differences.filter((d) => quotedEcho && /^icmp(v6)?\.(identifier|sequence): labtel undefined, tshark \d+$/.test(d));
      if (gaps.length) t.diagnostic(`frame ${i + 1}: known gap (quoted echo): ${gaps.join('; ')}`);
      assert.deepEqual(differences.filter((d) => !gaps.includes(d)), []);
      // A frame cut by the capture's snap length may end inside a header; a whole frame may not.
      if (p.data.length === p.originalLength) assert.equal(decoded.truncated, false);
    });
  }
  assert.ok(counter.fields > packets.length * minFieldsPerFrame, `compared ${counter.fields} fields`);
}

test('every frame of the lab\'s sampled link (lab-r3-eth1.pcap) decodes like tshark: layers, fields and 5-tuple', async (t) => {
  await everyFrameLikeTshark(t, capturePath('lab-r3-eth1.pcap'), 10);
});

test('every frame of the third-party bpf/varied-145.pcap decodes like tshark: layers, fields and 5-tuple', { skip: corpusSkip }, async (t) => {
  await everyFrameLikeTshark(t, corpusPath('bpf', 'varied-145.pcap'), 10);
});

// Differential test: every frame of the corpus's varied-145.pcap decoded by labtel and by tshark
// (`tshark -r FILE -T json --no-duplicate-keys`, without IP reassembly), compared layer by layer and field by
// field, plus the packet's 5-tuple against tshark's innermost IP and L4 headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusPath } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { parseCapture } from '../../../src/protocols/capture';
import { decodeFrame } from '../../../src/protocols/packet';
import { compareWithTshark } from './tsharkCompare';
import { tsharkFrames } from './tsharkJson';

test('every frame of bpf/varied-145.pcap decodes like tshark: layers, fields and 5-tuple', async (t) => {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  const file = corpusPath('bpf', 'varied-145.pcap');
  // Without reassembly, so that tshark decodes each fragment on its own as labtel does.
  const frames = tsharkFrames(file, ['-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE']);
  const packets = [...parseCapture(readFileSync(file))];
  assert.equal(packets.length, frames.length, 'frame count');
  const counter = { fields: 0 };
  for (let i = 0; i < packets.length; i++) {
    const tshark = frames[i]!;
    await t.test(`frame ${i + 1} (${tshark.protocols.join(':')})`, () => {
      const p = packets[i]!;
      const decoded = decodeFrame(p.data, p.linkType);
      assert.deepEqual(compareWithTshark(p.data, decoded, tshark, counter), []);
      assert.equal(decoded.truncated, false);
    });
  }
  assert.ok(counter.fields > 145 * 10, `compared ${counter.fields} fields`);
});

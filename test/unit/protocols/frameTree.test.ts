// The capture viewer's per-packet line and detail tree, checked against tshark over the sFlow corpus and over
// frames the corpus's exporters sampled (their raw headers written as an Ethernet capture of their own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCapture } from '../../../src/protocols/capture';
import { frameTree } from '../../../src/protocols/frameTree';
import { summarisePacket } from '../../../src/protocols/packetSummary';
import type { PacketTreeNode } from '../../../src/protocols/packetTree';
import { capturePath, corpusPath, corpusSkip, sflowCaptures } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { tsharkFields } from '../../helpers/tshark';
import { sampledFramesCapture } from '../../helpers/sampledFrames';

const sflowFiles = sflowCaptures();

function find(nodes: readonly PacketTreeNode[], label: string): PacketTreeNode | undefined {
  for (const n of nodes) {
    if (n.label === label) return n;
    const inner = n.children && find(n.children, label);
    if (inner) return inner;
  }
  return undefined;
}

test('each packet\'s source, destination and protocol equal tshark\'s columns (sFlow captures and sampled frames)', (t) => {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-viewer-'));
  try {
    const sampled = path.join(dir, 'sampled-frames.pcap');
    writeFileSync(sampled, sampledFramesCapture());
    let compared = 0;
    for (const file of [...sflowFiles, capturePath('lab-r3-eth1.pcap'), sampled]) {
      const expected = tsharkFields(file, ['_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol']);
      const packets = [...parseCapture(readFileSync(file))];
      assert.equal(packets.length, expected.length, path.basename(file));
      packets.forEach((p, i) => {
        const s = summarisePacket(p.data, p.linkType);
        const [src, dst, proto] = expected[i]!;
        // tshark names an application it recognises on a well-known port (SSH, HTTP …); labtel names the transport.
        const transport = ['TCP', 'UDP'].includes(s.protocol) && !['TCP', 'UDP', 'sFlow'].includes(proto!);
        assert.deepEqual([s.source, s.destination, transport ? proto : s.protocol], [src, dst, proto], `${path.basename(file)} packet ${i + 1}`);
        compared++;
      });
    }
    assert.ok(compared > 1000, `${compared} packets compared`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// sFlow flow-sample fields in the tree, by label → tshark's field.
const flowSampleFields: Array<[label: string, field: string]> = [
  ['Sequence number', 'sflow.flow_sample.sequence_number'],
  ['Index', 'sflow.flow_sample.source_id_index'],
  ['Sampling rate', 'sflow.flow_sample.sampling_rate'],
  ['Sample pool', 'sflow.flow_sample.sample_pool'],
  ['Dropped packets', 'sflow.flow_sample.dropped_packets'],
  ['Input interface (ifIndex)', 'sflow.flow_sample.input_interface'],
  ['Flow record', 'sflow.flow_sample.flow_record'],
  ['Frame Length', 'sflow_245.header.frame_length'],
  ['Sampled header length', 'sflow_245.header.sampled_header_length'],
];

const detailCases: Array<{ name: string; file: () => string; atLeast: number; skip: string | false }> = [
  { name: 'lab-sflow.pcap', file: () => capturePath('lab-sflow.pcap'), atLeast: 100, skip: false },
  { name: 'switch-2011-1000dgrams.pcap', file: () => corpusPath('sflow', 'switch-2011-1000dgrams.pcap'), atLeast: 500, skip: corpusSkip },
];

for (const { name, file: fileOf, atLeast, skip } of detailCases) test(`the detail tree expands sFlow in ${name}: the first flow sample's fields equal tshark's, the sampled header decodes as a packet`, { skip }, (t) => {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  const file = fileOf();
  const expected = tsharkFields(file, flowSampleFields.map(([, f]) => f));
  const packets = [...parseCapture(readFileSync(file))];
  let checked = 0;
  packets.forEach((p, i) => {
    const tree = frameTree(p.data, p.linkType).tree;
    const sflow = tree.find((n) => n.label === 'InMon sFlow');
    assert.ok(sflow, `packet ${i + 1} has an sFlow node`);
    const sample = sflow.children!.find((n) => n.label === 'Flow sample');
    if (!sample) return;
    flowSampleFields.forEach(([label], k) => {
      if (expected[i]![k] === '') return;
      assert.equal(find([sample], label)?.value, expected[i]![k], `packet ${i + 1} ${label}`);
    });
    const header = find([sample], 'Header of sampled packet');
    assert.ok(header?.children?.some((n) => n.label === 'Ethernet II'), `packet ${i + 1}: the sampled header's layers`);
    for (const n of header!.children!) assert.ok(n.start >= header!.start && n.end <= header!.end, `packet ${i + 1}: ${n.label} lies within the sampled header`);
    checked++;
  });
  assert.ok(checked >= atLeast, `${checked} samples checked`);
});

test('decode as: sFlow on another UDP port is expanded only when that port is named', () => {
  const file = capturePath('lab-sflow.pcap');
  const p = [...parseCapture(readFileSync(file))][0]!;
  const moved = p.data.slice();
  moved[36] = 0x27; moved[37] = 0x0f; // UDP destination port 6343 → 9999
  assert.equal(summarisePacket(moved, 1).protocol, 'UDP');
  assert.equal(summarisePacket(moved, 1, { sflowPorts: new Set([9999]) }).protocol, 'sFlow');
  assert.equal(frameTree(moved, 1).tree.some((n) => n.label === 'InMon sFlow'), false);
  assert.equal(frameTree(moved, 1, { sflowPorts: new Set([9999]) }).tree.some((n) => n.label === 'InMon sFlow'), true);
});

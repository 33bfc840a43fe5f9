// The capture agent's flow events carry each raw packet header record's bytes and header_protocol, so the
// Flows panel can decode a row's packet on request. Oracle: tshark's sflow_245.header and
// sflow_245.header_protocol fields for the same datagrams, in record order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { flowEventsOf } from '../../../src/agents/capture';
import { decodeDatagram } from '../../../src/protocols/sflow';
import { captureDatagrams } from '../../helpers/agentProcess';
import { capturePath, corpusPath, corpusSkip } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';

const FRAMES = 30;

/** The project's own lab recording, and third-party corpus files (skipped, naming the folder, when absent). */
const cases: Array<{ file: string; path: () => string; protocols: number[]; skip: string | false }> = [
  { file: 'lab-sflow.pcap', path: () => capturePath('lab-sflow.pcap'), protocols: [1], skip: false },
  { file: 'switch-2011-1000dgrams.pcap', path: () => corpusPath('sflow', 'switch-2011-1000dgrams.pcap'), protocols: [1], skip: corpusSkip },
  { file: 'data-sflow-raw-ipv4.pcap', path: () => corpusPath('sflow', 'data-sflow-raw-ipv4.pcap'), protocols: [1, 11], skip: corpusSkip },
  { file: 'tcpdump-ipv6-agent.pcap', path: () => corpusPath('sflow', 'tcpdump-ipv6-agent.pcap'), protocols: [1], skip: corpusSkip },
];

for (const c of cases) {
  test(`flow events of ${c.file} carry the raw header bytes and header_protocol tshark reads`, { skip: c.skip }, (t) => {
    if (!requirePrereqs(t, { tools: ['tshark'] })) return;
    const r = spawnSync('tshark', ['-r', c.path(), '-c', String(FRAMES), '-T', 'fields', '-E', 'separator=|',
      '-e', 'sflow_245.header', '-e', 'sflow_245.header_protocol', '-e', 'sflow_245.header.sampled_header_length'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const expected: Array<{ header: string; headerProtocol: number }> = [];
    for (const line of r.stdout.split('\n').filter((l) => l.includes('|'))) {
      const [headers, protocols, lengths] = line.split('|');
      if (!headers) continue;
      const hs = headers.split(',');
      const ps = protocols!.split(',');
      const ls = lengths!.split(',');
      // tshark's header field spans the record's XDR padding to 4 bytes (sFlow v5 §5: opaque<>); the header is
      // its sampled_header_length bytes (pmacctd pads with whatever was in its buffer).
      hs.forEach((h, i) => expected.push({ header: h.replace(/:/g, '').slice(0, 2 * Number(ls[i])), headerProtocol: Number(ps[i]) }));
    }
    assert.ok(expected.length > 0, 'tshark found raw headers');

    const actual: Array<{ header: string | undefined; headerProtocol: number | undefined }> = [];
    for (const d of captureDatagrams(c.path()).slice(0, FRAMES)) {
      const dg = decodeDatagram(d);
      for (const s of dg.samples) {
        if (s.kind !== 'flowSample') continue;
        for (const e of flowEventsOf(dg, s)) if (e.header !== undefined) actual.push({ header: e.header, headerProtocol: e.headerProtocol });
      }
    }
    assert.deepEqual(actual, expected);
    assert.ok(expected.every((e) => c.protocols.includes(e.headerProtocol)), `header protocols ${[...new Set(expected.map((e) => e.headerProtocol))]}`);
  });
}

test('a sampled IPv4 record (no raw header) gives a flow event without header fields (third-party corpus)', { skip: corpusSkip }, () => {
  const dgs = captureDatagrams(corpusPath('sflow', 'data-sflow-ipv4-data.pcap'));
  let sampled = 0;
  for (const d of dgs) {
    const dg = decodeDatagram(d);
    for (const s of dg.samples) {
      if (s.kind !== 'flowSample') continue;
      const events = flowEventsOf(dg, s);
      s.records.forEach((rec) => { if (rec.kind === 'sampledIpv4') sampled++; });
      for (const e of events) if (e.header === undefined) assert.equal(e.headerProtocol, undefined);
    }
  }
  assert.ok(sampled > 0, 'the file has sampled IPv4 records');
});

// The capture agent's flow events carry each raw packet header record's bytes and header_protocol, so the
// Flows panel can decode a row's packet on request. Oracle: tshark's sflow_245.header and
// sflow_245.header_protocol fields for the same datagrams, in record order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { flowEventsOf } from '../../../src/agents/capture';
import { decodeDatagram } from '../../../src/protocols/sflow';
import { corpusDatagrams } from '../../helpers/agentProcess';
import { corpusPath } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';

const FRAMES = 30;

const cases: Array<{ file: string; protocols: number[] }> = [
  { file: 'switch-2011-1000dgrams.pcap', protocols: [1] },
  { file: 'data-sflow-raw-ipv4.pcap', protocols: [1, 11] },
  { file: 'tcpdump-ipv6-agent.pcap', protocols: [1] },
];

for (const c of cases) {
  test(`flow events of ${c.file} carry the raw header bytes and header_protocol tshark reads`, (t) => {
    if (!requirePrereqs(t, { tools: ['tshark'] })) return;
    const r = spawnSync('tshark', ['-r', corpusPath('sflow', c.file), '-c', String(FRAMES), '-T', 'fields', '-E', 'separator=|',
      '-e', 'sflow_245.header', '-e', 'sflow_245.header_protocol'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const expected: Array<{ header: string; headerProtocol: number }> = [];
    for (const line of r.stdout.split('\n').filter((l) => l.includes('|'))) {
      const [headers, protocols] = line.split('|');
      if (!headers) continue;
      const hs = headers.split(',');
      const ps = protocols!.split(',');
      hs.forEach((h, i) => expected.push({ header: h.replace(/:/g, ''), headerProtocol: Number(ps[i]) }));
    }
    assert.ok(expected.length > 0, 'tshark found raw headers');

    const actual: Array<{ header: string | undefined; headerProtocol: number | undefined }> = [];
    for (const d of corpusDatagrams('sflow', c.file).slice(0, FRAMES)) {
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

test('a sampled IPv4 record (no raw header) gives a flow event without header fields', () => {
  const dgs = corpusDatagrams('sflow', 'data-sflow-ipv4-data.pcap');
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

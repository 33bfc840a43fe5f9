// The capture agent's flow events carry each raw packet header record's bytes and header_protocol, so the
// Flows panel can decode a row's packet on request. Oracle: tshark's sflow_245.header and
// sflow_245.header_protocol fields for the same datagrams, in record order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { flowEventsOf } from '../../../src/agents/capture';
import { formatSflowInterface } from '../../../src/shared/format';
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

/** Where each file's flow samples send their interfaces: in (format, value), out (format, value). */
const interfaceCases: Array<{ file: string; path: () => string; skip: string | false; shows: string }> = [
  { file: 'lab-sflow.pcap', path: () => capturePath('lab-sflow.pcap'), skip: false, shows: 'internal' },
  { file: 'data-local-interface.pcap', path: () => corpusPath('sflow', 'data-local-interface.pcap'), skip: corpusSkip, shows: 'internal' },
  { file: 'data-discard-interface.pcap', path: () => corpusPath('sflow', 'data-discard-interface.pcap'), skip: corpusSkip, shows: 'drop 1' },
  { file: 'data-multiple-interfaces.pcap', path: () => corpusPath('sflow', 'data-multiple-interfaces.pcap'), skip: corpusSkip, shows: '×7' },
  { file: 'data-sflow-expanded-sample.pcap', path: () => corpusPath('sflow', 'data-sflow-expanded-sample.pcap'), skip: corpusSkip, shows: '1285816721' },
];

for (const c of interfaceCases) {
  test(`flow events of ${c.file} carry each sample's interface formats and values as tshark reads them`, { skip: c.skip }, (t) => {
    if (!requirePrereqs(t, { tools: ['tshark'] })) return;
    const fields = ['sflow.flow_sample.input_interface', 'sflow.flow_sample.output_interface', 'sflow.flow_sample.input_interface_format',
      'sflow.flow_sample.input_interface_value', 'sflow.flow_sample.output_interface.format', 'sflow.flow_sample.output_interface_value'];
    const r = spawnSync('tshark', ['-r', c.path(), '-c', String(FRAMES), '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const expected: string[] = [];
    for (const line of r.stdout.split('\n').filter((l) => l.includes('|'))) {
      const [inRaw, outRaw, inFormat, inValue, outFormat, outValue] = line.split('|').map((f) => (f ? f.split(',') : []));
      // A compact sample (sFlow v5 flow_sample) gives the raw 32-bit interfaces, format in the top two bits;
      // an expanded one (flow_sample_expanded) gives format and value apart.
      inRaw!.forEach((raw, i) => {
        const out = Number(outRaw![i]);
        expected.push(`${Number(raw) >>> 30}/${Number(raw) & 0x3fffffff} -> ${out >>> 30}/${out & 0x3fffffff}`);
      });
      if (inRaw!.length === 0) inValue!.forEach((v, i) => expected.push(`${inFormat![i]}/${v} -> ${outFormat![i]}/${outValue![i]}`));
    }
    assert.ok(expected.length > 0, 'tshark found flow samples');

    const actual: string[] = [];
    const shown = new Set<string>();
    for (const d of captureDatagrams(c.path()).slice(0, FRAMES)) {
      const dg = decodeDatagram(d);
      for (const s of dg.samples) {
        if (s.kind !== 'flowSample') continue;
        const e = flowEventsOf(dg, s)[0];
        if (!e) continue;
        actual.push(`${e.inputFormat ?? 0}/${e.inputInterface} -> ${e.outputFormat ?? 0}/${e.outputInterface}`);
        shown.add(formatSflowInterface(e.outputInterface, e.outputFormat));
      }
    }
    assert.deepEqual(actual, expected);
    assert.ok(shown.has(c.shows), `the Out column shows ${[...shown].join(', ')}, not '${c.shows}'`);
  });
}

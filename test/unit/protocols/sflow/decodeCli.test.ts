/** `labtel decode` on the project's own captures and the third-party corpus (when present): layers of every packet, sFlow samples and records, --json lines. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../../../src/cli/main';
import { encodeCapture } from '../../../../src/protocols/captureWriter';
import { capturePath, corpusPath, corpusSkip } from '../../../helpers/corpus';
import { craftedDatagrams, craftedFrame } from './crafted';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const code = await main(argv);
    return { code, out, err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

type Json = Record<string, unknown> & { packet?: { layers: Array<{ kind: string }> }; sflow?: Record<string, unknown> & { samples: Array<Record<string, unknown> & { records: Array<Record<string, unknown>> }> } };

describe('labtel decode', () => {
  it('--json: one object per packet with its layers, the datagram, its samples and records, raw headers decoded (third-party corpus)', { skip: corpusSkip }, async () => {
    const r = await run(['decode', '--json', corpusPath('sflow', 'data-sflow-expanded-sample.pcap')]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.length, 1);
    const d = JSON.parse(r.out[0]) as Json;
    assert.equal(d.frame, 1);
    assert.deepStrictEqual(d.packet!.layers.map((l) => l.kind), ['ethernet', 'ipv4', 'udp']);
    const dg = d.sflow!;
    assert.equal(dg.agentAddress, '49.49.49.49');
    assert.equal(dg.sequenceNumber, 115694180);
    const sample = dg.samples[0];
    assert.equal(sample.kind, 'flowSample');
    assert.equal(sample.format, 3);
    assert.equal(sample.sequenceNumber, 2170480284);
    assert.deepStrictEqual(sample.records.map((x) => x.kind), ['rawHeader', 'extendedGateway', 'extendedRouter']);
    const raw = sample.records[0] as { packet: { src: string; dst: string; srcPort: number; dstPort: number; vlan: number[]; layers: Array<{ kind: string }> } };
    assert.deepStrictEqual(raw.packet.layers.map((l) => l.kind), ['ethernet', 'vlan', 'ipv4', 'tcp']);
    assert.deepStrictEqual([raw.packet.src, raw.packet.dst, raw.packet.srcPort, raw.packet.dstPort, raw.packet.vlan], ['52.52.52.52', '53.53.53.53', 22, 52237, [809]]);
    assert.deepStrictEqual(sample.records[1].asPath, [{ type: 2, asns: [8218, 29605, 203361] }]);
  });

  it('text: every packet of a capture, each sample and record, the inner packet on its own line (third-party corpus)', { skip: corpusSkip }, async () => {
    const r = await run(['decode', corpusPath('sflow', 'tcpdump-ipv6-agent.pcap')]);
    assert.equal(r.code, 0, r.err);
    const text = r.out.join('\n');
    assert.equal(r.out.filter((l) => /^\d+ /.test(l)).length, 25);
    assert.match(text, /sFlow v5 agent 30::1:1:1 sub-agent 0 sequence 109/);
    assert.match(text, /counterSample format 2, sequenceNumber 28, sourceIdClass 0, sourceIdIndex 23001/);
    assert.match(text, /genericInterface ifIndex 23001, ifType 6, ifSpeed 400000000000/);
  });

  it('NetFlow packets sent to the sFlow port print a typed error, the others decode (third-party corpus)', { skip: corpusSkip }, async () => {
    const r = await run(['decode', '--json', corpusPath('sflow-edge', 'tcpdump-counters-30pdus-with-netflow.pcap')]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.map((l) => JSON.parse(l) as Json);
    assert.equal(lines.length, 30);
    assert.deepStrictEqual(lines.filter((l) => l.error).map((l) => l.frame), [13, 19, 20, 21, 22]);
    for (const l of lines.filter((x) => x.error)) assert.match((l.error as { reason: string }).reason, /^version \d+, expected 5$/);
    assert.equal(lines.filter((l) => l.sflow).length, 25);
  });

  it('--sflow-port: only that port is decoded as sFlow (third-party corpus)', { skip: corpusSkip }, async () => {
    const r = await run(['decode', '--json', '--sflow-port', '9995', corpusPath('sflow', 'data-icmpv4.pcap')]);
    assert.equal(r.code, 0);
    const d = JSON.parse(r.out[0]) as Json;
    assert.equal(d.sflow, undefined);
    assert.ok(d.packet);
  });

  it('text: every packet of the lab recording, its agent, samples, counter records and the inner packets', async () => {
    const r = await run(['decode', capturePath('lab-sflow.pcap')]);
    assert.equal(r.code, 0, r.err);
    const text = r.out.join('\n');
    assert.equal(r.out.filter((l) => /^\d+ /.test(l)).length, 119);
    assert.match(text, /sFlow v5 agent 198\.51\.100\.2 sub-agent 1 sequence \d+/);
    assert.match(text, /counterSample format 2, sequenceNumber \d+, sourceIdClass 0, sourceIdIndex 1/);
    // pmacctd's sfprobe sets ifSpeed from sfprobe_ifspeed (lab/netgo/r3/pmacctd.conf) and ifIndex 0x3fffffff (internal).
    assert.match(text, /genericInterface ifIndex 1073741823, ifType 6, ifSpeed 1000000000, /);
    assert.match(text, /2001:db8:0:1::1/);
  });

  it('--json on malformed datagrams: a typed error only on the damaged frames, the good ones decode', async () => {
    const edge = (JSON.parse(readFileSync(capturePath('edge-cases.json'), 'utf8')) as Record<string, { frames: number; malformed: Array<{ frame: number }> }>)['edge-malformed-sflow.pcap']!;
    const bad = new Set(edge.malformed.map((m) => m.frame));
    const r = await run(['decode', '--json', capturePath('edge-malformed-sflow.pcap')]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.map((l) => JSON.parse(l) as Json);
    assert.equal(lines.length, edge.frames);
    const errors = lines.filter((l) => l.error);
    assert.ok(errors.length >= 4, `${errors.length} errors`);
    for (const l of errors) assert.ok(bad.has(l.frame as number), `frame ${String(l.frame)} is not one of the damaged ones`);
    for (const l of lines.filter((x) => !bad.has(x.frame as number))) assert.ok(l.sflow && !l.error, `good frame ${String(l.frame)}`);
  });

  it('--sflow-port: only that port is decoded as sFlow (the lab recording with port 9995)', async () => {
    const r = await run(['decode', '--json', '--sflow-port', '9995', capturePath('edge-big-endian.pcap')]);
    assert.equal(r.code, 0);
    const lines = r.out.map((l) => JSON.parse(l) as Json);
    assert.equal(lines.length, 20);
    for (const d of lines) { assert.equal(d.sflow, undefined); assert.ok(d.packet); }
  });

  it('text: an ICMP error shows the packet it quotes, and a sampled header that is sFlow its datagram, indented', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labtel-decode-'));
    try {
      const file = path.join(dir, 'crafted.pcap');
      writeFileSync(file, encodeCapture(craftedDatagrams.map((d, i) => ({ timestampNs: BigInt(i), data: craftedFrame(d.bytes) })), { format: 'pcap' }));
      const r = await run(['decode', file]);
      assert.equal(r.code, 0, r.err);
      const text = r.out.join('\n');
      assert.match(text, /ipv4 203\.0\.113\.1 → 192\.0\.2\.1 {2}icmp 3\/3 \[quoting ipv4 192\.0\.2\.1 → 198\.51\.100\.7 {2}udp 40000 → 33434\]/);
      assert.match(text, /icmpv6 2\/0 \[quoting ipv6 2001:db8::1 → 2001:db8::b2 {2}tcp 50001 → 443\]/);
      // The exporter's own datagram inside its sample, one level deeper than the record that holds it.
      assert.match(text, /\n {8}ethernet .* {2}udp 38000 → 6343\n {10}sFlow v5 agent 192\.0\.2\.1 .*\n {12}counterSample format 2, sequenceNumber 77/);
      assert.match(text, / {12}error: sflow\.sample at byte \d+: sample 1 of 2: length 108 runs past the datagram/);
      const json = await run(['decode', '--json', file]);
      const first = JSON.parse(json.out[0]!) as { sflow: { samples: Array<{ records: Array<{ packet: { layers: Array<{ kind: string; quoted?: { layers: Array<{ kind: string }> } }> } }> }> } };
      const icmp = first.sflow.samples[0]!.records[0]!.packet.layers[2]!;
      assert.deepStrictEqual([icmp.kind, icmp.quoted?.layers.map((l) => l.kind)], ['icmp', ['ipv4', 'udp']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const misuse: Array<[string, string[], RegExp]> = [
    ['no file', ['decode'], /missing capture file/],
    ['a bad port', ['decode', 'x.pcap', '--sflow-port', '70000'], /--sflow-port needs a port number/],
    ['an unknown option', ['decode', 'x.pcap', '--frobnicate'], /unknown option "--frobnicate"/],
  ];
  for (const [name, argv, message] of misuse) {
    it(`usage error, exit 2: ${name}`, async () => {
      const r = await run(argv);
      assert.equal(r.code, 2);
      assert.match(r.err, message);
    });
  }
});

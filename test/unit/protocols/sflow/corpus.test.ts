/**
 * Every datagram of the project's own captures and of the third-party sFlow corpus (when present) decodes
 * without an error (field-for-field agreement with tshark is the
 * integration test sflow-tshark.test.ts); in the edge corpus each bad datagram gives exactly one typed error.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DecodeError } from '../../../../src/protocols/decodeError';
import { decodeDatagram, type SflowDatagram } from '../../../../src/protocols/sflow';
import { capturePath, corpusPath, corpusSkip } from '../../../helpers/corpus';
import { corpusDatagrams } from './corpus';

function decodeAll(dg: SflowDatagram): number {
  let headers = 0;
  for (const s of dg.samples) {
    if (s.kind !== 'flowSample' && s.kind !== 'discardedPacketSample') continue;
    for (const r of s.records) {
      if (r.kind !== 'rawHeader') continue;
      headers++;
      assert.ok(r.packet, `raw header at byte ${r.start} decodes`);
      assert.equal(r.packetError, undefined);
    }
  }
  return headers;
}

/** Decodes every datagram of a capture, each without an error and with all its samples; returns how many. */
function everyDatagramDecodes(file: string): number {
  const dgs = corpusDatagrams(file);
  for (const d of dgs) {
    const dg = decodeDatagram(d.data, d.start, d.end);
    assert.deepStrictEqual(dg.errors, [], `frame ${d.frame}`);
    assert.equal(dg.samples.length, dg.sampleCount, `frame ${d.frame}`);
    decodeAll(dg);
  }
  return dgs.length;
}

describe('the project\'s own sFlow captures', () => {
  const edge = JSON.parse(readFileSync(capturePath('edge-cases.json'), 'utf8')) as Record<string, { readable?: number; malformed?: Array<{ frame: number; what: string }> }>;
  const whole = ['lab-sflow.pcap', ...Object.keys(edge).filter((f) => edge[f]!.readable === undefined && edge[f]!.malformed === undefined)];
  for (const name of whole) {
    it(`${name}: every datagram and every raw header decodes without an error`, () => {
      assert.ok(everyDatagramDecodes(capturePath(name)) >= 20);
    });
  }

  it('edge-malformed-sflow.pcap: each damaged datagram is a typed error (thrown, or in the datagram\'s errors), each good one decodes cleanly', () => {
    const bad = new Map(edge['edge-malformed-sflow.pcap']!.malformed!.map((m) => [m.frame, m.what]));
    for (const d of corpusDatagrams(capturePath('edge-malformed-sflow.pcap'))) {
      let errors: number;
      try {
        errors = decodeDatagram(d.data, d.start, d.end).errors.length;
      } catch (e) {
        assert.ok(e instanceof DecodeError, String(e));
        errors = 1;
      }
      assert.equal(errors > 0, bad.has(d.frame), `frame ${d.frame} (${bad.get(d.frame) ?? 'a good datagram'}): ${errors} error(s)`);
    }
  });
});

describe('the third-party sFlow corpus', { skip: corpusSkip }, () => {
  const dir = corpusPath('sflow');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort()) {
    it(`${name}: every datagram and every raw header decodes without an error`, () => {
      assert.ok(everyDatagramDecodes(path.join(dir, name)) > 0);
    });
  }

  it('switch-2011-1000dgrams.pcap: 1,000 datagrams, 5,855 flow samples, 502 counter samples', () => {
    let flow = 0;
    let counter = 0;
    const dgs = corpusDatagrams(corpusPath('sflow', 'switch-2011-1000dgrams.pcap'));
    for (const d of dgs) {
      for (const s of decodeDatagram(d.data, d.start, d.end).samples) {
        if (s.kind === 'flowSample') flow++;
        else if (s.kind === 'counterSample') counter++;
      }
    }
    assert.deepStrictEqual({ datagrams: dgs.length, flow, counter }, { datagrams: 1000, flow: 5855, counter: 502 });
  });

  it('sflow-edge/tcpdump-counters-30pdus-with-netflow.pcap: each NetFlow v5 packet is one typed error, every sFlow datagram decodes', () => {
    const results = corpusDatagrams(corpusPath('sflow-edge', 'tcpdump-counters-30pdus-with-netflow.pcap')).map((d) => {
      try {
        const dg = decodeDatagram(d.data, d.start, d.end);
        return { frame: d.frame, errors: dg.errors.length, samples: dg.samples.length, announced: dg.sampleCount };
      } catch (e) {
        assert.ok(e instanceof DecodeError);
        assert.match(e.reason, /^version \d+, expected 5$/);
        // NetFlow v5 starts with its 16-bit version 5 then a 16-bit count: the 32-bit word reads 0x0005xxxx.
        assert.equal(d.data[d.start + 1], 5);
        return { frame: d.frame, thrown: true };
      }
    });
    const bad = results.filter((r) => 'thrown' in r);
    const good = results.filter((r) => !('thrown' in r));
    assert.deepStrictEqual(bad.map((r) => r.frame), [13, 19, 20, 21, 22]);
    for (const r of good) assert.deepStrictEqual(r, { frame: r.frame, errors: 0, samples: r.announced, announced: r.announced });
  });

  it('sflow-edge/tcpdump-malformed-segv.pcap: the malformed datagram (8 bytes of UDP payload) is one typed error', () => {
    const dgs = corpusDatagrams(corpusPath('sflow-edge', 'tcpdump-malformed-segv.pcap'));
    assert.equal(dgs.length, 1);
    assert.throws(() => decodeDatagram(dgs[0].data, dgs[0].start, dgs[0].end), (e: unknown) => e instanceof DecodeError && e.what === 'sflow.datagram');
  });
});

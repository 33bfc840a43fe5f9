/**
 * A sampled header that is itself sFlow: an exporter sampling the link its own datagrams cross sees them in
 * its samples. The raw header record decodes such a datagram (UDP to or from 6343) on first read, as tshark
 * does; usually the header cuts it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeDatagram, type FlowSample, type RawHeaderRecord } from '../../../../src/protocols/sflow';
import { concat, counterSample, datagramV4, envelope, flowSample, hex, w } from './wire';

/** VLAN counters (format 5): vlan 10, 100 octets, then 4 counters. */
const VLAN_COUNTERS = envelope(0, 5, hex(w(10), '0000000000000064', w(1), w(2), w(3), w(4)));
const INNER = datagramV4(counterSample(VLAN_COUNTERS), counterSample(VLAN_COUNTERS));

function u16(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** Ethernet + IPv4 192.0.2.1 → 192.0.2.2 + UDP srcPort → dstPort around `payload`, cut to `keep` bytes. */
function frame(payload: Uint8Array, srcPort: number, dstPort: number, keep = 42 + payload.length): Uint8Array {
  const l = 8 + payload.length;
  return concat(hex('001122334455', '66778899aabb', '0800', '4500', u16(20 + l), '00014000', '4011', '0000', 'c0000201', 'c0000202', u16(srcPort), u16(dstPort), u16(l), '0000'), payload).subarray(0, keep);
}

/** The raw header record of a datagram whose one flow sample holds `header` as an Ethernet raw header. */
function rawHeaderOf(header: Uint8Array): RawHeaderRecord {
  const pad = new Uint8Array((4 - (header.length % 4)) % 4);
  const record = envelope(0, 1, concat(hex(w(1), w(header.length + 4), w(4), w(header.length)), header, pad), 16 + header.length);
  const dg = decodeDatagram(datagramV4(flowSample(record)));
  assert.deepStrictEqual(dg.errors, []);
  return (dg.samples[0] as FlowSample).records[0] as RawHeaderRecord;
}

describe('sFlow inside a sampled header', () => {
  it('a header that is UDP to 6343 carrying a whole datagram decodes it, samples and records', () => {
    const r = rawHeaderOf(frame(INNER, 38000, 6343));
    const inner = r.sflow!;
    assert.equal(inner.agentAddress, '192.0.2.1');
    assert.deepStrictEqual(inner.errors, []);
    assert.deepStrictEqual(inner.samples.map((s) => s.kind), ['counterSample', 'counterSample']);
    assert.equal(r.sflowError, undefined);
    assert.ok(JSON.stringify(r).includes('"sflow":{'), 'JSON carries the inner datagram');
  });

  it('UDP from 6343 counts too (the collector\'s side of the port)', () => {
    assert.ok(rawHeaderOf(frame(INNER, 6343, 40000)).sflow);
  });

  it('a header cut inside the datagram\'s second sample: the first sample decodes, the cut one is an error naming where', () => {
    const r = rawHeaderOf(frame(INNER, 38000, 6343, 42 + INNER.length - 10));
    const inner = r.sflow!;
    assert.equal(inner.samples.length, 1);
    assert.equal(inner.errors.length, 1);
    assert.match(inner.errors[0]!.reason, /sample 2 of 2: length \d+ runs past the datagram/);
  });

  it('a header cut inside the datagram\'s own header: no datagram, and sflowError says how many bytes there were', () => {
    const r = rawHeaderOf(frame(INNER, 38000, 6343, 42 + 12));
    assert.equal(r.sflow, undefined);
    assert.match(r.sflowError!.reason, /header needs 28 bytes, 12 given/);
  });

  it('a header on another port is not read as sFlow', () => {
    const r = rawHeaderOf(frame(INNER, 38000, 6344));
    assert.equal(r.sflow, undefined);
    assert.equal(r.sflowError, undefined);
  });
});

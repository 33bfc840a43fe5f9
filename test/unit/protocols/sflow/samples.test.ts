/**
 * sFlow v5 datagram header and samples (sflow.org/sflow_version_5.txt "sFlow Datagram Format": formats 1–4;
 * sflow.org/sflow_drops.txt: format 5), and how broken or unknown parts are reported without losing the rest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../../../../src/protocols/decodeError';
import { decodeDatagram, type CounterSample, type DiscardedPacketSample, type FlowSample } from '../../../../src/protocols/sflow';
import { assertFields } from './expect';
import { concat, counterSample, datagramV4, envelope, flowSample, hex, w } from './wire';

const SWITCH = envelope(0, 1001, hex('0000000a 00000000 00000014 00000000'));

describe('sFlow v5 datagram header', () => {
  it('IPv4 agent: version, agent address, sub-agent id, sequence, uptime, sample count', () => {
    const dg = decodeDatagram(datagramV4());
    assertFields(dg, { version: 5, agentAddressType: 1, agentAddress: '192.0.2.1', subAgentId: 7, sequenceNumber: 42, uptime: 1000, sampleCount: 0 });
  });

  it('IPv6 agent (address type 2, 16 bytes)', () => {
    const dg = decodeDatagram(hex('00000005', '00000002', '20010db8000000000000000000000001', '00000000', '00000001', '00000002', '00000000'));
    assertFields(dg, { agentAddressType: 2, agentAddress: '2001:db8::1', sequenceNumber: 1, uptime: 2 });
  });

  const broken: { name: string; bytes: Uint8Array; offset: number }[] = [
    { name: 'NetFlow v5 header sent to the sFlow port (version word 0x00050001)', bytes: hex('00050001 00000000 00000000 00000000'), offset: 0 },
    { name: 'agent address type 3', bytes: hex('00000005 00000003 c0000201 00000000 00000000 00000000 00000000'), offset: 4 },
    { name: 'header cut short', bytes: hex('00000005 00000001 c0000201 00000000'), offset: 0 },
  ];
  for (const c of broken) {
    it(`a broken header throws DecodeError with its offset: ${c.name}`, () => {
      assert.throws(() => decodeDatagram(c.bytes), (e: unknown) => e instanceof DecodeError && e.offset === c.offset);
    });
  }

  it('decodes from a window of a larger buffer, offsets relative to that buffer', () => {
    const inner = datagramV4(flowSample(SWITCH));
    const big = concat(hex('ffffffff ffffffff'), inner, hex('ffffffff'));
    const dg = decodeDatagram(big, 8, 8 + inner.length);
    assert.equal(dg.start, 8);
    assert.equal(dg.samples[0].start, 8 + 28);
    assert.deepStrictEqual(dg.errors, []);
  });
});

describe('sFlow v5 samples, one per format', () => {
  it('flow sample (format 1): compact source id 8/24 bits and interfaces 2/30 bits', () => {
    // source id class 1 (VLAN) index 0x000102; input 0x3FFFFFFF (the device itself); output format 2, 5 interfaces.
    const s = envelope(0, 1, concat(hex('00000009', '01000102', '00000100', '00001000', '00000003', '3fffffff', '80000005', '00000001'), SWITCH));
    const sample = decodeDatagram(datagramV4(s)).samples[0] as FlowSample;
    assertFields(sample, {
      kind: 'flowSample', format: 1, sequenceNumber: 9, sourceIdClass: 1, sourceIdIndex: 0x102, samplingRate: 256, samplePool: 4096,
      drops: 3, inputFormat: 0, input: 0x3fffffff, outputFormat: 2, output: 5, recordCount: 1,
    });
    assert.equal(sample.records[0].kind, 'extendedSwitch');
  });

  it('flow sample with a discarded packet: output interface format 1 carries the reason', () => {
    const s = envelope(0, 1, concat(hex('00000001', '00000003', '00000001', '00000001', '00000000', '00000003', '40000102', '00000001'), SWITCH));
    assertFields(decodeDatagram(datagramV4(s)).samples[0], { outputFormat: 1, output: 258 });
  });

  it('expanded flow sample (format 3): source id class and index, interface format and value as separate words', () => {
    const s = envelope(
      0,
      3,
      concat(hex('00000002', '00000000', '01000000', '000003e8', '00002000', '00000000', '00000000', '02000001', '00000000', '3fffffff', '00000001'), SWITCH),
    );
    assertFields(decodeDatagram(datagramV4(s)).samples[0], {
      kind: 'flowSample', format: 3, sourceIdClass: 0, sourceIdIndex: 0x01000000, samplingRate: 1000, samplePool: 8192,
      inputFormat: 0, input: 0x02000001, outputFormat: 0, output: 0x3fffffff, recordCount: 1,
    });
  });

  it('counter sample (format 2)', () => {
    const sample = decodeDatagram(datagramV4(counterSample())).samples[0] as CounterSample;
    assertFields(sample, { kind: 'counterSample', format: 2, sequenceNumber: 1, sourceIdClass: 0, sourceIdIndex: 3, recordCount: 0 });
  });

  it('expanded counter sample (format 4)', () => {
    const s = envelope(0, 4, concat(hex('00000005', '00000002', '01000000', '00000001'), envelope(0, 5, hex('00000064 00000000 00000010 00000001 00000002 00000003 00000004'))));
    const sample = decodeDatagram(datagramV4(s)).samples[0] as CounterSample;
    assertFields(sample, { kind: 'counterSample', format: 4, sequenceNumber: 5, sourceIdClass: 2, sourceIdIndex: 0x01000000, recordCount: 1 });
    assertFields(sample.records[0], { kind: 'vlan', vlanId: 100, octets: 16 });
  });

  it('discarded packet sample (format 5, sflow_drops.txt): expanded source id, interfaces, reason, flow records', () => {
    const header = envelope(0, 1, hex('0000000b', '00000020', '00000000', '0000001c', '4500001c 00020000 40110000 c0000201 c0000202 0035d431 00080000'));
    const s = envelope(0, 5, concat(hex('00000004', '00000000', '00000007', '00000000', '00000007', '00000000', '00000102', '00000001'), header));
    const sample = decodeDatagram(datagramV4(s)).samples[0] as DiscardedPacketSample;
    assertFields(sample, { kind: 'discardedPacketSample', format: 5, sequenceNumber: 4, sourceIdClass: 0, sourceIdIndex: 7, drops: 0, input: 7, output: 0, reason: 258, recordCount: 1 });
    assertFields(sample.records[0], { kind: 'rawHeader', headerProtocol: 11 });
  });

  it('an unknown sample format is kept as opaque bytes, counted, and the next sample decodes', () => {
    const dg = decodeDatagram(datagramV4(envelope(4413, 7, hex('01020304')), counterSample()));
    assertFields(dg.samples[0], { kind: 'unknownSample', enterprise: 4413, format: 7, dataLength: 4 });
    assert.equal(dg.samples[1].kind, 'counterSample');
    assert.equal(dg.unknownCount, 1);
    assert.deepStrictEqual(dg.errors, []);
  });
});

describe('sFlow v5 length mismatches', () => {
  it('a record whose length disagrees with its contents is a DecodeError at its length word; the other records and samples decode', () => {
    // Extended switch must be 16 bytes; this one says 12.
    const bad = envelope(0, 1001, hex('0000000a 00000000 00000014'));
    const bytes = datagramV4(flowSample(bad, SWITCH), counterSample());
    const dg = decodeDatagram(bytes);
    assert.equal(dg.errors.length, 1);
    const e = dg.errors[0];
    assert.ok(e instanceof DecodeError);
    assert.equal(e.what, 'sflow.extended_switch');
    assert.equal(e.offset, 28 + 8 + 32 + 4); // datagram header, sample envelope, flow sample fields, format word
    assert.equal((dg.samples[0] as FlowSample).records.length, 1);
    assert.equal(dg.samples[1].kind, 'counterSample');
  });

  it('a counter record of the wrong size is an error; the sample keeps its other records', () => {
    const dg = decodeDatagram(datagramV4(counterSample(envelope(0, 2, hex('00000001')), envelope(0, 5, hex('00000064 00000000 00000010 00000001 00000002 00000003 00000004')))));
    assert.equal(dg.errors.length, 1);
    assert.equal(dg.errors[0].what, 'sflow.ethernet_interface_counters');
    assert.equal((dg.samples[0] as CounterSample).records.length, 1);
  });

  it('a record running past its sample ends that sample (one error); the next sample decodes', () => {
    const runsOver = concat(hex(w(1001), w(400)), hex('00000000'));
    const dg = decodeDatagram(datagramV4(flowSample(runsOver), counterSample()));
    assert.equal(dg.errors.length, 1);
    assert.equal(dg.errors[0].what, 'sflow.flow_record');
    assert.equal(dg.samples.length, 1);
    assert.equal(dg.samples[0].kind, 'counterSample');
  });

  it('a sample running past the datagram is one error and decoding stops there', () => {
    const bytes = datagramV4(counterSample(), counterSample());
    const cut = bytes.subarray(0, bytes.length - 4);
    const dg = decodeDatagram(cut);
    assert.equal(dg.samples.length, 1);
    assert.equal(dg.errors.length, 1);
    assert.equal(dg.errors[0].what, 'sflow.sample');
  });

  it('more samples announced than present: one error for the first missing sample', () => {
    const bytes = datagramV4(counterSample());
    bytes[27] = 3; // num_samples
    const dg = decodeDatagram(bytes);
    assert.equal(dg.samples.length, 1);
    assert.equal(dg.errors.length, 1);
  });

  it('a raw header whose header length exceeds its record is a DecodeError', () => {
    const bad = envelope(0, 1, hex('00000001', '00000040', '00000004', '00000080', '00000000'));
    const dg = decodeDatagram(datagramV4(flowSample(bad)));
    assert.equal(dg.errors.length, 1);
    assert.equal(dg.errors[0].what, 'sflow.raw_header');
  });
});

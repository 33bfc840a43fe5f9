import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProbeUpdates } from '../../../../src/agents/bgpPing/probeUpdates';
import { decodeMessage, decodeProbe, encodeProbe, encodeUpdate, Origin, PROBE_ATTRIBUTE_FLAGS, SegmentType, type Probe, type UpdateMessage } from '../../../../src/protocols/bgp';

const shape = { nlri: '100.64.0.2', localAddress: '203.0.113.254', localAs: 65005, attributeType: 42 };

/** The UPDATE as encodeUpdate makes it from scratch: what every templated copy must equal. */
function fromScratch(probe: Probe, fourOctetAs: boolean): Uint8Array {
  return encodeUpdate({
    withdrawn: [], nlri: ['100.64.0.2/32'],
    attributes: { origin: Origin.Incomplete, asPath: [{ type: SegmentType.AsSequence, asns: [65005] }], nextHop: '203.0.113.254', unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: 42, value: encodeProbe(probe) }] },
  }, { fourOctetAs });
}

for (const [name, layout, fourOctetAs, ids] of [
  ['v1 probes, 4-octet AS session', 'v1', true, [['host-2', ''], ['host-2', 'host-3']]],
  ['v1 probes, 2-octet AS session', 'v1', false, [['host-2', ''], ['host-2', 'host-1']]],
  ['book probes (whole seconds), 4-octet AS session', 'book', true, [['host-2', ''], ['host-2', 'host-3']]],
  ['v1 probes from several probers with ids of other lengths', 'v1', true, [['a', ''], ['prober-number-2', 'r'], ['a', 'responder-long-name']]],
] as Array<[string, 'v1' | 'book', boolean, Array<[string, string]>]>) {
  test(`probe updates: ${name} are byte for byte what encodeUpdate makes, probe after probe`, () => {
    const updates = new ProbeUpdates((u: UpdateMessage) => encodeUpdate(u, { fourOctetAs }), shape);
    for (let i = 0; i < 200; i++) {
      const [source, destination] = ids[i % ids.length]!;
      const probe: Probe = { layout, source, destination, timestampNs: (1_700_000_000_000_000_000n + BigInt(i) * 987_654_321n) / (layout === 'book' ? 1_000_000_000n : 1n) * (layout === 'book' ? 1_000_000_000n : 1n), sequence: layout === 'v1' ? BigInt(i * 7919) : 0n };
      const got = updates.announce(probe);
      assert.deepEqual(new Uint8Array(got), fromScratch(probe, fourOctetAs), `probe ${i}`);
      const m = decodeMessage(got, 0, { fourOctetAs, strict: true });
      assert.equal(m.kind, 'update');
      const a = m.kind === 'update' ? m.update.attributes.unknown![0]! : undefined;
      assert.deepEqual(decodeProbe(a!.value, 0, a!.value.length), probe);
      got.fill(0); // the caller owns the bytes: scribbling on them must not reach the next probe
    }
  });
}

for (const layout of ['v1', 'book'] as const) {
  test(`probe updates: a ${layout} reply stamped like its request's value carries the request's stamp octet for octet`, () => {
    const updates = new ProbeUpdates((u: UpdateMessage) => encodeUpdate(u, { fourOctetAs: true }), shape);
    for (let i = 0; i < 50; i++) {
      const request: Probe = { layout, source: 'host-2', destination: '', timestampNs: layout === 'book' ? BigInt(1_700_000_000 + i) * 1_000_000_000n : 1_700_000_000_123_456_789n + BigInt(i), sequence: layout === 'v1' ? BigInt(1000 + i) : 0n };
      const reply: Probe = { ...request, destination: 'host-3' };
      // The stamp comes from the request's bytes only: the reply's own numbers are deliberately wrong.
      const got = updates.announce({ ...reply, timestampNs: 0n, sequence: 0n }, encodeProbe(request));
      assert.deepEqual(new Uint8Array(got), fromScratch(reply, true), `reply ${i}`);
    }
  });
}

/** The probe value's place in an encoded UPDATE, as the decoder finds it. */
function valueRange(m: Uint8Array): [number, number] {
  const d = decodeMessage(m, 0, { fourOctetAs: true });
  assert.ok(d.kind === 'update');
  const v = d.update.attributes.unknown![0]!.value;
  return [v.byteOffset - m.byteOffset, v.byteOffset - m.byteOffset + v.length];
}

for (const layout of ['v1', 'book'] as const) {
  test(`probe updates: a ${layout} reply made from the request's UPDATE bytes is the one announce makes, once its template exists, reused or not`, () => {
    const updates = new ProbeUpdates((u: UpdateMessage) => encodeUpdate(u, { fourOctetAs: true }), shape);
    const request = (i: number, source = 'host-2'): Probe => ({ layout, source, destination: '', timestampNs: BigInt(1_700_000_000 + i) * 1_000_000_000n, sequence: layout === 'v1' ? BigInt(i) : 0n });
    const first = fromScratch(request(0), true);
    assert.equal(updates.reply('host-3', first, ...valueRange(first)), undefined, 'no template before the first announce');
    updates.announce({ ...request(0), destination: 'host-3' });
    updates.announce({ ...request(0, 'host-4'), destination: 'host-3' });
    let previous: Uint8Array | undefined;
    for (let i = 1; i < 30; i++) {
      const m = fromScratch(request(i), true);
      const got = updates.reply('host-3', m, ...valueRange(m));
      assert.ok(got, `reply ${i}`);
      assert.deepEqual(new Uint8Array(got), fromScratch({ ...request(i), destination: 'host-3' }, true), `reply ${i}`);
      // Every other reply is given back: the next one is stamped into the same bytes; the others are new.
      if (previous) assert.equal(got === previous, i % 2 === 0, `reply ${i} ${i % 2 === 0 ? 'reuses' : 'does not reuse'} the bytes given back`);
      if (i % 2 === 1) updates.reuse(got);
      previous = got;
    }
    const other = fromScratch(request(5, 'host-4'), true);
    assert.deepEqual(new Uint8Array(updates.reply('host-3', other, ...valueRange(other))!), fromScratch({ ...request(5, 'host-4'), destination: 'host-3' }, true), 'a second prober gets its own template');
    const unknown = fromScratch(request(5, 'host-5'), true);
    assert.equal(updates.reply('host-3', unknown, ...valueRange(unknown)), undefined, 'a prober not answered before has no template yet');
    const reply = fromScratch({ ...request(6), destination: 'host-1' }, true);
    assert.equal(updates.reply('host-3', reply, ...valueRange(reply)), undefined, 'a reply is not a request');
    assert.equal(updates.reply('host-2', first, ...valueRange(first)), undefined, 'a speaker has no template to answer itself');
  });
}

test('probe updates: reuse takes back only the bytes the last reply gave', () => {
  const updates = new ProbeUpdates((u: UpdateMessage) => encodeUpdate(u, { fourOctetAs: true }), shape);
  const request: Probe = { layout: 'v1', source: 'host-2', destination: '', timestampNs: 1n, sequence: 1n };
  updates.announce({ ...request, destination: 'host-3' });
  const m = fromScratch(request, true);
  const a = updates.reply('host-3', m, ...valueRange(m))!;
  updates.reuse(Uint8Array.from(a)); // not the same buffer: ignored
  const b = updates.reply('host-3', m, ...valueRange(m))!;
  assert.notEqual(b, a);
  updates.reuse(b);
  updates.reuse(b); // twice: the second has nothing to give back to
  const c = updates.reply('host-3', m, ...valueRange(m))!;
  const d = updates.reply('host-3', m, ...valueRange(m))!;
  assert.equal(c, b);
  assert.notEqual(d, c, 'a spare is handed out once');
});

import { decodeMessage, decodeProbe, encodeProbe, encodeUpdate, Origin, PROBE_ATTRIBUTE_FLAGS, SegmentType, type Probe, type ProbeLayout } from '../../protocols/bgp';
import { replyTo } from './reply';

export interface ProbePathShape {
  id: string;
  nlri: string;
  localAddress: string;
  localAs: number;
  attributeType: number;
  wire: ProbeLayout;
}

/**
 * Runs the probe's whole codec path — encode the UPDATE, decode it, read the probe, build the reply,
 * encode and decode that — `rounds` times with no I/O, before the first probe.
 *
 * Why: a probe goes out every few seconds, so V8 would run these functions in its interpreter for a
 * long time, and every probe would carry a few hundred microseconds of interpreted decoding in its
 * round-trip time (measured with `npm run bench -- bgp`). A few milliseconds at start get them compiled.
 * Returns how many messages were decoded, which the caller can ignore (it keeps the work observable).
 */
export function primeProbePath(shape: ProbePathShape, rounds = 4000): number {
  let decoded = 0;
  for (let i = 0; i < rounds; i++) {
    const probe: Probe = { layout: shape.wire, source: 'primer', destination: '', timestampNs: BigInt(i) * 1_000_000_000n, sequence: BigInt(i) };
    const reply = replyTo(probe, shape.id)!;
    for (const p of [probe, reply]) {
      const bytes = encodeUpdate({
        withdrawn: [],
        nlri: [`${shape.nlri}/32`],
        attributes: {
          origin: Origin.Incomplete,
          asPath: [{ type: SegmentType.AsSequence, asns: [shape.localAs] }],
          nextHop: shape.localAddress,
          unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: shape.attributeType, value: encodeProbe(p) }],
        },
      }, { fourOctetAs: true });
      const m = decodeMessage(bytes, 0, { fourOctetAs: true, strict: false });
      if (m.kind !== 'update') continue;
      for (const a of m.update.attributes.unknown ?? []) if (a.type === shape.attributeType && decodeProbe(a.value, 0, a.value.length).source === 'primer') decoded++;
    }
  }
  return decoded;
}

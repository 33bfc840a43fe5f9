import type { UpdateMessage } from '../../protocols/bgp';
import { encodeProbe, Origin, PROBE_ATTRIBUTE_FLAGS, SegmentType, writeProbeStamp, type Probe } from '../../protocols/bgp';

export interface ProbeUpdateShape {
  /** This speaker's probe prefix (announced as /32). */
  nlri: string;
  localAddress: string;
  localAs: number;
  attributeType: number;
}

interface Template {
  bytes: Uint8Array;
  /** Where the probe attribute's value starts in `bytes`. */
  valueAt: number;
}

/** More distinct (source, destination) pairs than any lab has speakers: past it the cache starts over. */
const MAX_TEMPLATES = 64;

/**
 * The UPDATE that announces a probe (RFC 4271 §4.3: ORIGIN incomplete, AS_PATH [local AS], NEXT_HOP the
 * local address, the probe as an optional transitive attribute, NLRI the probe prefix). Two probes with
 * the same layout and ids differ only in their sequence and timestamp, so the message is encoded once per
 * (layout, source, destination) and each probe copies it and writes its own stamp in: a responder's
 * turnaround is part of every RTT it answers. Made anew for each Established session (its `encode` knows
 * whether AS_PATH is 2- or 4-octet).
 */
export class ProbeUpdates {
  private readonly templates = new Map<string, Template>();

  constructor(
    private readonly encode: (update: UpdateMessage) => Uint8Array,
    private readonly shape: ProbeUpdateShape,
  ) {}

  /** The encoded UPDATE announcing `probe`: a new buffer each time, as it goes to the socket. */
  announce(probe: Probe): Uint8Array {
    const key = `${probe.layout}\u0000${probe.source}\u0000${probe.destination}`;
    const t = this.templates.get(key);
    if (t) {
      const out = t.bytes.slice();
      writeProbeStamp(out, t.valueAt, probe);
      return out;
    }
    const value = encodeProbe(probe);
    const bytes = this.encode(this.update(value));
    if (this.templates.size >= MAX_TEMPLATES) this.templates.clear();
    this.templates.set(key, { bytes: bytes.slice(), valueAt: valueOffset(bytes, value) });
    return bytes;
  }

  private update(value: Uint8Array): UpdateMessage {
    return {
      withdrawn: [],
      nlri: [`${this.shape.nlri}/32`],
      attributes: {
        origin: Origin.Incomplete,
        asPath: [{ type: SegmentType.AsSequence, asns: [this.shape.localAs] }],
        nextHop: this.shape.localAddress,
        unknown: [{ flags: PROBE_ATTRIBUTE_FLAGS, type: this.shape.attributeType, value }],
      },
    };
  }
}

/**
 * Where `value` sits in `message`: the last place it occurs (the probe attribute is written after the
 * well-known ones, and only the 5-octet NLRI follows it).
 */
function valueOffset(message: Uint8Array, value: Uint8Array): number {
  const at = Buffer.from(message.buffer, message.byteOffset, message.length).lastIndexOf(Buffer.from(value.buffer, value.byteOffset, value.length));
  if (at < 0) throw new Error('the encoded UPDATE does not hold its probe value');
  return at;
}

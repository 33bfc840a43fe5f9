import type { UpdateMessage } from '../../protocols/bgp';
import { copyProbeStamp, encodeProbe, Origin, PROBE_ATTRIBUTE_FLAGS, SegmentType, writeProbeStamp, type Probe, type ProbeLayout } from '../../protocols/bgp';

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
  /** By layout and source (see `sourceKey`), then destination: no key string built per v1 probe. */
  private readonly templates = new Map<string, Map<string, Template>>();
  private count = 0;

  constructor(
    private readonly encode: (update: UpdateMessage) => Uint8Array,
    private readonly shape: ProbeUpdateShape,
  ) {}

  /**
   * The encoded UPDATE announcing `probe`: a new buffer each time, as it goes to the socket.
   * `stampedLike`: the value of a received probe with the same stamp (the request a reply answers): its
   * stamp octets are copied as they are, with no conversion through `probe`'s numbers.
   */
  announce(probe: Probe, stampedLike?: Uint8Array): Uint8Array {
    const bySource = sourceKey(probe.layout, probe.source);
    const t = this.templates.get(bySource)?.get(probe.destination);
    if (t) {
      const out = copyOf(t);
      if (stampedLike) copyProbeStamp(out, t.valueAt, stampedLike, probe.layout);
      else writeProbeStamp(out, t.valueAt, probe);
      return out;
    }
    const value = encodeProbe(probe);
    const bytes = this.encode(this.update(value));
    if (this.count >= MAX_TEMPLATES) { this.templates.clear(); this.count = 0; }
    let byDestination = this.templates.get(bySource);
    if (!byDestination) this.templates.set(bySource, byDestination = new Map());
    const valueAt = valueOffset(bytes, value);
    byDestination.set(probe.destination, { bytes: bytes.slice(), valueAt });
    this.count++;
    if (stampedLike) copyProbeStamp(bytes, valueAt, stampedLike, probe.layout);
    return bytes;
  }

  /**
   * The reply to a request from `source`, stamped like the request whose value is at
   * request[requestAt...], when an earlier `announce` made its template; undefined when none did.
   * With it a responder answers from the request's bytes, decoding nothing but the source id.
   */
  reply(layout: ProbeLayout, source: string, destination: string, request: Uint8Array, requestAt: number): Uint8Array | undefined {
    const t = this.templates.get(sourceKey(layout, source))?.get(destination);
    if (!t) return undefined;
    const out = copyOf(t);
    copyProbeStamp(out, t.valueAt, request, layout, requestAt);
    return out;
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

/** The first-level template key: the source id, prefixed for the seed layout (whose templates differ). */
function sourceKey(layout: ProbeLayout, source: string): string {
  return layout === 'v1' ? source : `seed:${source}`;
}

/** A template's bytes in a buffer of their own, from Node's pool: no new ArrayBuffer per probe. */
function copyOf(t: Template): Uint8Array {
  const out = Buffer.allocUnsafe(t.bytes.length);
  out.set(t.bytes);
  return out;
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

import type { UpdateMessage } from '../../protocols/bgp';
import { copyProbeStamp, encodeProbe, isProbeRequestFrom, Origin, PROBE_ATTRIBUTE_FLAGS, SegmentType, writeProbeStamp, type Probe, type ProbeLayout } from '../../protocols/bgp';

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
  layout: ProbeLayout;
  /** The source id's octets (UTF-8), for `reply` to match a request by its bytes. */
  source: Uint8Array;
  destination: string;
  /** A reply the socket is done with (`reuse`), to be stamped anew instead of copying `bytes` again. */
  spare: Uint8Array | undefined;
  /** The template made before this one (see `ProbeUpdates.newest`). */
  older: Template | undefined;
}

const utf8 = new TextEncoder();

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
  /**
   * The same templates, newest first, linked through `older`, for `reply`, which has no id text to look
   * up by. A list of objects rather than an array: an array that has never held an object is of another
   * kind to V8 than one that has, and code compiled for one is thrown away at the sight of the other (at a
   * session's first probe, after priming).
   */
  private newest: Template | undefined;
  private count = 0;
  /** The last `reply`'s bytes and template: what `reuse` may give back, and to which. */
  private replied: Template | undefined;
  private repliedBytes: Uint8Array | undefined;

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
    if (this.count >= MAX_TEMPLATES) { this.templates.clear(); this.newest = undefined; this.count = 0; }
    let byDestination = this.templates.get(bySource);
    if (!byDestination) this.templates.set(bySource, byDestination = new Map());
    const valueAt = valueOffset(bytes, value);
    const made: Template = { bytes: bytes.slice(), valueAt, layout: probe.layout, source: utf8.encode(probe.source), destination: probe.destination, spare: undefined, older: this.newest };
    byDestination.set(probe.destination, made);
    this.newest = made;
    this.count++;
    if (stampedLike) copyProbeStamp(bytes, valueAt, stampedLike, probe.layout);
    return bytes;
  }

  /**
   * The reply from `destination` (this speaker's id) to the probe request whose value is
   * request[valueAt, valueEnd), stamped like it, when an earlier `announce` made the template for that
   * request's layout and source; undefined when none did (or the value is no well-formed request). It
   * reads the request's octets only: a responder answers a prober it has answered before without
   * decoding anything. A request from `destination` itself (its own probe come back) finds no template:
   * a speaker never replies to itself.
   */
  reply(destination: string, request: Uint8Array, valueAt: number, valueEnd: number): Uint8Array | undefined {
    for (let t = this.newest; t; t = t.older) {
      if (t.destination !== destination || !isProbeRequestFrom(request, valueAt, valueEnd, t.layout, t.source)) continue;
      const out = t.spare ?? copyOf(t);
      t.spare = undefined;
      this.replied = t;
      this.repliedBytes = out;
      copyProbeStamp(out, t.valueAt, request, t.layout, valueAt);
      return out;
    }
    return undefined;
  }

  /**
   * Gives back the bytes the last `reply` returned, once the socket holds no reference to them (the
   * kernel took them whole when they were written): the next reply from the same template is stamped
   * into them. Each new buffer costs an allocation and, on a VM, page faults — tens of microseconds in
   * a responder's turnaround (`npm run bench -- bgp`).
   */
  reuse(bytes: Uint8Array): void {
    if (this.replied && bytes === this.repliedBytes) this.replied.spare = bytes;
    this.replied = undefined;
    this.repliedBytes = undefined;
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

/** The first-level template key: the source id, prefixed for the book layout (whose templates differ). */
function sourceKey(layout: ProbeLayout, source: string): string {
  return layout === 'v1' ? source : `book:${source}`;
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

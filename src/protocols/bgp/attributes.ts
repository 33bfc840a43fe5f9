import { Afi, formatIpv4, formatIpv6, Safi, writeIpv4, writeIpv6 } from './address';
import { BgpError, type ErrorAction } from './errors';
import { prefixesWireLength, scanPrefixes, writePrefixes, type Prefixes } from './prefix';

/** Path attribute type codes, IANA "BGP Path Attributes" registry. */
export const AttrType = {
  Origin: 1, // RFC 4271 §5.1.1
  AsPath: 2, // RFC 4271 §5.1.2
  NextHop: 3, // RFC 4271 §5.1.3
  MultiExitDisc: 4, // RFC 4271 §5.1.4
  LocalPref: 5, // RFC 4271 §5.1.5
  AtomicAggregate: 6, // RFC 4271 §5.1.6
  Aggregator: 7, // RFC 4271 §5.1.7
  Communities: 8, // RFC 1997
  MpReachNlri: 14, // RFC 4760 §3
  MpUnreachNlri: 15, // RFC 4760 §4
  As4Path: 17, // RFC 6793 §3
  As4Aggregator: 18, // RFC 6793 §3
  LargeCommunity: 32, // RFC 8092 §3
} as const;

/** Attribute Flags, RFC 4271 §4.3. */
export const AttrFlag = { Optional: 0x80, Transitive: 0x40, Partial: 0x20, ExtendedLength: 0x10 } as const;

/** ORIGIN values, RFC 4271 §4.3. */
export const Origin = { Igp: 0, Egp: 1, Incomplete: 2 } as const;

/** AS_PATH segment types, RFC 4271 §4.3; the confederation ones from RFC 5065 §3. */
export const SegmentType = { AsSet: 1, AsSequence: 2, AsConfedSequence: 3, AsConfedSet: 4 } as const;

export interface AsPathSegment {
  type: number;
  asns: number[];
}

/** RFC 4271 §5.1.7 / RFC 6793 §3. */
export interface Aggregator {
  asn: number;
  address: string;
}

/** RFC 8092 §3: Global Administrator, Local Data Part 1, Local Data Part 2. */
export interface LargeCommunity {
  global: number;
  local1: number;
  local2: number;
}

/** RFC 4760 §3 for IPv4 or IPv6 unicast. */
export interface MpReach {
  afi: number;
  safi: number;
  /** One address, or for IPv6 a global and a link-local one (RFC 2545 §3). */
  nextHops: string[];
  nlri: Prefixes;
}

/** RFC 4760 §4. */
export interface MpUnreach {
  afi: number;
  safi: number;
  withdrawn: Prefixes;
}

/** An attribute labtel does not interpret, kept as it came (flags include Partial as received). */
export interface UnknownAttribute {
  flags: number;
  type: number;
  value: Uint8Array;
}

/** The path attributes of one UPDATE. Absent attributes are `undefined`. */
export interface PathAttributes {
  origin?: number | undefined;
  asPath?: AsPathSegment[] | undefined;
  nextHop?: string | undefined;
  med?: number | undefined;
  localPref?: number | undefined;
  atomicAggregate?: boolean | undefined;
  aggregator?: Aggregator | undefined;
  /** RFC 1997 communities as 32-bit numbers (high 16 bits: AS). */
  communities?: number[] | undefined;
  mpReach?: MpReach | undefined;
  mpUnreach?: MpUnreach | undefined;
  as4Path?: AsPathSegment[] | undefined;
  as4Aggregator?: Aggregator | undefined;
  largeCommunities?: LargeCommunity[] | undefined;
  unknown?: UnknownAttribute[] | undefined;
}

/** What decoding depends on from the session: RFC 6793 §4 — with both sides 4-octet capable, AS_PATH carries 4-octet ASNs. */
export interface DecodeContext {
  fourOctetAs: boolean;
  /**
   * Classic RFC 4271 §6.3 handling: every error throws (so it ends in a NOTIFICATION). Without it, RFC
   * 7606 applies: only session-reset errors throw; the others are collected on the decoded UPDATE.
   */
  strict?: boolean;
}

export interface EncodeContext {
  fourOctetAs: boolean;
}

/** The Optional and Transitive bits each known attribute must carry (RFC 4271 §5, RFC 4760, RFC 6793, RFC 8092). */
const expectedFlags: Record<number, number> = {
  1: 0x40, 2: 0x40, 3: 0x40, 4: 0x80, 5: 0x40, 6: 0x40, 7: 0xc0, 8: 0xc0, 14: 0x80, 15: 0x80, 17: 0xc0, 18: 0xc0, 32: 0xc0,
};

/** Whether labtel decodes attribute `type` (the others are kept as `UnknownAttribute`s). */
export function isKnownAttribute(type: number): boolean {
  return expectedFlags[type] !== undefined;
}

/**
 * The same attributes in a record with every field present. Decoding builds these; encoding copies its
 * input into one first: callers build attribute sets of many shapes, and V8 looks up an absent
 * property on such objects (spread copies above all) an order of magnitude slower than a present one —
 * iterating the keys that are there touches none that are not.
 */
export function withAllFields(a: PathAttributes): PathAttributes {
  const out = emptyAttributes();
  for (const key in a) {
    switch (key) {
      case 'origin': out.origin = a.origin; break;
      case 'asPath': out.asPath = a.asPath; break;
      case 'nextHop': out.nextHop = a.nextHop; break;
      case 'med': out.med = a.med; break;
      case 'localPref': out.localPref = a.localPref; break;
      case 'atomicAggregate': out.atomicAggregate = a.atomicAggregate; break;
      case 'aggregator': out.aggregator = a.aggregator; break;
      case 'communities': out.communities = a.communities; break;
      case 'mpReach': out.mpReach = a.mpReach; break;
      case 'mpUnreach': out.mpUnreach = a.mpUnreach; break;
      case 'as4Path': out.as4Path = a.as4Path; break;
      case 'as4Aggregator': out.as4Aggregator = a.as4Aggregator; break;
      case 'largeCommunities': out.largeCommunities = a.largeCommunities; break;
      case 'unknown': out.unknown = a.unknown; break;
    }
  }
  return out;
}

/** Builds a record with every field present so all decoded attribute sets share one shape (faster property access). */
function emptyAttributes(): PathAttributes {
  return {
    origin: undefined, asPath: undefined, nextHop: undefined, med: undefined, localPref: undefined,
    atomicAggregate: undefined, aggregator: undefined, communities: undefined, mpReach: undefined, mpUnreach: undefined,
    as4Path: undefined, as4Aggregator: undefined, largeCommunities: undefined, unknown: undefined,
  };
}

const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/**
 * Decodes an AS_PATH or AS4_PATH value buf[v, end) with `size`-octet ASNs. Returns the reason when it is
 * malformed per RFC 7606 §7.2: a segment running past the attribute, a zero-length segment, an unknown
 * segment type.
 */
export function decodeAsPath(buf: Uint8Array, v: number, end: number, size: 2 | 4): AsPathSegment[] | string {
  const segments: AsPathSegment[] = [];
  let p = v;
  while (p < end) {
    if (p + 2 > end) return 'segment header runs past the attribute';
    const type = buf[p]!;
    const count = buf[p + 1]!;
    if (type < 1 || type > 4) return `unknown segment type ${type}`;
    if (count === 0) return 'zero-length segment';
    const next = p + 2 + count * size;
    if (next > end) return `segment of ${count} ASNs runs past the attribute`;
    const asns = new Array<number>(count);
    if (size === 4) for (let i = 0, o = p + 2; i < count; i++, o += 4) asns[i] = u32(buf, o);
    else for (let i = 0, o = p + 2; i < count; i++, o += 2) asns[i] = (buf[o]! << 8) | buf[o + 1]!;
    segments.push({ type, asns });
    p = next;
  }
  return segments;
}

/** RFC 4271 §6.3: a NEXT_HOP that is not a valid host address (0/8, 127/8, multicast, class E, broadcast). */
function invalidNextHop(b: Uint8Array, o: number): boolean {
  const first = b[o]!;
  return first === 0 || first === 127 || first >= 224;
}

/** RFC 7606: session-reset errors (and, in strict RFC 4271 mode, all errors) throw; the others are collected. */
function report(ctx: DecodeContext, errors: BgpError[], e: BgpError): void {
  if (ctx.strict || e.action === 'session-reset') throw e;
  errors.push(e);
}

/** Reports an error in the attribute buf[at, end) of `type`; the NOTIFICATION data defaults to the whole attribute. */
function fail(
  ctx: DecodeContext, errors: BgpError[], buf: Uint8Array, at: number, end: number, type: number,
  subcode: number, action: ErrorAction, reason: string, data?: Uint8Array, offset = at,
): void {
  report(ctx, errors, new BgpError('bgp.update.attribute', offset, `attribute ${type}: ${reason}`, 3, subcode, data ?? buf.subarray(at, end), action, type));
}

/**
 * Decodes the path attributes buf[start, end), applying RFC 7606. Errors whose handling is
 * session-reset (or any error with ctx.strict) throw; the others go into `errors` and the attribute is
 * left out. Duplicate MP_REACH/MP_UNREACH reset the session; other duplicates are discarded (§3 (g)).
 */
export function decodeAttributes(buf: Uint8Array, start: number, end: number, ctx: DecodeContext, errors: BgpError[]): PathAttributes {
  const a = emptyAttributes();
  let seenLow = 0; // types 0..31
  let seenHigh = 0; // types 32..63
  let seenRest: Set<number> | undefined;
  let p = start;
  while (p < end) {
    const at = p;
    const flags = buf[p]!;
    const headLen = flags & AttrFlag.ExtendedLength ? 4 : 3;
    if (end - p < headLen) {
      // RFC 7606 §4: too few octets left for an attribute header — treat-as-withdraw, NLRI found via the total length.
      report(ctx, errors, new BgpError('bgp.update.attribute', at, `${end - p} octets left, too few for an attribute header`, 3, 1, new Uint8Array(0), 'treat-as-withdraw'));
      break;
    }
    const type = buf[p + 1]!;
    const len = headLen === 4 ? (buf[p + 2]! << 8) | buf[p + 3]! : buf[p + 2]!;
    const v = p + headLen;
    if (v + len > end) {
      // RFC 7606 §4: the attribute's length overruns the path attributes — treat-as-withdraw.
      report(ctx, errors, new BgpError('bgp.update.attribute', at + 2, `attribute ${type} length ${len} runs past the path attributes`, 3, 5, buf.subarray(at, end), 'treat-as-withdraw'));
      break;
    }
    p = v + len;

    let dup: boolean;
    if (type < 32) { dup = (seenLow & (1 << type)) !== 0; seenLow |= 1 << type; }
    else if (type < 64) { dup = (seenHigh & (1 << (type - 32))) !== 0; seenHigh |= 1 << (type - 32); }
    else { seenRest ??= new Set(); dup = seenRest.has(type); seenRest.add(type); }
    if (dup) {
      if (type === AttrType.MpReachNlri || type === AttrType.MpUnreachNlri) fail(ctx, errors, buf, at, p, type, 1, 'session-reset', 'appears twice', new Uint8Array(0));
      else fail(ctx, errors, buf, at, p, type, 1, 'attribute-discard', 'appears twice; the first one is kept', new Uint8Array(0));
      continue;
    }
    const expected = expectedFlags[type];
    if (expected === undefined) {
      if ((flags & AttrFlag.Optional) === 0) {
        // RFC 4271 §6.3: a well-known attribute labtel does not recognise.
        fail(ctx, errors, buf, at, p, type, 2, 'session-reset', 'unrecognized well-known attribute');
        continue;
      }
      (a.unknown ??= []).push({ flags, type, value: buf.subarray(v, p) });
      continue;
    }
    // RFC 4271 §4.3: Partial is 0 on well-known and optional non-transitive attributes.
    if ((flags & 0xc0) !== expected || (expected !== 0xc0 && (flags & AttrFlag.Partial) !== 0)) {
      // RFC 4271 §6.3 Attribute Flags Error; RFC 7606 §3 (c): treat-as-withdraw.
      fail(ctx, errors, buf, at, p, type, 4, 'treat-as-withdraw', `flags 0x${flags.toString(16)} conflict with the type (expected optional/transitive 0x${expected.toString(16)}, Partial only if both)`);
      continue;
    }
    switch (type) {
      case AttrType.Origin:
        if (len !== 1) fail(ctx, errors, buf, at, p, type, 5, 'treat-as-withdraw', `length ${len}, must be 1`);
        else if (buf[v]! > 2) fail(ctx, errors, buf, at, p, type, 6, 'treat-as-withdraw', `undefined ORIGIN value ${buf[v]}`, undefined, v);
        else a.origin = buf[v]!;
        break;
      case AttrType.AsPath: {
        const r = decodeAsPath(buf, v, p, ctx.fourOctetAs ? 4 : 2);
        if (typeof r === 'string') fail(ctx, errors, buf, at, p, type, 11, 'treat-as-withdraw', r, new Uint8Array(0));
        else a.asPath = r;
        break;
      }
      case AttrType.NextHop:
        if (len !== 4) fail(ctx, errors, buf, at, p, type, 5, 'treat-as-withdraw', `length ${len}, must be 4`);
        else if (invalidNextHop(buf, v)) fail(ctx, errors, buf, at, p, type, 8, 'treat-as-withdraw', `${formatIpv4(buf, v)} is not a valid host address`, undefined, v);
        else a.nextHop = formatIpv4(buf, v);
        break;
      case AttrType.MultiExitDisc:
        if (len !== 4) fail(ctx, errors, buf, at, p, type, 5, 'treat-as-withdraw', `length ${len}, must be 4`);
        else a.med = u32(buf, v);
        break;
      case AttrType.LocalPref:
        if (len !== 4) fail(ctx, errors, buf, at, p, type, 5, 'treat-as-withdraw', `length ${len}, must be 4`);
        else a.localPref = u32(buf, v);
        break;
      case AttrType.AtomicAggregate:
        if (len !== 0) fail(ctx, errors, buf, at, p, type, 5, 'attribute-discard', `length ${len}, must be 0`); // RFC 7606 §7.6
        else a.atomicAggregate = true;
        break;
      case AttrType.Aggregator: {
        const size = ctx.fourOctetAs ? 8 : 6;
        if (len !== size) fail(ctx, errors, buf, at, p, type, 5, 'attribute-discard', `length ${len}, must be ${size}`); // RFC 7606 §7.7
        else a.aggregator = size === 8 ? { asn: u32(buf, v), address: formatIpv4(buf, v + 4) } : { asn: (buf[v]! << 8) | buf[v + 1]!, address: formatIpv4(buf, v + 2) };
        break;
      }
      case AttrType.Communities:
        if (len === 0 || len % 4 !== 0) fail(ctx, errors, buf, at, p, type, 5, 'treat-as-withdraw', `length ${len}, must be a non-zero multiple of 4`); // RFC 7606 §7.8
        else {
          const c = new Array<number>(len >>> 2);
          for (let i = 0, o = v; o < p; i++, o += 4) c[i] = u32(buf, o);
          a.communities = c;
        }
        break;
      case AttrType.LargeCommunity:
        if (len === 0 || len % 12 !== 0) fail(ctx, errors, buf, at, p, type, 5, 'treat-as-withdraw', `length ${len}, must be a non-zero multiple of 12`); // RFC 8092 §6
        else {
          const c = new Array<LargeCommunity>(len / 12);
          for (let i = 0, o = v; o < p; i++, o += 12) c[i] = { global: u32(buf, o), local1: u32(buf, o + 4), local2: u32(buf, o + 8) };
          a.largeCommunities = c;
        }
        break;
      case AttrType.As4Path: {
        // RFC 6793 §6: a malformed AS4_PATH is discarded, the UPDATE kept.
        const r = decodeAsPath(buf, v, p, 4);
        if (typeof r === 'string') fail(ctx, errors, buf, at, p, type, 9, 'attribute-discard', r);
        else a.as4Path = r;
        break;
      }
      case AttrType.As4Aggregator:
        if (len !== 8) fail(ctx, errors, buf, at, p, type, 5, 'attribute-discard', `length ${len}, must be 8`); // RFC 6793 §6
        else a.as4Aggregator = { asn: u32(buf, v), address: formatIpv4(buf, v + 4) };
        break;
      case AttrType.MpReachNlri:
        decodeMpReach(buf, at, v, p, flags, a, ctx, errors);
        break;
      case AttrType.MpUnreachNlri:
        decodeMpUnreach(buf, at, v, p, flags, a, ctx, errors);
        break;
    }
  }
  return a;
}

const isUnicastFamily = (afi: number, safi: number): boolean => (afi === Afi.Ipv4 || afi === Afi.Ipv6) && (safi === Safi.Unicast || safi === Safi.Multicast);

/** RFC 4760 §3; errors reset the session (RFC 7606 §7.11, §5.3: the NLRI cannot be located reliably). */
function decodeMpReach(buf: Uint8Array, at: number, v: number, end: number, flags: number, a: PathAttributes, ctx: DecodeContext, errors: BgpError[]): void {
  const whole = buf.subarray(at, end);
  const err = (offset: number, subcode: number, reason: string): BgpError =>
    new BgpError('bgp.update.mp_reach_nlri', offset, reason, 3, subcode, subcode === 10 ? new Uint8Array(0) : whole, 'session-reset');
  if (end - v < 5) return report(ctx, errors, err(v, 9, `length ${end - v}, shorter than 5`));
  const afi = (buf[v]! << 8) | buf[v + 1]!;
  const safi = buf[v + 2]!;
  if (!isUnicastFamily(afi, safi)) {
    // A family labtel does not speak: kept as an unknown attribute (RFC 4760 §7 says to ignore it).
    (a.unknown ??= []).push({ flags, type: AttrType.MpReachNlri, value: buf.subarray(v, end) });
    return;
  }
  const nhLen = buf[v + 3]!;
  const nh = v + 4;
  if (nh + nhLen + 1 > end) return report(ctx, errors, err(v + 3, 9, `next hop length ${nhLen} runs past the attribute`));
  const nextHops: string[] = [];
  if (nhLen === 4) nextHops.push(formatIpv4(buf, nh));
  else if (nhLen === 16 || nhLen === 32) {
    nextHops.push(formatIpv6(buf, nh));
    if (nhLen === 32) nextHops.push(formatIpv6(buf, nh + 16));
  } else return report(ctx, errors, err(v + 3, 9, `next hop length ${nhLen} is not 4, 16 or 32`));
  if (afi === Afi.Ipv6 && nhLen === 4) return report(ctx, errors, err(v + 3, 9, 'IPv4 next hop for IPv6 routes'));
  const nlri = scanPrefixes(buf, nh + nhLen + 1, end, afi, { what: 'bgp.update.mp_reach_nlri', code: 3, subcode: 10, action: 'session-reset' });
  a.mpReach = { afi, safi, nextHops, nlri };
}

/** RFC 4760 §4. */
function decodeMpUnreach(buf: Uint8Array, at: number, v: number, end: number, flags: number, a: PathAttributes, ctx: DecodeContext, errors: BgpError[]): void {
  if (end - v < 3) {
    return report(ctx, errors, new BgpError('bgp.update.mp_unreach_nlri', v, `length ${end - v}, shorter than 3`, 3, 9, buf.subarray(at, end), 'session-reset'));
  }
  const afi = (buf[v]! << 8) | buf[v + 1]!;
  const safi = buf[v + 2]!;
  if (!isUnicastFamily(afi, safi)) {
    (a.unknown ??= []).push({ flags, type: AttrType.MpUnreachNlri, value: buf.subarray(v, end) });
    return;
  }
  const withdrawn = scanPrefixes(buf, v + 3, end, afi, { what: 'bgp.update.mp_unreach_nlri', code: 3, subcode: 10, action: 'session-reset' });
  a.mpUnreach = { afi, safi, withdrawn };
}

// ---- encoding ----

const MAX_SEGMENT = 255;

function asPathValueLength(segments: readonly AsPathSegment[], size: number): number {
  let n = 0;
  // Empty segments are left out: RFC 7606 §7.2 makes a zero-length segment malformed.
  for (const s of segments) n += Math.ceil(s.asns.length / MAX_SEGMENT) * 2 + s.asns.length * size;
  return n;
}

function writeAsPath(segments: readonly AsPathSegment[], size: number, out: Uint8Array, p: number): number {
  for (const s of segments) {
    // RFC 4271 §9.2.2.1 / RFC 6793: a segment holds at most 255 ASNs; longer ones continue in the next segment.
    for (let from = 0; from < s.asns.length; from += MAX_SEGMENT) {
      const n = Math.min(MAX_SEGMENT, s.asns.length - from);
      out[p] = s.type;
      out[p + 1] = n;
      p += 2;
      for (let i = from; i < from + n; i++) {
        const asn = s.asns[i]!;
        if (size === 4) {
          out[p] = asn >>> 24; out[p + 1] = (asn >>> 16) & 0xff; out[p + 2] = (asn >>> 8) & 0xff; out[p + 3] = asn & 0xff;
          p += 4;
        } else {
          // RFC 6793 §4.2.2: an AS that does not fit in 2 octets is sent as AS_TRANS (the caller adds AS4_PATH).
          const two = asn > 0xffff ? 23456 : asn;
          out[p] = two >>> 8; out[p + 1] = two & 0xff;
          p += 2;
        }
      }
    }
  }
  return p;
}

function mpReachNextHopLength(m: MpReach): number {
  if (m.afi === Afi.Ipv4 && m.nextHops.length === 1 && !m.nextHops[0]!.includes(':')) return 4;
  return 16 * m.nextHops.length;
}

/** An attribute's octets with its header: 3, or 4 with the extended length a value over 255 octets needs. */
function sized(len: number): number {
  return (len > 255 ? 4 : 3) + len;
}

/** Octets of every attribute in `a` (headers included) as `writeAttributes` lays them out. */
export function attributesLength(a: PathAttributes, ctx: EncodeContext): number {
  let n = 0;
  if (a.mpReach) n += sized(5 + mpReachNextHopLength(a.mpReach) + prefixesWireLength(a.mpReach.nlri, a.mpReach.afi));
  if (a.mpUnreach) n += sized(3 + prefixesWireLength(a.mpUnreach.withdrawn, a.mpUnreach.afi));
  if (a.origin !== undefined) n += sized(1);
  if (a.asPath) n += sized(asPathValueLength(a.asPath, ctx.fourOctetAs ? 4 : 2));
  if (a.nextHop !== undefined) n += sized(4);
  if (a.med !== undefined) n += sized(4);
  if (a.localPref !== undefined) n += sized(4);
  if (a.atomicAggregate) n += sized(0);
  if (a.aggregator) n += sized(ctx.fourOctetAs ? 8 : 6);
  if (a.communities) n += sized(4 * a.communities.length);
  if (a.as4Path) n += sized(asPathValueLength(a.as4Path, 4));
  if (a.as4Aggregator) n += sized(8);
  if (a.largeCommunities) n += sized(12 * a.largeCommunities.length);
  if (a.unknown) for (const u of a.unknown) n += sized(u.value.length);
  return n;
}

/** Writes an attribute header (extended length when the value exceeds 255 octets) and returns the value's offset. */
function header(out: Uint8Array, p: number, flags: number, type: number, len: number): number {
  if (len > 255) {
    out[p] = flags | AttrFlag.ExtendedLength; out[p + 1] = type; out[p + 2] = len >>> 8; out[p + 3] = len & 0xff;
    return p + 4;
  }
  out[p] = flags & ~AttrFlag.ExtendedLength; out[p + 1] = type; out[p + 2] = len;
  return p + 3;
}

function put32(out: Uint8Array, p: number, x: number): void {
  out[p] = x >>> 24; out[p + 1] = (x >>> 16) & 0xff; out[p + 2] = (x >>> 8) & 0xff; out[p + 3] = x & 0xff;
}

/**
 * Writes `a` at `offset` and returns the offset past it. MP_REACH_NLRI and MP_UNREACH_NLRI come first
 * (RFC 7606 §5.1), the rest in type-code order, unknown attributes last with their own flags.
 */
export function writeAttributes(a: PathAttributes, ctx: EncodeContext, out: Uint8Array, offset: number): number {
  let p = offset;
  if (a.mpReach) {
    const m = a.mpReach;
    const nhLen = mpReachNextHopLength(m);
    const len = 5 + nhLen + prefixesWireLength(m.nlri, m.afi);
    p = header(out, p, 0x80, AttrType.MpReachNlri, len);
    out[p] = m.afi >>> 8; out[p + 1] = m.afi & 0xff; out[p + 2] = m.safi; out[p + 3] = nhLen;
    p += 4;
    if (nhLen === 4) writeIpv4(m.nextHops[0]!, out, p);
    else m.nextHops.forEach((h, i) => writeIpv6(h, out, p + 16 * i));
    p += nhLen;
    out[p++] = 0; // Reserved, RFC 4760 §3
    p = writePrefixes(m.nlri, m.afi, out, p);
  }
  if (a.mpUnreach) {
    const m = a.mpUnreach;
    p = header(out, p, 0x80, AttrType.MpUnreachNlri, 3 + prefixesWireLength(m.withdrawn, m.afi));
    out[p] = m.afi >>> 8; out[p + 1] = m.afi & 0xff; out[p + 2] = m.safi;
    p = writePrefixes(m.withdrawn, m.afi, out, p + 3);
  }
  if (a.origin !== undefined) {
    p = header(out, p, 0x40, AttrType.Origin, 1);
    out[p++] = a.origin;
  }
  if (a.asPath) {
    const size = ctx.fourOctetAs ? 4 : 2;
    p = header(out, p, 0x40, AttrType.AsPath, asPathValueLength(a.asPath, size));
    p = writeAsPath(a.asPath, size, out, p);
  }
  if (a.nextHop !== undefined) {
    p = header(out, p, 0x40, AttrType.NextHop, 4);
    writeIpv4(a.nextHop, out, p);
    p += 4;
  }
  if (a.med !== undefined) {
    p = header(out, p, 0x80, AttrType.MultiExitDisc, 4);
    put32(out, p, a.med);
    p += 4;
  }
  if (a.localPref !== undefined) {
    p = header(out, p, 0x40, AttrType.LocalPref, 4);
    put32(out, p, a.localPref);
    p += 4;
  }
  if (a.atomicAggregate) p = header(out, p, 0x40, AttrType.AtomicAggregate, 0);
  if (a.aggregator) {
    const four = ctx.fourOctetAs;
    p = header(out, p, 0xc0, AttrType.Aggregator, four ? 8 : 6);
    if (four) { put32(out, p, a.aggregator.asn); p += 4; } else {
      const two = a.aggregator.asn > 0xffff ? 23456 : a.aggregator.asn;
      out[p] = two >>> 8; out[p + 1] = two & 0xff; p += 2;
    }
    writeIpv4(a.aggregator.address, out, p);
    p += 4;
  }
  if (a.communities) {
    const c = a.communities;
    p = header(out, p, 0xc0, AttrType.Communities, 4 * c.length);
    for (let i = 0; i < c.length; i++, p += 4) put32(out, p, c[i]!);
  }
  if (a.as4Path) {
    p = header(out, p, 0xc0, AttrType.As4Path, asPathValueLength(a.as4Path, 4));
    p = writeAsPath(a.as4Path, 4, out, p);
  }
  if (a.as4Aggregator) {
    p = header(out, p, 0xc0, AttrType.As4Aggregator, 8);
    put32(out, p, a.as4Aggregator.asn);
    writeIpv4(a.as4Aggregator.address, out, p + 4);
    p += 8;
  }
  if (a.largeCommunities) {
    const c = a.largeCommunities;
    p = header(out, p, 0xc0, AttrType.LargeCommunity, 12 * c.length);
    for (let i = 0; i < c.length; i++, p += 12) {
      const x = c[i]!;
      put32(out, p, x.global); put32(out, p + 4, x.local1); put32(out, p + 8, x.local2);
    }
  }
  if (a.unknown) {
    for (const u of a.unknown) {
      p = header(out, p, u.flags, u.type, u.value.length);
      out.set(u.value, p);
      p += u.value.length;
    }
  }
  return p;
}

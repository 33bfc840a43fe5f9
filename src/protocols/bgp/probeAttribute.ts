import { DecodeError, need } from '../decodeError';
import { AttrFlag } from './attributes';

/**
 * The bgp-ping probe, carried as the value of an optional transitive path attribute (RFC 4271 §5:
 * routers that do not know it pass it on, setting Partial). Two layouts share the attribute:
 *
 * book (the book's Go bgp-ping, 46 octets):
 *   0..14   source id, ASCII, NUL-padded
 *   15..29  destination id, ASCII, NUL-padded (all NUL in a request)
 *   30..37  timestamp, big-endian uint64, Unix SECONDS
 *   38..45  zero
 *
 * labtel v1 (22 + S + D octets):
 *   0       magic 0xB7 — not ASCII, so never the first octet of a book probe (its source id is ASCII)
 *   1       version, 1
 *   2..3    reserved, zero (ignored on receipt)
 *   4..11   probe sequence number, big-endian uint64 (the prober counts up; the responder copies it)
 *   12..19  timestamp, big-endian uint64, Unix NANOSECONDS (prober's wall clock; RTT itself comes from
 *           the prober's monotonic clock, keyed by sequence number)
 *   20      S, source id length (1..255), then S octets of UTF-8
 *   20+1+S  D, destination id length (0 in a request), then D octets of UTF-8
 * A reader tells them apart by the first octet and checks the length each layout implies.
 */
export const PROBE_MAGIC = 0xb7;
export const PROBE_VERSION = 1;
export const BOOK_PROBE_LENGTH = 46;
const BOOK_ID_LENGTH = 15;

/** The book's attribute type code (RFC 2042 reserves 255 for development, a good choice in a private lab). */
export const DEFAULT_PROBE_ATTRIBUTE_TYPE = 42;
/** Optional | Transitive, as the book sends it. */
export const PROBE_ATTRIBUTE_FLAGS = AttrFlag.Optional | AttrFlag.Transitive;

export type ProbeLayout = 'book' | 'v1';

export interface Probe {
  layout: ProbeLayout;
  source: string;
  /** Empty in a request; the responder's id in a reply. */
  destination: string;
  /** Unix time in nanoseconds (the book's whole seconds, times 10^9). */
  timestampNs: bigint;
  /** v1 only; 0 for the book layout, which has none. */
  sequence: bigint;
}

const latin = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function readU64(buf: Uint8Array, o: number): bigint {
  const hi = ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
  const lo = ((buf[o + 4]! << 24) | (buf[o + 5]! << 16) | (buf[o + 6]! << 8) | buf[o + 7]!) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function writeU64(out: Uint8Array, o: number, x: bigint): void {
  if (x < 0n || x >= 1n << 64n) throw new RangeError(`${x} does not fit in an unsigned 64-bit field`);
  const hi = Number(x >> 32n);
  const lo = Number(x & 0xffffffffn);
  out[o] = hi >>> 24; out[o + 1] = (hi >>> 16) & 0xff; out[o + 2] = (hi >>> 8) & 0xff; out[o + 3] = hi & 0xff;
  out[o + 4] = lo >>> 24; out[o + 5] = (lo >>> 16) & 0xff; out[o + 6] = (lo >>> 8) & 0xff; out[o + 7] = lo & 0xff;
}

/**
 * buf[start, end) as UTF-8. Ids are short and nearly always ASCII, read one probe at a time: a loop over
 * the octets costs less than a call into TextDecoder, which stays for anything beyond ASCII (and rejects
 * what is not UTF-8).
 */
function utf8Id(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

/** A NUL-padded ASCII id: everything before the first NUL. */
function paddedId(buf: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && buf[end] !== 0) end++;
  return latin.decode(buf.subarray(start, end));
}

/** Decodes a probe attribute value buf[offset, end) in either layout. */
export function decodeProbe(buf: Uint8Array, offset: number, end: number): Probe {
  need('bgp.probe', offset, 1, end);
  if (buf[offset] === PROBE_MAGIC) {
    need('bgp.probe', offset, 22, end);
    if (buf[offset + 1] !== PROBE_VERSION) throw new DecodeError('bgp.probe', offset + 1, `unknown probe version ${buf[offset + 1]}`);
    const sequence = readU64(buf, offset + 4);
    const timestampNs = readU64(buf, offset + 12);
    const s = buf[offset + 20]!;
    need('bgp.probe', offset + 21, s + 1, end);
    const dAt = offset + 21 + s;
    const d = buf[dAt]!;
    if (dAt + 1 + d !== end) throw new DecodeError('bgp.probe', dAt, `destination id of ${d} octets does not end the value (${end - dAt - 1} left)`);
    try {
      return {
        layout: 'v1',
        source: utf8Id(buf, offset + 21, dAt),
        destination: utf8Id(buf, dAt + 1, end),
        timestampNs,
        sequence,
      };
    } catch {
      throw new DecodeError('bgp.probe', offset + 20, 'an id is not UTF-8');
    }
  }
  if (end - offset !== BOOK_PROBE_LENGTH) {
    throw new DecodeError('bgp.probe', offset, `neither layout: no v1 magic and ${end - offset} octets, not the book's 46`);
  }
  return {
    layout: 'book',
    source: paddedId(buf, offset, BOOK_ID_LENGTH),
    destination: paddedId(buf, offset + BOOK_ID_LENGTH, BOOK_ID_LENGTH),
    timestampNs: readU64(buf, offset + 30) * 1_000_000_000n,
    sequence: 0n,
  };
}

/**
 * Whether the probe value buf[offset, end) is a well-formed `layout` request (destination empty) from
 * the source id whose octets are `source` (UTF-8; the book's ids are ASCII) — what `decodeProbe` would
 * read as { layout, source, destination: '' }, given `source` is valid UTF-8. It reads octets only, no
 * stamp, no text: a responder answers a prober it knows from these (`copyProbeStamp` then takes the
 * stamp as it is).
 */
export function isProbeRequestFrom(buf: Uint8Array, offset: number, end: number, layout: ProbeLayout, source: Uint8Array): boolean {
  const n = source.length;
  let at: number;
  if (layout === 'v1') {
    // magic, version, source id of n octets, destination id of 0: the value ends just past its length octet.
    if (end - offset !== 22 + n || buf[offset] !== PROBE_MAGIC || buf[offset + 1] !== PROBE_VERSION || buf[offset + 20] !== n || buf[end - 1] !== 0) return false;
    at = offset + 21;
  } else {
    // 46 octets, no v1 magic (decodeProbe reads those as v1), the id NUL-padded to 15, destination's first octet NUL.
    if (end - offset !== BOOK_PROBE_LENGTH || n > BOOK_ID_LENGTH || buf[offset] === PROBE_MAGIC || buf[offset + BOOK_ID_LENGTH] !== 0) return false;
    if (n < BOOK_ID_LENGTH && buf[offset + n] !== 0) return false;
    at = offset;
  }
  for (let i = 0; i < n; i++) if (buf[at + i] !== source[i]) return false;
  return true;
}

/**
 * Writes the fields that differ from one probe to the next — v1: sequence and timestamp (octets 4..19);
 * book: the timestamp in seconds (30..37) — into an encoded value of the same layout and ids at
 * buf[offset...]. With it a speaker re-sends one encoded UPDATE per peer id instead of encoding each probe.
 */
export function writeProbeStamp(buf: Uint8Array, offset: number, probe: Probe): void {
  if (probe.layout === 'book') writeU64(buf, offset + 30, probe.timestampNs / 1_000_000_000n);
  else {
    writeU64(buf, offset + 4, probe.sequence);
    writeU64(buf, offset + 12, probe.timestampNs);
  }
}

/**
 * Copies the stamp (see `writeProbeStamp`) of the encoded value at from[fromOffset...] (same layout) into
 * the encoded value at out[offset...]: a reply carries its request's stamp octet for octet.
 */
export function copyProbeStamp(out: Uint8Array, offset: number, from: Uint8Array, layout: ProbeLayout, fromOffset = 0): void {
  // Octet by octet: 8 or 16 of them, not worth a subarray object each time.
  const start = layout === 'book' ? 30 : 4;
  const end = layout === 'book' ? 38 : 20;
  for (let i = start; i < end; i++) out[offset + i] = from[fromOffset + i]!;
}

/** The attribute value for `probe` in its layout. Throws a RangeError when an id does not fit the layout. */
export function encodeProbe(probe: Probe): Uint8Array {
  if (probe.layout === 'book') {
    const out = new Uint8Array(BOOK_PROBE_LENGTH);
    const put = (id: string, at: number): void => {
      if (id.length > BOOK_ID_LENGTH) throw new RangeError(`book probe ids are at most 15 ASCII characters: "${id}"`);
      for (let i = 0; i < id.length; i++) {
        const c = id.charCodeAt(i);
        if (c === 0 || c > 0x7f) throw new RangeError(`book probe ids are NUL-free ASCII: "${id}"`);
        out[at + i] = c;
      }
    };
    put(probe.source, 0);
    put(probe.destination, BOOK_ID_LENGTH);
    writeU64(out, 30, probe.timestampNs / 1_000_000_000n);
    return out;
  }
  const source = encoder.encode(probe.source);
  const destination = encoder.encode(probe.destination);
  if (source.length === 0 || source.length > 255 || destination.length > 255) throw new RangeError('probe ids are 1..255 (source) and 0..255 (destination) octets');
  const out = new Uint8Array(22 + source.length + destination.length);
  out[0] = PROBE_MAGIC;
  out[1] = PROBE_VERSION;
  writeU64(out, 4, probe.sequence);
  writeU64(out, 12, probe.timestampNs);
  out[20] = source.length;
  out.set(source, 21);
  out[21 + source.length] = destination.length;
  out.set(destination, 22 + source.length);
  return out;
}

import { Afi, writeIpv6 } from './address';
import { BgpError, type ErrorAction } from './errors';

/**
 * A list of prefixes in the wire form of RFC 4271 §4.3 (withdrawn routes, NLRI) and RFC 4760 §5
 * (MP_REACH/MP_UNREACH): one length octet, then the fewest octets that hold that many bits.
 *
 * Decoding checks every entry (length within the family's maximum, octets inside the field) but keeps
 * only a view of the field: the text of each prefix is made when asked for (`toArray`, iteration).
 */
export class PrefixList implements Iterable<string> {
  constructor(
    readonly afi: number,
    readonly buf: Uint8Array,
    readonly start: number,
    readonly end: number,
    /** How many prefixes the field holds. */
    readonly count: number,
  ) {}

  get length(): number {
    return this.count;
  }

  /** Each prefix as "address/length", bits beyond the length cleared. */
  toArray(): string[] {
    const out = new Array<string>(this.count);
    const v6 = this.afi === Afi.Ipv6;
    const buf = this.buf;
    let i = 0;
    for (let p = this.start; p < this.end; ) {
      const bits = buf[p]!;
      const octets = (bits + 7) >>> 3;
      out[i++] = v6 ? formatIpv6Prefix(buf, p + 1, bits, octets) : formatIpv4Prefix(buf, p + 1, bits, octets);
      p += 1 + octets;
    }
    return out;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.toArray()[Symbol.iterator]();
  }
}

/** Decimal text of 0..255, made once: number-to-text conversion dominates prefix formatting otherwise. */
const DEC: string[] = Array.from({ length: 256 }, (_, i) => String(i));
/** "0." … "255." and "/0" … "/128": fewer pieces to join per prefix. */
const DEC_DOT: string[] = DEC.map((d) => d + '.');
const SLASH: string[] = Array.from({ length: 129 }, (_, i) => '/' + i);
const HEX: string[] = [];
const hex = (g: number): string => (HEX[g] ??= g.toString(16));

function formatIpv4Prefix(buf: Uint8Array, at: number, bits: number, octets: number): string {
  let address = 0;
  for (let k = 0; k < octets; k++) address |= buf[at + k]! << (24 - 8 * k);
  if (bits < 32) address &= ~(0xffffffff >>> bits);
  return DEC_DOT[address >>> 24]! + DEC_DOT[(address >>> 16) & 0xff]! + DEC_DOT[(address >>> 8) & 0xff]! + DEC[address & 0xff]! + SLASH[bits]!;
}

const groups = new Uint16Array(8);

/** Groups [from, to) of `groups` in hex, ':'-separated. */
function joinHex(from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text = i === from ? hex(groups[i]!) : text + ':' + hex(groups[i]!);
  return text;
}

/** RFC 5952 text (see formatIpv6) straight from the prefix octets, without building a 16-octet copy. */
function formatIpv6Prefix(buf: Uint8Array, at: number, bits: number, octets: number): string {
  groups.fill(0);
  for (let k = 0; k < octets; k++) {
    let octet = buf[at + k]!;
    if (k === octets - 1 && bits & 7) octet &= (0xff << (8 - (bits & 7))) & 0xff;
    groups[k >>> 1]! |= k & 1 ? octet : octet << 8;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const text = bestStart < 0 ? joinHex(0, 8) : joinHex(0, bestStart) + '::' + joinHex(bestStart + bestLen, 8);
  return text + SLASH[bits]!;
}

/** What to report when a prefix field is malformed (the field decides the NOTIFICATION). */
export interface PrefixFieldError {
  what: string;
  code: number;
  subcode: number;
  action: ErrorAction;
}

/**
 * Checks the prefix field buf[start, end) for `afi` and returns its view. A length beyond 32 (IPv4) or
 * 128 (IPv6), or a prefix running past the field, throws a BgpError at the offending octet.
 */
export function scanPrefixes(buf: Uint8Array, start: number, end: number, afi: number, onError: PrefixFieldError): PrefixList {
  const max = afi === Afi.Ipv6 ? 128 : 32;
  let count = 0;
  let p = start;
  while (p < end) {
    const bits = buf[p]!;
    if (bits > max) {
      throw new BgpError(onError.what, p, `prefix length ${bits} > ${max}`, onError.code, onError.subcode, new Uint8Array(0), onError.action);
    }
    const next = p + 1 + ((bits + 7) >>> 3);
    if (next > end) {
      throw new BgpError(onError.what, p, `prefix /${bits} runs past the end of the field`, onError.code, onError.subcode, new Uint8Array(0), onError.action);
    }
    p = next;
    count++;
  }
  return new PrefixList(afi, buf, start, end, count);
}

/** Prefixes to encode: a decoded list (copied as it is on the wire) or "address/length" texts. */
export type Prefixes = PrefixList | readonly string[];

export function prefixTexts(p: Prefixes): string[] {
  return p instanceof PrefixList ? p.toArray() : [...p];
}

export function prefixCount(p: Prefixes): number {
  return p.length;
}

/** Octets `p` takes on the wire. */
export function prefixesWireLength(p: Prefixes, afi: number): number {
  if (p instanceof PrefixList) return p.end - p.start;
  const max = afi === Afi.Ipv6 ? 128 : 32;
  let n = 0;
  for (let i = 0; i < p.length; i++) n += 1 + ((prefixLength(p[i]!, max) + 7) >>> 3);
  return n;
}

/** The number after the "/" of "address/len", read backwards without slicing the text. */
function prefixLength(text: string, max: number): number {
  let bits = 0;
  let scale = 1;
  let i = text.length - 1;
  for (; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 47) break;
    if (c < 48 || c > 57 || scale > 100) i = -1;
    else { bits += (c - 48) * scale; scale *= 10; }
  }
  if (i <= 0 || scale === 1 || bits > max) throw new RangeError(`not a prefix of length 0..${max}: "${text}"`);
  return bits;
}

const scratch = new Uint8Array(16);

/** Writes `p` at `offset` and returns the offset past it. */
export function writePrefixes(p: Prefixes, afi: number, out: Uint8Array, offset: number): number {
  if (p instanceof PrefixList) {
    out.set(p.buf.subarray(p.start, p.end), offset);
    return offset + (p.end - p.start);
  }
  if (afi !== Afi.Ipv6) {
    for (let i = 0; i < p.length; i++) offset = writeIpv4Prefix(p[i]!, out, offset);
    return offset;
  }
  for (let i = 0; i < p.length; i++) {
    const text = p[i]!;
    const length = prefixLength(text, 128);
    writeIpv6(text.slice(0, text.lastIndexOf('/')), scratch, 0);
    const octets = (length + 7) >>> 3;
    out[offset] = length;
    for (let k = 0; k < octets; k++) out[offset + 1 + k] = scratch[k]!;
    // RFC 4271 §4.3: trailing bits past the length are irrelevant; send them as zero.
    if (length & 7) out[offset + octets]! &= (0xff << (8 - (length & 7))) & 0xff;
    offset += 1 + octets;
  }
  return offset;
}

function notIpv4Prefix(text: string): never {
  throw new RangeError(`not an IPv4 prefix: "${text}"`);
}

/** "a.b.c.d/len" in one forward pass, straight into `out` (RFC 4271 §4.3 form); returns the offset past it. */
function writeIpv4Prefix(text: string, out: Uint8Array, offset: number): number {
  const n = text.length;
  let i = 0;
  let address = 0;
  for (let part = 0; part < 4; part++) {
    let value = 0;
    const from = i;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
    }
    if (i === from || i - from > 3 || value > 255) notIpv4Prefix(text);
    address = (address << 8) | value;
    if (i >= n || text.charCodeAt(i) !== (part < 3 ? 46 : 47)) notIpv4Prefix(text);
    i++;
  }
  let bits = 0;
  const from = i;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) notIpv4Prefix(text);
    bits = bits * 10 + (c - 48);
  }
  if (i === from || i - from > 2 || bits > 32) notIpv4Prefix(text);
  // Bits past the length go out as zero.
  const masked = bits === 0 ? 0 : (address & (0xffffffff << (32 - bits))) >>> 0;
  out[offset] = bits;
  const octets = (bits + 7) >>> 3;
  for (let k = 0; k < octets; k++) out[offset + 1 + k] = (masked >>> (24 - 8 * k)) & 0xff;
  return offset + 1 + octets;
}

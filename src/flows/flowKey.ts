/**
 * The bidirectional flow key: both directions of a conversation map to the same key.
 *
 * The two endpoints are put in a canonical order (lower address first, then lower port on equal
 * addresses) and the IP protocol is part of the key. The book's key (`%s:%d<->%s:%d`) left the
 * protocol out, which merges conversations that are not the same: UDP 53 and TCP 53 between the
 * same two hosts are a DNS query stream and a zone transfer, with different sizes and lifetimes;
 * ICMP, GRE, ESP and every other protocol without ports would all collapse into one
 * "host:0<->host:0" flow per host pair; and a QUIC (UDP 443) and an HTTPS (TCP 443) session
 * between the same ports would be summed. Including the protocol costs one 16-bit word.
 *
 * Layout (16-bit words; the same words as a string of 16-bit chars for display and tests):
 *   [0] protocol  [1] port of endpoint a  [2] port of endpoint b  [3] words in address a (0, 2 or 8)
 *   [4..] address a words, then address b words (2 for IPv4, 8 for IPv6, 0 when there is none).
 * An IPv4 key is 8 words, an IPv6 key 20.
 *
 * The hot path builds keys with a FlowKeyBuilder straight from the addresses' bytes in a packet
 * (no text), into its own word array: nothing is allocated per record.
 */
import { formatIpv4Words, formatIpv6Words, parseIpv4Words, parseIpv6Words } from './addressWords';

export interface Endpoint {
  /** Address text ("" for a record without an IP layer). */
  addr: string;
  port: number;
}

export interface DecodedFlowKey {
  /** The lower endpoint (address, then port). */
  a: Endpoint;
  b: Endpoint;
  /** IP protocol number (6 TCP, 17 UDP, 1 ICMP, ...); 0 without an IP layer. */
  proto: number;
}

/** The longest key: protocol, two ports, a length word and two IPv6 addresses. */
export const MAX_KEY_WORDS = 4 + 8 + 8;

/** Words of the address text written at `out[at]`: 2 (IPv4), 8 (IPv6), or 0 (empty or not an IP address). */
function textWords(text: string, out: Uint16Array, at: number): number {
  if (text.length === 0) return 0;
  const v4 = parseIpv4Words(text, out, at);
  if (v4 > 0) return v4;
  const v6 = parseIpv6Words(text, out, at);
  return v6 > 0 ? v6 : 0;
}

/** Words of the 4 (IPv4) or 16 (IPv6) address bytes at buf[from], written at `out[at]` (network order: big-endian words). */
function bytesWords(buf: Uint8Array, from: number, bytes: number, out: Uint16Array, at: number): number {
  const n = bytes >> 1;
  for (let k = 0; k < n; k++) out[at + k] = (buf[from + 2 * k]! << 8) | buf[from + 2 * k + 1]!;
  return n;
}

/**
 * Builds bidirectional keys: give the source and destination addresses (as bytes or text), then
 * build() with the ports and protocol; the key is `key[0, length)`. One builder is reused for
 * every record.
 */
export class FlowKeyBuilder {
  /** The last key built: its words are key[0, length). */
  readonly key = new Uint16Array(MAX_KEY_WORDS);
  length = 0;
  /** The two addresses' words: source at 0, destination at 8. */
  private readonly addr = new Uint16Array(16);
  private srcWords = 0;
  private dstWords = 0;

  /** The source address from text; text that is not an IP address counts as no address. */
  sourceText(text: string): void {
    this.srcWords = textWords(text, this.addr, 0);
  }

  destinationText(text: string): void {
    this.dstWords = textWords(text, this.addr, 8);
  }

  /** The source address from its 4 (IPv4) or 16 (IPv6) bytes at buf[at]. */
  sourceBytes(buf: Uint8Array, at: number, bytes: 4 | 16): void {
    this.srcWords = bytesWords(buf, at, bytes, this.addr, 0);
  }

  destinationBytes(buf: Uint8Array, at: number, bytes: 4 | 16): void {
    this.dstWords = bytesWords(buf, at, bytes, this.addr, 8);
  }

  /** A record without an IP layer: no addresses. */
  noAddresses(): void {
    this.srcWords = 0;
    this.dstWords = 0;
  }

  /** The key of the conversation between the addresses given, with these ports, over `proto`; returns its length. */
  build(srcPort: number, dstPort: number, proto: number): number {
    const w = this.addr;
    const sLen = this.srcWords;
    const dLen = this.dstWords;
    // none < IPv4 < IPv6, then by value, then the lower port first.
    let order = sLen - dLen;
    for (let k = 0; order === 0 && k < sLen; k++) order = w[k]! - w[8 + k]!;
    const srcFirst = order < 0 || (order === 0 && srcPort <= dstPort);
    const aLen = srcFirst ? sLen : dLen;
    const bLen = srcFirst ? dLen : sLen;
    const aAt = srcFirst ? 0 : 8;
    const bAt = srcFirst ? 8 : 0;
    const key = this.key;
    key[0] = proto;
    key[1] = srcFirst ? srcPort : dstPort;
    key[2] = srcFirst ? dstPort : srcPort;
    key[3] = aLen;
    let n = 4;
    for (let k = 0; k < aLen; k++) key[n++] = w[aAt + k]!;
    for (let k = 0; k < bLen; k++) key[n++] = w[bAt + k]!;
    this.length = n;
    return n;
  }

  /** The last key as a string of 16-bit chars (for tests and display; not on the hot path). */
  toString(): string {
    return keyString(this.key, 0, this.length);
  }
}

/** Words [from, from + length) of `words` as a string of 16-bit chars. */
export function keyString(words: Uint16Array, from: number, length: number): string {
  return String.fromCharCode.apply(null, words.subarray(from, from + length) as unknown as number[]);
}

const shared = new FlowKeyBuilder();

/**
 * The key of the conversation between (srcAddr, srcPort) and (dstAddr, dstPort) over `proto` as a
 * string; the same for both directions. Addresses that are not IP text count as absent.
 */
export function bidirectionalKey(srcAddr: string, srcPort: number, dstAddr: string, dstPort: number, proto: number): string {
  shared.sourceText(srcAddr);
  shared.destinationText(dstAddr);
  shared.build(srcPort, dstPort, proto);
  return shared.toString();
}

function formatAddress(key: string, from: number, len: number): string {
  if (len === 2) return formatIpv4Words(key, from);
  if (len === 8) return formatIpv6Words(key, from);
  return '';
}

/** The endpoints and protocol a key was built from (for display; not on the hot path). */
export function decodeBidirectionalKey(key: string): DecodedFlowKey {
  const aLen = key.charCodeAt(3);
  const bLen = key.length - 4 - aLen;
  return {
    a: { addr: formatAddress(key, 4, aLen), port: key.charCodeAt(1) },
    b: { addr: formatAddress(key, 4 + aLen, bLen), port: key.charCodeAt(2) },
    proto: key.charCodeAt(0),
  };
}

/** "addr:port" ("[v6addr]:port" for IPv6), or just the address when `withPort` is false. */
export function formatEndpoint(e: Endpoint, withPort = true): string {
  if (!withPort) return e.addr;
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

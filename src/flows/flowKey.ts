/**
 * The bidirectional flow key: both directions of a conversation map to the same key.
 *
 * The two endpoints are put in a canonical order (lower address first, then lower port on equal
 * addresses) and the IP protocol is part of the key. The seed's key (`%s:%d<->%s:%d`) left the
 * protocol out, which merges conversations that are not the same: UDP 53 and TCP 53 between the
 * same two hosts are a DNS query stream and a zone transfer, with different sizes and lifetimes;
 * ICMP, GRE, ESP and every other protocol without ports would all collapse into one
 * "host:0<->host:0" flow per host pair; and a QUIC (UDP 443) and an HTTPS (TCP 443) session
 * between the same ports would be summed. Including the protocol costs one 16-bit char.
 *
 * Layout (a string of 16-bit chars, so it is a cheap Map key and reversible for display):
 *   [0] protocol  [1] port of endpoint a  [2] port of endpoint b  [3] words in address a (0, 2 or 8)
 *   [4..] address a words, then address b words (2 for IPv4, 8 for IPv6, 0 when there is none).
 * An IPv4 key is 8 chars (a 32-byte V8 string), an IPv6 key 20 chars.
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

// Scratch for the two addresses' words: the hot path allocates only the key string itself.
const words = new Uint16Array(16);
const keyChars = new Uint16Array(20);

/** Words of `text` written at `words[at]`: 2 (IPv4), 8 (IPv6), or 0 (empty or not an IP address). */
function addressWords(text: string, at: number): number {
  if (text.length === 0) return 0;
  const v4 = parseIpv4Words(text, words, at);
  if (v4 > 0) return v4;
  const v6 = parseIpv6Words(text, words, at);
  return v6 > 0 ? v6 : 0;
}

/** Negative when address a (words at 0, `aLen` words) sorts before address b (at 8), 0 when equal. */
function compareAddresses(aLen: number, bLen: number): number {
  if (aLen !== bLen) return aLen - bLen; // none < IPv4 < IPv6
  for (let k = 0; k < aLen; k++) {
    const d = words[k]! - words[8 + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The key of the conversation between (srcAddr, srcPort) and (dstAddr, dstPort) over `proto`;
 * the same for both directions. Addresses that are not IP text count as absent.
 */
export function bidirectionalKey(srcAddr: string, srcPort: number, dstAddr: string, dstPort: number, proto: number): string {
  const sLen = addressWords(srcAddr, 0);
  const dLen = addressWords(dstAddr, 8);
  const order = compareAddresses(sLen, dLen);
  const srcFirst = order < 0 || (order === 0 && srcPort <= dstPort);
  const aLen = srcFirst ? sLen : dLen;
  const bLen = srcFirst ? dLen : sLen;
  const aAt = srcFirst ? 0 : 8;
  const bAt = srcFirst ? 8 : 0;
  const aPort = (srcFirst ? srcPort : dstPort) & 0xffff;
  const bPort = (srcFirst ? dstPort : srcPort) & 0xffff;
  const p = proto & 0xffff;
  if (aLen === 2 && bLen === 2) {
    return String.fromCharCode(p, aPort, bPort, 2, words[aAt]!, words[aAt + 1]!, words[bAt]!, words[bAt + 1]!);
  }
  // One fromCharCode over the whole key: concatenating parts would leave a cons-string (an extra
  // 32-byte object per tracked flow) until V8 flattens it.
  keyChars[0] = p;
  keyChars[1] = aPort;
  keyChars[2] = bPort;
  keyChars[3] = aLen;
  let n = 4;
  for (let k = 0; k < aLen; k++) keyChars[n++] = words[aAt + k]!;
  for (let k = 0; k < bLen; k++) keyChars[n++] = words[bAt + k]!;
  return String.fromCharCode.apply(null, keyChars.subarray(0, n) as unknown as number[]);
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

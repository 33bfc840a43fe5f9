/**
 * The network part of an address written with a prefix length or a mask, as text: what `net 192.0.2.7/24`
 * should have said (`192.0.2.0/24`). libpcap refuses host bits in a network ("non-network bits set").
 */
import { parseIpv6 } from '../bpf/addressText';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Number(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((n, p) => (n * 256) + p, 0);
}

function ipv4Text(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
}

/** Shortest IPv6 text (RFC 5952 section 4): lower case, no leading zeros, the longest run of two or more zero words as `::`. */
export function ipv6Text(bytes: readonly number[]): string {
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (best.start < 0) return hex(words);
  return `${hex(words.slice(0, best.start))}::${hex(words.slice(best.start + best.length))}`;
}

/** The network address of ADDRESS/LENGTH (IPv4 or IPv6), or undefined when the text is not an address. */
export function networkOf(address: string, length: number): string | undefined {
  const v4 = ipv4Number(address);
  if (v4 !== undefined) {
    if (length < 0 || length > 32) return undefined;
    const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
    return ipv4Text((v4 & mask) >>> 0);
  }
  const v6 = parseIpv6(address);
  if (!v6 || length < 0 || length > 128) return undefined;
  return ipv6Text(v6.map((b, i) => b & (0xff << (8 - Math.max(0, Math.min(8, length - i * 8)))) & 0xff));
}

/** The network address of ADDRESS mask MASK (IPv4 dotted), or undefined. */
export function networkOfMask(address: string, mask: string): string | undefined {
  const a = ipv4Number(address);
  const m = ipv4Number(mask);
  return a === undefined || m === undefined ? undefined : ipv4Text((a & m) >>> 0);
}

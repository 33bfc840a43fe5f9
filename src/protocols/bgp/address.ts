/**
 * IPv4 and IPv6 addresses and prefixes as text, for the UPDATE attributes that carry them (NEXT_HOP,
 * AGGREGATOR, MP_REACH_NLRI next hops, NLRI). Reading never copies; writing goes into a caller's buffer.
 */

/** Address family identifiers, IANA "Address Family Numbers" (RFC 4760 §3 uses them). */
export const Afi = { Ipv4: 1, Ipv6: 2 } as const;
/** Subsequent address family identifiers, RFC 4760 §6 (labtel speaks unicast). */
export const Safi = { Unicast: 1, Multicast: 2 } as const;

/** Dotted quad of the 4 octets at `offset`. */
export function formatIpv4(buf: Uint8Array, offset: number): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

/** RFC 5952 text of the 16 octets at `offset`: lower case, no leading zeros, longest zero run (≥ 2 groups) as "::". */
export function formatIpv6(buf: Uint8Array, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[offset + 2 * i]! << 8) | buf[offset + 2 * i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** Writes a dotted quad's 4 octets at `offset`; throws a RangeError on anything else. */
export function writeIpv4(text: string, out: Uint8Array, offset: number): void {
  writeIpv4Until(text, text.length, out, offset);
}

/** As writeIpv4 for the dotted quad in text[0, end) (so "a.b.c.d/len" needs no slicing). */
export function writeIpv4Until(text: string, end: number, out: Uint8Array, offset: number): void {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || part > 3) throw new RangeError(`not an IPv4 address: "${text.slice(0, end)}"`);
      out[offset + part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + (c - 48);
      digits++;
    } else {
      throw new RangeError(`not an IPv4 address: "${text.slice(0, end)}"`);
    }
  }
  if (part !== 4) throw new RangeError(`not an IPv4 address: "${text.slice(0, end)}"`);
}

const groups6 = new Uint16Array(8);

function notIpv6(text: string): never {
  throw new RangeError(`not an IPv6 address: "${text}"`);
}

/** Writes an IPv6 address's 16 octets at `offset` (RFC 4291 §2.2 text forms, embedded IPv4 included). */
export function writeIpv6(text: string, out: Uint8Array, offset: number): void {
  // One pass: groups before "::" go to the front, groups after it are shifted to the back at the end.
  const end = text.length;
  let n = 0;
  let gap = -1;
  let i = 0;
  if (end >= 2 && text.charCodeAt(0) === 58 && text.charCodeAt(1) === 58) { gap = 0; i = 2; }
  while (i < end) {
    const groupStart = i;
    let value = 0;
    let digits = 0;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (h < 0) break;
      value = (value << 4) | h;
      digits++;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      // Embedded IPv4 (RFC 4291 §2.2 form 3) ends the text.
      if (n > 6) notIpv6(text);
      const v4 = new Uint8Array(4);
      writeIpv4(text.slice(groupStart), v4, 0);
      groups6[n++] = (v4[0]! << 8) | v4[1]!;
      groups6[n++] = (v4[2]! << 8) | v4[3]!;
      break;
    }
    if (digits === 0 || digits > 4 || n >= 8) notIpv6(text);
    groups6[n++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) notIpv6(text);
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap >= 0) notIpv6(text);
      gap = n;
      i++;
    } else if (i === end) notIpv6(text);
  }
  if (gap < 0 ? n !== 8 : n > 7) notIpv6(text);
  const tail = gap < 0 ? 0 : n - gap;
  for (let g = 0; g < 8; g++) {
    let v: number;
    if (gap < 0 || g < gap) v = groups6[g]!;
    else if (g >= 8 - tail) v = groups6[gap + g - (8 - tail)]!;
    else v = 0;
    out[offset + 2 * g] = v >>> 8;
    out[offset + 2 * g + 1] = v & 0xff;
  }
}

/** "192.0.2.0/24" → address text and length; throws a RangeError when the length is out of range. */
export function splitPrefix(prefix: string, maxLength: number): { address: string; length: number } {
  const slash = prefix.indexOf('/');
  if (slash < 0) throw new RangeError(`not a prefix (no "/"): "${prefix}"`);
  const length = Number(prefix.slice(slash + 1));
  if (!Number.isInteger(length) || length < 0 || length > maxLength) throw new RangeError(`bad prefix length in "${prefix}"`);
  return { address: prefix.slice(0, slash), length };
}

/**
 * IP addresses as 16-bit words, the compact form the bidirectional flow key is built from.
 * An IPv4 address is 2 words, an IPv6 address 8 (RFC 4291 §2.2 text forms in, RFC 5952 text out).
 * Hot path: parsing reads char codes and writes into a caller's scratch array, allocating nothing.
 */

/** Parses dotted-quad IPv4 into 2 words at `out[at]`; returns 2, or -1 when `text` is not IPv4. */
export function parseIpv4Words(text: string, out: Uint16Array, at: number): number {
  let octet = 0;
  let digits = 0;
  let parts = 0;
  let hi = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a final '.' closes the last octet
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || parts === 4) return -1;
      if (parts === 0) hi = octet << 8;
      else if (parts === 1) out[at] = hi | octet;
      else if (parts === 2) hi = octet << 8;
      else out[at + 1] = hi | octet;
      parts++;
      octet = 0;
      digits = 0;
    } else return -1;
  }
  return parts === 4 ? 2 : -1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Parses IPv6 text (RFC 4291 §2.2: hex groups, one "::", an optional trailing dotted IPv4) into
 * 8 words at `out[at]`; returns 8, or -1 when `text` is not IPv6.
 */
export function parseIpv6Words(text: string, out: Uint16Array, at: number): number {
  const n = text.length;
  if (n < 2) return -1;
  let words = 0;
  let gap = -1; // word index where "::" stands
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return -1;
    gap = 0;
    i = 2;
    if (i === n) { out.fill(0, at, at + 8); return 8; }
  }
  while (i < n) {
    // A dotted IPv4 tail takes the last two words (RFC 4291 §2.2 form 3).
    let j = i;
    let value = 0;
    let sawDot = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 46) { sawDot = true; break; }
      if (c === 58) break;
      const h = hexValue(c);
      if (h < 0 || j - i >= 4) return -1;
      value = (value << 4) | h;
      j++;
    }
    if (sawDot) {
      if (words > 6 || parseIpv4Words(text.slice(i), out, at + words) < 0) return -1;
      words += 2;
      break;
    }
    if (j === i || words === 8) return -1;
    out[at + words++] = value;
    if (j === n) break;
    // j is at ':'
    if (j + 1 < n && text.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return -1;
      gap = words;
      i = j + 2;
    } else {
      if (j + 1 === n) return -1; // trailing single ':'
      i = j + 1;
    }
  }
  if (gap < 0) return words === 8 ? 8 : -1;
  if (words > 7) return -1;
  // Move the words after "::" to the end and zero the hole.
  const tail = words - gap;
  for (let k = tail - 1; k >= 0; k--) out[at + 8 - tail + k] = out[at + gap + k]!;
  out.fill(0, at + gap, at + 8 - tail);
  return 8;
}

/** Dotted-quad text of 2 words read from a string's char codes at `from`. */
export function formatIpv4Words(key: string, from: number): string {
  const hi = key.charCodeAt(from);
  const lo = key.charCodeAt(from + 1);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** RFC 5952 text (lowercase, longest run of ≥2 zero words as "::", first on a tie) of 8 words from a string. */
export function formatIpv6Words(key: string, from: number): string {
  let bestAt = -1;
  let bestLen = 1;
  for (let k = 0; k < 8;) {
    if (key.charCodeAt(from + k) !== 0) { k++; continue; }
    let e = k;
    while (e < 8 && key.charCodeAt(from + e) === 0) e++;
    if (e - k > bestLen) { bestAt = k; bestLen = e - k; }
    k = e;
  }
  const hex = (k: number): string => key.charCodeAt(from + k).toString(16);
  const parts: string[] = [];
  for (let k = 0; k < 8; k++) {
    if (k === bestAt) {
      parts.push(k === 0 ? ':' : '');
      k += bestLen - 1;
      if (k === 7) parts.push('');
      continue;
    }
    parts.push(hex(k));
  }
  return parts.join(':');
}

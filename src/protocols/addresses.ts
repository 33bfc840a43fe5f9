/**
 * Hand formatting of link and network addresses from bytes in place (no copies, no toString per byte):
 * lookup tables of the 256 byte spellings, joined by concatenation.
 */

const HEX2: string[] = [];
const HEX: string[] = [];
const DEC: string[] = [];
for (let i = 0; i < 256; i++) {
  HEX2.push(i.toString(16).padStart(2, '0'));
  HEX.push(i.toString(16));
  DEC.push(String(i));
}

/** A 6-byte MAC address as tshark prints it: lower-case, colon-separated ("00:1b:21:3c:9d:f8"). */
export function formatMac(b: Uint8Array, o: number): string {
  return (
    HEX2[b[o]] + ':' + HEX2[b[o + 1]] + ':' + HEX2[b[o + 2]] + ':' + HEX2[b[o + 3]] + ':' + HEX2[b[o + 4]] + ':' + HEX2[b[o + 5]]
  );
}

/** Dotted-quad IPv4 address from 4 bytes. */
export function formatIpv4(b: Uint8Array, o: number): string {
  return DEC[b[o]] + '.' + DEC[b[o + 1]] + '.' + DEC[b[o + 2]] + '.' + DEC[b[o + 3]];
}

/** One 16-bit group without leading zeros: high byte unpadded (if any), then the low byte padded. */
function group(hi: number, lo: number): string {
  return hi === 0 ? HEX[lo] : HEX[hi] + HEX2[lo];
}

/**
 * An IPv6 address in RFC 5952 canonical form (section 4): lower-case hex, leading zeros dropped, the longest
 * run of two or more zero groups (the first one on a tie) shortened to "::". IPv4-mapped addresses
 * (::ffff:0:0/96) end in dotted quad (RFC 5952 section 5), as tshark and inet_ntop print them.
 */
export function formatIpv6(b: Uint8Array, o: number): string {
  // Find the longest run of zero groups.
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    const zero = b[o + 2 * i] === 0 && b[o + 2 * i + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = i;
      const len = i - runStart + 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  if (bestLen < 2) bestStart = -1;
  if (bestStart === 0 && bestLen === 5 && b[o + 10] === 0xff && b[o + 11] === 0xff) {
    return '::ffff:' + formatIpv4(b, o + 12);
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length !== 0 && i !== bestStart + bestLen) s += ':';
    s += group(b[o + 2 * i], b[o + 2 * i + 1]);
  }
  return s;
}

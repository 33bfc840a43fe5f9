/**
 * Address literals of pcap-filter: IPv6 text (RFC 4291 section 2.2, with `::` and a trailing dotted IPv4),
 * MAC addresses in libpcap's four spellings, and dotted IPv4 with 1 to 4 parts (`192.168` is 192.168.0.0 as a
 * net, as libpcap's __pcap_atonet reads it).
 */

/** The 16 bytes of an IPv6 address, or undefined when the text is not one. */
export function parseIpv6(text: string): number[] | undefined {
  let body = text;
  const v4 = /(^|:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(2).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((p) => p > 255)) return undefined;
    // A dotted tail is the last two words.
    body = `${text.slice(0, v4.index + v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const words = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const w of s.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(w)) return undefined;
      out.push(parseInt(w, 16));
    }
    return out;
  };
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  if (!head || !rest) return undefined;
  let all: number[];
  if (halves.length === 2) {
    if (head.length + rest.length > 7) return undefined;
    all = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    all = head;
  }
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

/** The 6 bytes of a MAC address written xx:xx:xx:xx:xx:xx, xx-xx-…, xx.xx.…, xxxx.xxxx.xxxx or xxxxxxxxxxxx. */
export function parseMac(text: string): number[] {
  if (/^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(text) || /^[0-9A-Fa-f]{12}$/.test(text)) {
    const hex = text.replace(/\./g, '');
    return [0, 2, 4, 6, 8, 10].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  return text.split(/[:.-]/).map((b) => parseInt(b, 16));
}

/** A number as libpcap's scanner reads it: 0x hex, leading-0 octal, else decimal. */
export function parseUnsigned(text: string): number {
  if (/^0[xX]/.test(text)) return parseInt(text.slice(2), 16);
  if (text.length > 1 && text.startsWith('0')) return parseInt(text.slice(1), 8);
  return parseInt(text, 10);
}

/**
 * Writing sFlow test bytes out by hand: hex words joined into bytes, and the datagram / sample / record
 * envelopes (data_format word, opaque length) around bodies written out in each test.
 */

/** Bytes from hex strings, spaces ignored: hex('00000005', '0000 0001') → 8 bytes. */
export function hex(...parts: string[]): Uint8Array {
  const s = parts.join('').replace(/\s+/g, '');
  if (s.length % 2 !== 0) throw new Error(`odd number of hex digits: ${s}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** One 32-bit big-endian word as 8 hex digits. */
export function w(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** data_format word (enterprise << 12 | format), opaque length, then the body (spec "sFlow Datagram Format"). */
export function envelope(enterprise: number, format: number, body: Uint8Array, length = body.length): Uint8Array {
  return concat(hex(w((enterprise << 12) | format), w(length)), body);
}

/**
 * A datagram with an IPv4 agent address 192.0.2.1, sub-agent 7, sequence 42, uptime 1000 ms, then the
 * samples (sample_datagram_v5).
 */
export function datagramV4(...samples: Uint8Array[]): Uint8Array {
  return concat(hex('00000005', '00000001', 'c0000201', '00000007', '0000002a', '000003e8', w(samples.length)), ...samples);
}

/** A compact flow sample (format 1): seq 1, ifIndex source 3, rate 400, pool 800, drops 0, in 3, out 4, then records. */
export function flowSample(...records: Uint8Array[]): Uint8Array {
  return envelope(0, 1, concat(hex('00000001', '00000003', '00000190', '00000320', '00000000', '00000003', '00000004', w(records.length)), ...records));
}

/** A compact counter sample (format 2): seq 1, ifIndex source 3, then records. */
export function counterSample(...records: Uint8Array[]): Uint8Array {
  return envelope(0, 2, concat(hex('00000001', '00000003', w(records.length)), ...records));
}

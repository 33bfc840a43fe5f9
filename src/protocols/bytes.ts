/**
 * Big-endian readers over a Uint8Array. Callers bounds-check first (the decoders compare offsets with their
 * `end` before reading), so these stay tiny and inlinable: byte indexing is as fast as DataView in V8 and
 * needs no view object per buffer.
 *
 * The per-packet decoders (ethernet, vlan, ipv4, ipv6, tcp, udp, …) write these reads out inline instead of
 * calling them: run from TypeScript through a CommonJS loader (tsx, the tests and benchmarks), every call to
 * an imported function goes through an export getter, which cost ~10% of packet decoding time.
 */
export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** Little-endian readers, for capture files written on little-endian hosts. */
export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

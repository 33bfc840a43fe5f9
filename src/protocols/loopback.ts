import { u32, u32le } from './bytes';

/**
 * BSD loopback encapsulation: a 4-byte address family before the IP packet. LINKTYPE_NULL (0) writes it in
 * the capturing host's byte order, LINKTYPE_LOOP (108) in network order (tcpdump.org/linktypes/LINKTYPE_NULL.html).
 * AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30 depending on the BSD.
 */
export interface LoopbackLayer {
  kind: 'loopback';
  start: number;
  end: number;
  family: number;
}

export function decodeLoopback(buf: Uint8Array, offset: number, end: number, networkOrder: boolean): LoopbackLayer | undefined {
  if (end - offset < 4) return undefined;
  let family = u32(buf, offset);
  // Host byte order: a small value with its low byte first reads as a large big-endian number.
  if (!networkOrder && family > 0xffff) family = u32le(buf, offset);
  return { kind: 'loopback', start: offset, end: offset + 4, family };
}

export function loopbackFamilyIsIpv4(family: number): boolean {
  return family === 2;
}

export function loopbackFamilyIsIpv6(family: number): boolean {
  return family === 24 || family === 28 || family === 30;
}

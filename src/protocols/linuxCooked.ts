import { u16, u32 } from './bytes';

/**
 * Linux "cooked" capture headers, written by libpcap for the "any" device.
 * v1, LINKTYPE_LINUX_SLL (113), 16 bytes: packet type, ARPHRD type, address length, 8 address bytes, protocol.
 * v2, LINKTYPE_LINUX_SLL2 (276), 20 bytes: protocol, reserved, interface index, ARPHRD type, packet type,
 * address length, 8 address bytes. (tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and _SLL2.html)
 */
export interface LinuxCookedLayer {
  kind: 'sll' | 'sll2';
  start: number;
  end: number;
  /** 0 to us, 1 broadcast, 2 multicast, 3 to someone else, 4 sent by us. */
  packetType: number;
  arphrdType: number;
  /** The link-layer source address as colon-separated hex (its first addressLength of 8 bytes). */
  address: string;
  /** An EtherType for ordinary frames (some small values mean 802.3 or 802.2 frames). */
  ethertype: number;
  /** v2 only: the interface index; undefined for v1. */
  interfaceIndex: number | undefined;
}

function hexAddress(buf: Uint8Array, offset: number, length: number): string {
  let s = '';
  const n = Math.min(length, 8);
  for (let i = 0; i < n; i++) s += (i === 0 ? '' : ':') + buf[offset + i].toString(16).padStart(2, '0');
  return s;
}

export function decodeLinuxCooked(buf: Uint8Array, offset: number, end: number): LinuxCookedLayer | undefined {
  if (end - offset < 16) return undefined;
  return {
    kind: 'sll',
    start: offset,
    end: offset + 16,
    packetType: u16(buf, offset),
    arphrdType: u16(buf, offset + 2),
    address: hexAddress(buf, offset + 6, u16(buf, offset + 4)),
    ethertype: u16(buf, offset + 14),
    interfaceIndex: undefined,
  };
}

export function decodeLinuxCookedV2(buf: Uint8Array, offset: number, end: number): LinuxCookedLayer | undefined {
  if (end - offset < 20) return undefined;
  return {
    kind: 'sll2',
    start: offset,
    end: offset + 20,
    packetType: buf[offset + 10],
    arphrdType: u16(buf, offset + 8),
    address: hexAddress(buf, offset + 12, buf[offset + 11]),
    ethertype: u16(buf, offset),
    interfaceIndex: u32(buf, offset + 4),
  };
}

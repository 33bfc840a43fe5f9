/**
 * sFlow v5 flow records (sflow.org "sFlow Version 5", section "Flow Data", formats with enterprise 0), each
 * kept as offsets into the datagram's bytes: nothing is copied, addresses are formatted on first read.
 *
 * Every record has `start`/`end`: its whole byte range from the data_format word to the end of its padded
 * data (what a panel highlights), and `dataLength`: the opaque length on the wire. A record whose length disagrees
 * with what its format needs is a DecodeError at the length word's offset.
 */
import { formatMac } from '../addresses';
import { DecodeError } from '../decodeError';
import { decodePacket, type DecodedPacket } from '../packet';
import { decodeDatagram, SFLOW_PORT, type SflowDatagram } from './datagram';
import { addressLength, formatAddress, padded, readString, skipAddress, u32 } from './xdr';

/** Common to every record: where it is and what it said it was. */
interface RecordBase {
  enterprise: number;
  format: number;
  /** Offset of the data_format word. */
  start: number;
  /** End of the record's padded data. */
  end: number;
  /** The record's opaque length (data only, without the format and length words). */
  dataLength: number;
}

/** sFlow header_protocol values (spec "Raw Packet Header", enum header_protocol) that the packet layers start from. */
export const HEADER_PROTOCOL_ETHERNET = 1;
export const HEADER_PROTOCOL_IPV4 = 11;
export const HEADER_PROTOCOL_IPV6 = 12;

/**
 * Raw packet header (format 1, spec section "Packet Header"): the first bytes of a sampled frame. The header
 * bytes are buf[headerStart, headerEnd); `packet` decodes them through the packet layers on first read,
 * by header_protocol: 1 Ethernet, 11 IPv4, 12 IPv6 (others are left undecoded).
 */
export class RawHeaderRecord implements RecordBase {
  readonly kind = 'rawHeader' as const;
  readonly enterprise = 0;
  readonly format = 1;
  #packet: DecodedPacket | undefined = undefined;
  #decoded = false;
  /** The sFlow datagram inside the header, or why it did not decode; null: not sFlow; undefined: not looked yet (one field: records are many). */
  #inner: SflowDatagram | DecodeError | null | undefined = undefined;
  /** Why the header bytes did not decode (they contradict themselves), when `packet` is undefined for that reason. */
  packetError: DecodeError | undefined = undefined;
  constructor(
    /** The datagram's bytes (header bytes are a view of these, not a copy). */
    readonly buf: Uint8Array,
    public start: number,
    public end: number,
    public dataLength: number,
    /** header_protocol: 1 Ethernet (ISO 8802-3), 11 IPv4, 12 IPv6, … */
    public headerProtocol: number,
    /** Length of the original frame, before sampling cut it. */
    public frameLength: number,
    /** Bytes removed from the frame before the header was taken (e.g. the 4-byte FCS). */
    public stripped: number,
    /** Length of the header bytes. */
    public headerLength: number,
    public headerStart: number,
    public headerEnd: number,
  ) {}

  /** The header decoded down to L4 (undefined for a header protocol labtel does not decode, or bytes that contradict themselves). */
  get packet(): DecodedPacket | undefined {
    if (this.#decoded) return this.#packet;
    this.#decoded = true;
    const p = this.headerProtocol;
    const first = p === 1 ? 'ethernet' : p === 11 ? 'ipv4' : p === 12 ? 'ipv6' : undefined;
    if (first === undefined) return undefined;
    try {
      this.#packet = decodePacket(this.buf, first, this.headerStart, this.headerEnd);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.packetError = e;
    }
    return this.#packet;
  }

  /**
   * When the sampled packet is itself sFlow — UDP to or from port 6343, as when an exporter samples the link
   * its own datagrams cross — that datagram, decoded on first read from the header's UDP payload. A header
   * is usually cut inside it: the samples that fit are decoded, the one cut short is in its `errors`.
   */
  get sflow(): SflowDatagram | undefined {
    const inner = this.#decodeInner();
    return inner instanceof DecodeError || inner === null ? undefined : inner;
  }

  /** Why the sFlow datagram inside the header did not decode (its header is cut or broken), when `sflow` is undefined for that reason. */
  get sflowError(): DecodeError | undefined {
    const inner = this.#decodeInner();
    return inner instanceof DecodeError ? inner : undefined;
  }

  #decodeInner(): SflowDatagram | DecodeError | null {
    if (this.#inner !== undefined) return this.#inner;
    const p = this.packet;
    const last = p?.layers[p.layers.length - 1];
    if (!p || last?.kind !== 'udp' || (last.srcPort !== SFLOW_PORT && last.dstPort !== SFLOW_PORT)) return (this.#inner = null);
    try {
      this.#inner = decodeDatagram(this.buf, p.payloadStart, p.payloadEnd);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.#inner = e;
    }
    return this.#inner;
  }

  toJSON(): object {
    const { buf: _buf, ...rest } = this;
    void _buf;
    return { ...rest, packet: this.packet, packetError: this.packetError, sflow: this.sflow, sflowError: this.sflowError };
  }
}

/** Ethernet frame data (format 2, spec "Ethernet Frame Data"): length, source and destination MAC, type. */
export class SampledEthernetRecord implements RecordBase {
  readonly kind = 'sampledEthernet' as const;
  readonly enterprise = 0;
  readonly format = 2;
  readonly #buf: Uint8Array;
  constructor(buf: Uint8Array, public start: number, public end: number, public dataLength: number, private readonly dataStart: number) {
    this.#buf = buf;
    this.frameLength = u32(buf, dataStart);
    this.ethertype = u32(buf, dataStart + 20);
  }
  /** Length of the MAC packet in bytes. */
  frameLength: number;
  ethertype: number;
  get srcMac(): string {
    return formatMac(this.#buf, this.dataStart + 4);
  }
  get dstMac(): string {
    return formatMac(this.#buf, this.dataStart + 12);
  }
  toJSON(): object {
    return { ...this, srcMac: this.srcMac, dstMac: this.dstMac };
  }
}

/**
 * Sampled IPv4 (format 3) and IPv6 (format 4), spec "Packet IP version 4/6 Data": length, protocol, addresses,
 * ports, TCP flags, and the TOS (IPv4) or priority (IPv6).
 */
export class SampledIpRecord implements RecordBase {
  readonly enterprise = 0;
  readonly #buf: Uint8Array;
  readonly #addressLength: number;
  readonly kind: 'sampledIpv4' | 'sampledIpv6';
  readonly format: number;
  /** Length of the IP packet, excluding lower-layer encapsulations. */
  length: number;
  protocol: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  /** IPv4 type of service, or IPv6 priority. */
  tos: number;
  constructor(buf: Uint8Array, public start: number, public end: number, public dataLength: number, private readonly dataStart: number, ipv6: boolean) {
    this.#buf = buf;
    const a = ipv6 ? 16 : 4;
    this.#addressLength = a;
    this.kind = ipv6 ? 'sampledIpv6' : 'sampledIpv4';
    this.format = ipv6 ? 4 : 3;
    this.length = u32(buf, dataStart);
    this.protocol = u32(buf, dataStart + 4);
    const p = dataStart + 8 + 2 * a;
    this.srcPort = u32(buf, p);
    this.dstPort = u32(buf, p + 4);
    this.tcpFlags = u32(buf, p + 8);
    this.tos = u32(buf, p + 12);
  }
  get srcIp(): string {
    return formatAddress(this.#buf, this.#addressLength === 4 ? 1 : 2, this.dataStart + 8);
  }
  get dstIp(): string {
    return formatAddress(this.#buf, this.#addressLength === 4 ? 1 : 2, this.dataStart + 8 + this.#addressLength);
  }
  toJSON(): object {
    return { ...this, srcIp: this.srcIp, dstIp: this.dstIp };
  }
}

/** Extended switch data (format 1001, spec "Extended Switch Data"): 802.1Q VLAN and priority in and out. */
export class ExtendedSwitchRecord implements RecordBase {
  readonly kind = 'extendedSwitch' as const;
  readonly enterprise = 0;
  readonly format = 1001;
  constructor(
    public start: number,
    public end: number,
    public dataLength: number,
    public srcVlan: number,
    public srcPriority: number,
    public dstVlan: number,
    public dstPriority: number,
  ) {}
}

/** An address field of a record: its type (0 unknown, 1 IPv4, 2 IPv6) and where its value is. */
class AddressField {
  readonly #buf: Uint8Array;
  constructor(buf: Uint8Array, readonly type: number, readonly offset: number) {
    this.#buf = buf;
  }
  get address(): string {
    return formatAddress(this.#buf, this.type, this.offset);
  }
  toJSON(): string {
    return this.address;
  }
}

/** Reads an address at `o` (checked against `end`): the field and the offset after it. */
function addressAt(what: string, buf: Uint8Array, o: number, end: number): AddressField {
  skipAddress(what, buf, o, end);
  return new AddressField(buf, u32(buf, o), o + 4);
}

function afterAddress(a: AddressField): number {
  return a.offset + addressLength(a.type);
}

/** Extended router data (format 1002, spec "Extended Router Data"): next hop and mask lengths. */
export interface ExtendedRouterRecord extends RecordBase {
  kind: 'extendedRouter';
  nextHop: AddressField;
  srcMaskLength: number;
  dstMaskLength: number;
}

/** One segment of a BGP AS path (RFC 4271 §4.3: 1 AS_SET, 2 AS_SEQUENCE). */
export interface AsPathSegment {
  type: number;
  asns: number[];
}

/** Extended gateway data (format 1003, spec "Extended Gateway Data"): BGP next hop, AS numbers, path, communities. */
export interface ExtendedGatewayRecord extends RecordBase {
  kind: 'extendedGateway';
  nextHop: AddressField;
  /** This router's AS. */
  as: number;
  srcAs: number;
  srcPeerAs: number;
  asPath: AsPathSegment[];
  communities: number[];
  localPref: number;
}

/** Extended user data (format 1004): charsets (IANA MIBenum) and user names of source and destination. */
export interface ExtendedUserRecord extends RecordBase {
  kind: 'extendedUser';
  srcCharset: number;
  srcUser: string;
  dstCharset: number;
  dstUser: string;
}

/** Extended URL data (format 1005): direction (1 source, 2 destination), URL and host. */
export interface ExtendedUrlRecord extends RecordBase {
  kind: 'extendedUrl';
  direction: number;
  url: string;
  host: string;
}

/** Extended MPLS data (format 1006): next hop and the label stacks in and out (label entries as 32-bit words). */
export interface ExtendedMplsRecord extends RecordBase {
  kind: 'extendedMpls';
  nextHop: AddressField;
  inLabels: number[];
  outLabels: number[];
}

/** Extended NAT data (format 1007): source and destination address after translation. */
export interface ExtendedNatRecord extends RecordBase {
  kind: 'extendedNat';
  srcAddress: AddressField;
  dstAddress: AddressField;
}

/** A record of a format labtel does not decode (another enterprise, or a format it does not know): opaque bytes buf[dataStart, dataEnd). */
export interface UnknownRecord extends RecordBase {
  kind: 'unknown';
  dataStart: number;
  dataEnd: number;
}

export type FlowRecord =
  | RawHeaderRecord
  | SampledEthernetRecord
  | SampledIpRecord
  | ExtendedSwitchRecord
  | ExtendedRouterRecord
  | ExtendedGatewayRecord
  | ExtendedUserRecord
  | ExtendedUrlRecord
  | ExtendedMplsRecord
  | ExtendedNatRecord
  | UnknownRecord;

function wrongLength(what: string, start: number, length: number, expected: string): DecodeError {
  return new DecodeError(what, start + 4, `record length ${length}, but its contents take ${expected}`);
}

/** A label stack (count, then 32-bit entries) at `o`, checked against `end`. */
function labelStack(what: string, buf: Uint8Array, o: number, end: number): number[] {
  if (o + 4 > end) throw new DecodeError(what, o, 'label count runs past the record');
  const n = u32(buf, o);
  if (n > (end - o - 4) / 4) throw new DecodeError(what, o, `${n} labels run past the record`);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) labels.push(u32(buf, o + 4 + 4 * i));
  return labels;
}

/**
 * Decodes the flow record whose data_format word is at `start`; its data is buf[dataStart, dataStart + length),
 * already checked to lie within its sample. `end` is the end of the padded data. Throws DecodeError when the
 * length disagrees with the contents.
 */
export function decodeFlowRecord(buf: Uint8Array, type: number, start: number, length: number, end: number): FlowRecord {
  const d = start + 8;
  const dataEnd = d + length;
  if (type >>> 12 !== 0) return unknownRecord(type, start, end, length);
  switch (type) {
    case 1: {
      // struct sampled_header { header_protocol; frame_length; stripped; opaque header<> }
      if (length < 16) throw wrongLength('sflow.raw_header', start, length, 'at least 16 bytes');
      const h = ((buf[d + 12] << 24) | (buf[d + 13] << 16) | (buf[d + 14] << 8) | buf[d + 15]) >>> 0;
      if (h > length - 16 || padded(16 + h) !== padded(length)) {
        throw wrongLength('sflow.raw_header', start, length, `${16 + h} bytes (a ${h}-byte header)`);
      }
      return new RawHeaderRecord(
        buf,
        start,
        end,
        length,
        ((buf[d] << 24) | (buf[d + 1] << 16) | (buf[d + 2] << 8) | buf[d + 3]) >>> 0,
        ((buf[d + 4] << 24) | (buf[d + 5] << 16) | (buf[d + 6] << 8) | buf[d + 7]) >>> 0,
        ((buf[d + 8] << 24) | (buf[d + 9] << 16) | (buf[d + 10] << 8) | buf[d + 11]) >>> 0,
        h,
        d + 16,
        d + 16 + h,
      );
    }
    case 2:
      // struct sampled_ethernet { length; mac src_mac; mac dst_mac; type } (a mac is opaque[6], padded to 8)
      if (length !== 24) throw wrongLength('sflow.sampled_ethernet', start, length, '24 bytes');
      return new SampledEthernetRecord(buf, start, end, length, d);
    case 3:
      if (length !== 32) throw wrongLength('sflow.sampled_ipv4', start, length, '32 bytes');
      return new SampledIpRecord(buf, start, end, length, d, false);
    case 4:
      if (length !== 56) throw wrongLength('sflow.sampled_ipv6', start, length, '56 bytes');
      return new SampledIpRecord(buf, start, end, length, d, true);
    case 1001:
      if (length !== 16) throw wrongLength('sflow.extended_switch', start, length, '16 bytes');
      return new ExtendedSwitchRecord(
        start,
        end,
        length,
        ((buf[d] << 24) | (buf[d + 1] << 16) | (buf[d + 2] << 8) | buf[d + 3]) >>> 0,
        ((buf[d + 4] << 24) | (buf[d + 5] << 16) | (buf[d + 6] << 8) | buf[d + 7]) >>> 0,
        ((buf[d + 8] << 24) | (buf[d + 9] << 16) | (buf[d + 10] << 8) | buf[d + 11]) >>> 0,
        ((buf[d + 12] << 24) | (buf[d + 13] << 16) | (buf[d + 14] << 8) | buf[d + 15]) >>> 0,
      );
    case 1002: {
      const what = 'sflow.extended_router';
      const nextHop = addressAt(what, buf, d, dataEnd);
      const o = afterAddress(nextHop);
      if (o + 8 !== dataEnd) throw wrongLength(what, start, length, `${o + 8 - d} bytes`);
      return { kind: 'extendedRouter', enterprise: 0, format: 1002, start, end, dataLength: length, nextHop, srcMaskLength: u32(buf, o), dstMaskLength: u32(buf, o + 4) };
    }
    case 1003:
      return extendedGateway(buf, start, end, length);
    case 1004: {
      const what = 'sflow.extended_user';
      if (length < 4) throw wrongLength(what, start, length, 'at least 4 bytes');
      const srcCharset = u32(buf, d);
      const paddedEnd = d + padded(length);
      const src = readString(what, buf, d + 4, paddedEnd);
      if (src.next + 4 > paddedEnd) throw wrongLength(what, start, length, `more than ${src.next - d} bytes`);
      const dstCharset = u32(buf, src.next);
      const dst = readString(what, buf, src.next + 4, paddedEnd);
      if (dst.next !== paddedEnd) throw wrongLength(what, start, length, `${dst.next - d} bytes`);
      return { kind: 'extendedUser', enterprise: 0, format: 1004, start, end, dataLength: length, srcCharset, srcUser: src.text, dstCharset, dstUser: dst.text };
    }
    case 1005: {
      const what = 'sflow.extended_url';
      if (length < 4) throw wrongLength(what, start, length, 'at least 4 bytes');
      const direction = u32(buf, d);
      const paddedEnd = d + padded(length);
      const url = readString(what, buf, d + 4, paddedEnd);
      const host = readString(what, buf, url.next, paddedEnd);
      if (host.next !== paddedEnd) throw wrongLength(what, start, length, `${host.next - d} bytes`);
      return { kind: 'extendedUrl', enterprise: 0, format: 1005, start, end, dataLength: length, direction, url: url.text, host: host.text };
    }
    case 1006: {
      const what = 'sflow.extended_mpls';
      const nextHop = addressAt(what, buf, d, dataEnd);
      const o = afterAddress(nextHop);
      const inLabels = labelStack(what, buf, o, dataEnd);
      const o2 = o + 4 + 4 * inLabels.length;
      const outLabels = labelStack(what, buf, o2, dataEnd);
      const o3 = o2 + 4 + 4 * outLabels.length;
      if (o3 !== dataEnd) throw wrongLength(what, start, length, `${o3 - d} bytes`);
      return { kind: 'extendedMpls', enterprise: 0, format: 1006, start, end, dataLength: length, nextHop, inLabels, outLabels };
    }
    case 1007: {
      const what = 'sflow.extended_nat';
      const srcAddress = addressAt(what, buf, d, dataEnd);
      const dstAddress = addressAt(what, buf, afterAddress(srcAddress), dataEnd);
      const o = afterAddress(dstAddress);
      if (o !== dataEnd) throw wrongLength(what, start, length, `${o - d} bytes`);
      return { kind: 'extendedNat', enterprise: 0, format: 1007, start, end, dataLength: length, srcAddress, dstAddress };
    }
    default:
      return unknownRecord(type, start, end, length);
  }
}

function unknownRecord(type: number, start: number, end: number, length: number): UnknownRecord {
  return { kind: 'unknown', enterprise: type >>> 12, format: type & 0xfff, start, end, dataLength: length, dataStart: start + 8, dataEnd: start + 8 + length };
}

/**
 * struct extended_gateway { next_hop; as; src_as; src_peer_as; as_path_type dst_as_path<>; unsigned int
 * communities<>; localpref } with as_path_type { type (1 AS_SET, 2 AS_SEQUENCE); unsigned int as_number<> }.
 */
function extendedGateway(buf: Uint8Array, start: number, end: number, length: number): ExtendedGatewayRecord {
  const what = 'sflow.extended_gateway';
  const d = start + 8;
  const dataEnd = d + length;
  const nextHop = addressAt(what, buf, d, dataEnd);
  let o = afterAddress(nextHop);
  if (o + 16 > dataEnd) throw wrongLength(what, start, length, `more than ${o + 16 - d} bytes`);
  const as = u32(buf, o);
  const srcAs = u32(buf, o + 4);
  const srcPeerAs = u32(buf, o + 8);
  const segments = u32(buf, o + 12);
  o += 16;
  // Each segment takes at least 8 bytes: a count larger than the bytes left is a lie, not a reason to loop.
  if (segments > (dataEnd - o) / 8) throw new DecodeError(what, o - 4, `${segments} AS path segments run past the record`);
  const asPath: AsPathSegment[] = [];
  for (let i = 0; i < segments; i++) {
    if (o + 8 > dataEnd) throw new DecodeError(what, o, 'AS path segment runs past the record');
    const type = u32(buf, o);
    const n = u32(buf, o + 4);
    if (n > (dataEnd - o - 8) / 4) throw new DecodeError(what, o + 4, `${n} AS numbers run past the record`);
    const asns: number[] = [];
    for (let j = 0; j < n; j++) asns.push(u32(buf, o + 8 + 4 * j));
    asPath.push({ type, asns });
    o += 8 + 4 * n;
  }
  if (o + 4 > dataEnd) throw new DecodeError(what, o, 'community count runs past the record');
  const nc = u32(buf, o);
  if (nc > (dataEnd - o - 4) / 4) throw new DecodeError(what, o, `${nc} communities run past the record`);
  const communities: number[] = [];
  for (let j = 0; j < nc; j++) communities.push(u32(buf, o + 4 + 4 * j));
  o += 4 + 4 * nc;
  if (o + 4 !== dataEnd) throw wrongLength(what, start, length, `${o + 4 - d} bytes`);
  const localPref = u32(buf, o);
  return { kind: 'extendedGateway', enterprise: 0, format: 1003, start, end, dataLength: length, nextHop, as, srcAs, srcPeerAs, asPath, communities, localPref };
}

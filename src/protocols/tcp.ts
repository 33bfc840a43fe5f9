import { u16, u32 } from './bytes';
import { DecodeError } from './decodeError';

/** TCP header (RFC 9293 section 3.1). `end` is the end of the header including options. */
export interface TcpLayer {
  kind: 'tcp';
  start: number;
  end: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Header length in bytes (data offset × 4). */
  headerLength: number;
  /** The 12 flag bits as tshark's tcp.flags shows them: reserved (3), AE (RFC 3540/AccECN), CWR, ECE, URG, ACK, PSH, RST, SYN, FIN. */
  flags: number;
  window: number;
  checksum: number;
  urgentPointer: number;
  /** Options occupy [optionsStart, start + headerLength). Read them with tcpOptions(). */
  optionsStart: number;
}

export const TCP_MIN_HEADER_LENGTH = 20;

export const TCP_FIN = 0x001;
export const TCP_SYN = 0x002;
export const TCP_RST = 0x004;
export const TCP_PSH = 0x008;
export const TCP_ACK = 0x010;
export const TCP_URG = 0x020;
export const TCP_ECE = 0x040;
export const TCP_CWR = 0x080;
export const TCP_AE = 0x100;

const FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [TCP_AE, 'AE'],
  [TCP_CWR, 'CWR'],
  [TCP_ECE, 'ECE'],
  [TCP_URG, 'URG'],
  [TCP_ACK, 'ACK'],
  [TCP_PSH, 'PSH'],
  [TCP_RST, 'RST'],
  [TCP_SYN, 'SYN'],
  [TCP_FIN, 'FIN'],
];

/** The names of the set flags, most significant first ("SYN", "ACK" …), for display. */
export function tcpFlagNames(flags: number): string[] {
  const names: string[] = [];
  for (const [bit, name] of FLAG_NAMES) if (flags & bit) names.push(name);
  return names;
}

/**
 * Decodes the TCP header at `offset`; undefined when its fixed 20 bytes do not fit before `end`.
 * Throws DecodeError when the data offset is below 5 words.
 */
export function decodeTcp(buf: Uint8Array, offset: number, end: number): TcpLayer | undefined {
  if (end - offset < TCP_MIN_HEADER_LENGTH) return undefined;
  const word = (buf[offset + 12] << 8) | buf[offset + 13];
  const headerLength = (word >>> 12) * 4;
  if (headerLength < TCP_MIN_HEADER_LENGTH) {
    throw new DecodeError('tcp', offset + 12, `data offset ${headerLength} bytes is less than 20`);
  }
  return {
    kind: 'tcp',
    start: offset,
    end: offset + headerLength,
    srcPort: (buf[offset] << 8) | buf[offset + 1],
    dstPort: (buf[offset + 2] << 8) | buf[offset + 3],
    seq: ((buf[offset + 4] << 24) | (buf[offset + 5] << 16) | (buf[offset + 6] << 8) | buf[offset + 7]) >>> 0,
    ack: ((buf[offset + 8] << 24) | (buf[offset + 9] << 16) | (buf[offset + 10] << 8) | buf[offset + 11]) >>> 0,
    headerLength,
    flags: word & 0x0fff,
    window: (buf[offset + 14] << 8) | buf[offset + 15],
    checksum: (buf[offset + 16] << 8) | buf[offset + 17],
    urgentPointer: (buf[offset + 18] << 8) | buf[offset + 19],
    optionsStart: offset + TCP_MIN_HEADER_LENGTH,
  };
}

/** TCP option kinds (IANA "TCP Option Kind Numbers"). */
export const TCP_OPTION_END = 0;
export const TCP_OPTION_NOP = 1;
export const TCP_OPTION_MSS = 2; // RFC 9293 3.2
export const TCP_OPTION_WINDOW_SCALE = 3; // RFC 7323 2.2
export const TCP_OPTION_SACK_PERMITTED = 4; // RFC 2018 2
export const TCP_OPTION_SACK = 5; // RFC 2018 3
export const TCP_OPTION_TIMESTAMPS = 8; // RFC 7323 3.2

/** One TCP option with where its bytes are and, for the common kinds, its value. */
export interface TcpOption {
  kind: number;
  start: number;
  /** Total length in bytes, kind and length octets included (1 for End and NOP). */
  length: number;
  mss?: number;
  windowScale?: number;
  tsVal?: number;
  tsEcr?: number;
  /** SACK blocks as [left edge, right edge] pairs. */
  sack?: Array<[number, number]>;
}

/**
 * The options of a decoded TCP header, read on demand. Stops at End of Option List; options cut short by the
 * end of the buffer are left out. Throws DecodeError when a length octet is < 2 or runs past the header.
 */
export function tcpOptions(buf: Uint8Array, layer: TcpLayer): TcpOption[] {
  const options: TcpOption[] = [];
  const headerEnd = layer.start + layer.headerLength;
  const end = Math.min(headerEnd, buf.length);
  let o = layer.optionsStart;
  while (o < end) {
    const kind = buf[o];
    if (kind === TCP_OPTION_END) {
      options.push({ kind, start: o, length: 1 });
      break;
    }
    if (kind === TCP_OPTION_NOP) {
      options.push({ kind, start: o, length: 1 });
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const length = buf[o + 1];
    if (length < 2) throw new DecodeError('tcp.option', o + 1, `option ${kind} has length ${length}, at least 2 expected`);
    if (o + length > headerEnd) throw new DecodeError('tcp.option', o + 1, `option ${kind} of length ${length} runs past the header`);
    if (o + length > end) break;
    const option: TcpOption = { kind, start: o, length };
    if (kind === TCP_OPTION_MSS && length === 4) option.mss = u16(buf, o + 2);
    else if (kind === TCP_OPTION_WINDOW_SCALE && length === 3) option.windowScale = buf[o + 2];
    else if (kind === TCP_OPTION_TIMESTAMPS && length === 10) {
      option.tsVal = u32(buf, o + 2);
      option.tsEcr = u32(buf, o + 6);
    } else if (kind === TCP_OPTION_SACK && (length - 2) % 8 === 0) {
      option.sack = [];
      for (let p = o + 2; p < o + length; p += 8) option.sack.push([u32(buf, p), u32(buf, p + 4)]);
    }
    options.push(option);
    o += length;
  }
  return options;
}

/** What a packet cut inside its TCP header needs to say where the cut header lies (DecodedPacket's fields). */
interface CutPacket {
  truncatedIn?: string;
  payloadStart: number;
  payloadEnd: number;
}

/**
 * The sequence number of a TCP header cut short after at least 8 bytes — what an ICMPv4 error quotes (RFC 792:
 * the first 64 bits of data), and what a host checks the error against (RFC 5927 section 4.1). The packet
 * decoder keeps the ports of such a header; this reads on demand the word after them, from the cut header's
 * bytes [payloadStart, payloadEnd). Undefined when the packet was not cut in TCP or fewer than 8 bytes are there.
 */
export function cutTcpSequence(buf: Uint8Array, packet: CutPacket): number | undefined {
  if (packet.truncatedIn !== 'tcp' || packet.payloadEnd - packet.payloadStart < 8) return undefined;
  return u32(buf, packet.payloadStart + 4);
}

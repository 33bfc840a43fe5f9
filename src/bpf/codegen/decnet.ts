/**
 * `decnet [src|dst] host AREA.NODE` (libpcap's gen_dnhostop). A DECnet phase IV routing message on Ethernet
 * (DECnet Routing Layer Functional Specification V2.0.0, section 6.2) starts with a 2-byte length, then
 * optionally a padding byte (0x81: bit 7 set, one byte of padding in all), then the flags byte: low three bits
 * 2 for the short data header, 6 for the long one. The short header has the destination node address 1 byte
 * after the flags and the source 3 bytes after; the long header has area and subarea bytes and the 4-byte HIORD
 * prefix before each 2-byte address: destination 7 bytes after the flags, source 15. Addresses are 16-bit
 * little-endian: area in the top 6 bits, node in the low 10.
 */
import type { QualifiedNode } from '../ast';
import { compileError } from '../compileError';
import { BPF_ALU, BPF_AND, BPF_JEQ, stmt } from '../instruction';
import { and, or, test, type Predicate } from '../predicate';
import { equals, ETHERTYPE, linkType, type SimpleDirection } from './link';
import { load, networkOffset, type CodegenState } from './state';

const AREA_SHIFT = 10;
const AREA_MASK = 0xfc00;
const NODE_MASK = 0x03ff;
/** The flags byte comes after the 2-byte length. */
const FLAGS_OFFSET = 2;
const FORMAT_MASK = 0x07;
const SHORT_FORMAT = 0x02;
const LONG_FORMAT = 0x06;
/** One padding byte: bit 7 (padding present) with a total padding length of 1. */
const ONE_PAD = 0x81;
const PAD_AND_FORMAT_MASK = 0xff07;
/** Where each address is, counted from the flags byte. */
const ADDRESS_AFTER_FLAGS = { short: { dst: 1, src: 3 }, long: { dst: 7, src: 15 } } as const;

const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >> 8) & 0xff);

/**
 * The 16-bit address of a DECnet host as libpcap reads it: a number as it is; `AREA.NODE` with the area and node
 * as C's sscanf("%d.%d") reads them (what follows a second dot is ignored), each cut to its field.
 */
export function decnetAddress(s: CodegenState, node: QualifiedNode): number {
  const v = node.value;
  if (v.kind === 'number') return v.number! & 0xffff;
  const m = v.kind === 'ipv4' ? /^(\d+)\.(\d+)/.exec(v.text) : null;
  if (!m) throw compileError(s, v.range, `malformed decnet address '${v.text}'`, 'a DECnet address AREA.NODE');
  const area = Number(m[1]);
  const nodeNumber = Number(m[2]);
  return (((area << AREA_SHIFT) & AREA_MASK) | (nodeNumber & NODE_MASK)) >>> 0;
}

/** The address `which` equals addr, in all four layouts of the header. */
function addressIs(s: CodegenState, addr: number, which: 'src' | 'dst'): Predicate {
  const wire = swap16(addr);
  const flags = networkOffset(s, FLAGS_OFFSET);
  const format = (value: number): Predicate => test([...load(flags, 1), stmt(BPF_ALU | BPF_AND, FORMAT_MASK)], BPF_JEQ, value);
  const padded = (value: number): Predicate => test([...load(flags, 2), stmt(BPF_ALU | BPF_AND, PAD_AND_FORMAT_MASK)], BPF_JEQ, (ONE_PAD << 8) | value);
  const at = (after: number): Predicate => equals(networkOffset(s, FLAGS_OFFSET + after), 2, wire);
  const { short, long } = ADDRESS_AFTER_FLAGS;
  return or(
    and(format(SHORT_FORMAT), at(short[which])),
    and(padded(SHORT_FORMAT), at(1 + short[which])),
    and(format(LONG_FORMAT), at(long[which])),
    and(padded(LONG_FORMAT), at(1 + long[which])),
  );
}

/** `decnet [dir] host ADDR`: a DECnet frame from, to, or between that address. */
export function decnetHost(s: CodegenState, node: QualifiedNode, addr: number, dir: SimpleDirection): Predicate {
  const isDecnet = linkType(s, ETHERTYPE.DN, node.range);
  switch (dir) {
    case 'src': return and(isDecnet, addressIs(s, addr, 'src'));
    case 'dst': return and(isDecnet, addressIs(s, addr, 'dst'));
    case 'src or dst': return and(isDecnet, or(addressIs(s, addr, 'src'), addressIs(s, addr, 'dst')));
    case 'src and dst': return and(isDecnet, addressIs(s, addr, 'src'), addressIs(s, addr, 'dst'));
  }
}

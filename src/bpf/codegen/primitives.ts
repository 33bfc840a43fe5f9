/**
 * Qualified primitives (`[proto] [dir] [type] VALUE`) and keyword primitives, as libpcap's gen_ncode, gen_scode,
 * gen_mcode, gen_mcode6 and gen_ecode read them: which value kinds each qualifier takes, the defaults, and the
 * errors libpcap gives for the combinations it refuses.
 */
import type { KeywordNode, QualifiedNode } from '../ast';
import { parseIpv6, parseMac } from '../addressText';
import { compileError } from '../compileError';
import { BPF_ALU, BPF_AND, BPF_JEQ, BPF_JGE, BPF_JGT, BPF_K, BPF_LD, BPF_LEN, BPF_OR, BPF_W, stmt } from '../instruction';
import { IP_PROTOCOLS } from '../names/protocols';
import { SERVICES } from '../names/services';
import { not, or, test, type Predicate } from '../predicate';
import { anyIpProtocol, ipv4Broadcast, ipv4Host, ipv4Multicast, ipv4Protocol, ipv6Host, ipv6Multicast, ipv6Protocol, IPPROTO, type AddressFamily } from './ip';
import { etherBroadcast, etherHost, etherMulticast, linkType, type SimpleDirection } from './link';
import { PORT_PROTOCOLS, ports } from './port';
import { protochain } from './protochain';
import { geneve } from './geneve';
import { decnetAddress, decnetHost } from './decnet';
import { llc } from './llc';
import { mpls, pppoed, pppoes, vlan } from './encap';
import { isisPduType, isoProtocol, OSI_PROTOCOLS } from './osi';
import { load, plus, type CodegenState } from './state';

/** EtherType names libpcap knows for `ether proto \NAME` (its eproto_db), then 802.2 SAP names (llc_db). */
const ETHER_PROTOCOLS = new Map<string, number>([
  ['aarp', 0x80f3], ['arp', 0x0806], ['atalk', 0x809b], ['decnet', 0x6003], ['ip', 0x0800], ['ip6', 0x86dd], ['lat', 0x6004],
  ['loopback', 0x9000], ['mopdl', 0x6001], ['moprc', 0x6002], ['rarp', 0x8035], ['sca', 0x6007],
  ['iso', 0xfe], ['stp', 0x42], ['ipx', 0xe0], ['netbeui', 0xf0],
]);
const MAX_PORT = 65535;
const PROTO_BY_QUALIFIER: Record<string, number> = { tcp: IPPROTO.TCP, udp: IPPROTO.UDP, sctp: IPPROTO.SCTP };
const PROTO_NAMES: Record<number, string> = { [IPPROTO.TCP]: 'tcp', [IPPROTO.UDP]: 'udp', [IPPROTO.SCTP]: 'sctp' };

function direction(s: CodegenState, node: QualifiedNode): SimpleDirection {
  const dir = node.qualifiers.dir ?? 'src or dst';
  if (dir === 'src' || dir === 'dst' || dir === 'src or dst' || dir === 'src and dst') return dir;
  throw compileError(s, node.range, `'${dir}' is only supported on 802.11 with 802.11 headers`);
}

/** Dotted IPv4 with 1-4 parts (libpcap's __pcap_atoin): the value and its length in bits. */
function dotted(text: string): { value: number; bits: number; valid: boolean } {
  const parts = text.split('.').map((p) => (/^0[xX]/.test(p) ? parseInt(p, 16) : /^0\d/.test(p) ? parseInt(p, 8) : parseInt(p, 10)));
  let value = 0;
  for (const p of parts) value = ((value << 8) | (p & 0xff)) >>> 0;
  return { value, bits: parts.length * 8, valid: parts.every((p) => p <= 255) };
}

const maskOfLength = (bits: number): number => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

function ipv4Families(s: CodegenState, node: QualifiedNode, kind: string): AddressFamily[] {
  const proto = node.qualifiers.proto;
  // Inside MPLS libpcap looks for IPv4 only (gen_host: no ARP or RARP under a label stack).
  if (proto === undefined) return s.mplsDepth > 0 ? ['ip'] : ['ip', 'arp', 'rarp'];
  if (proto === 'ip' || proto === 'arp' || proto === 'rarp') return [proto];
  if (proto === 'link') throw compileError(s, node.range, 'illegal link layer address');
  throw compileError(s, node.range, `'${proto}' modifier applied to ${kind}`);
}

function ipv4Address(s: CodegenState, node: QualifiedNode, addr: number, mask: number): Predicate {
  const type = node.qualifiers.type ?? 'host';
  if (type !== 'host' && type !== 'net') throw compileError(s, node.range, `'${type}' modifier applied to ip host`);
  const dir = direction(s, node);
  return or(...ipv4Families(s, node, 'ip host').map((f) => ipv4Host(s, f, addr, mask, dir, node.range)));
}

/** The mask of `ADDR/LEN` or `ADDR mask MASK`, after libpcap's checks of it against the address n. */
function checkNetworkBits(s: CodegenState, node: QualifiedNode, n: number): number {
  let m: number;
  let what: string;
  if (node.prefixLength) {
    const len = node.prefixLength.number!;
    if (len > 32) throw compileError(s, node.range, 'mask length must be <= 32');
    m = maskOfLength(len);
    what = `${node.value.text}/${len}`;
  } else {
    const mk = dotted(node.mask!.text);
    m = mk.bits === 32 ? mk.value : (mk.value << (32 - mk.bits)) >>> 0;
    what = `${node.value.text} mask ${node.mask!.text}`;
  }
  if ((n & ~m) >>> 0 !== 0) throw compileError(s, node.range, `non-network bits set in "${what}"`);
  return m;
}

function ipv4Literal(s: CodegenState, node: QualifiedNode): Predicate {
  const type = node.qualifiers.type ?? 'host';
  if (type === 'gateway') throw compileError(s, node.range, "'gateway' requires a name");
  const { value, bits, valid } = dotted(node.value.text);
  if (!valid) throw compileError(s, node.value.range, `invalid IPv4 address '${node.value.text}'`);
  const n = bits === 32 ? value : (value << (32 - bits)) >>> 0;
  if (node.prefixLength || node.mask) {
    const m = checkNetworkBits(s, node, n);
    if (type !== 'net') throw compileError(s, node.range, 'Mask syntax for networks only');
    return ipv4Address(s, node, n, m);
  }
  return ipv4Address(s, node, n, maskOfLength(bits));
}

function ipv6Literal(s: CodegenState, node: QualifiedNode): Predicate {
  const type = node.qualifiers.type ?? 'host';
  if (type !== 'host' && type !== 'net') throw compileError(s, node.range, 'invalid qualifier against IPv6 address');
  const addr = parseIpv6(node.value.text);
  if (!addr) throw compileError(s, node.value.range, `bogus IPv6 address ${node.value.text}`);
  const len = node.prefixLength?.number ?? 128;
  if (len > 128) throw compileError(s, node.range, 'mask length must be <= 128');
  for (let i = 0; i < 16; i++) {
    const bits = Math.max(0, Math.min(8, len - i * 8));
    if ((addr[i]! & ~(0xff << (8 - bits)) & 0xff) !== 0) throw compileError(s, node.range, `non-network bits set in "${node.value.text}/${len}"`);
  }
  if (type === 'host' && len !== 128) throw compileError(s, node.range, 'Mask syntax for networks only');
  const proto = node.qualifiers.proto;
  if (proto !== undefined && proto !== 'ip6') throw compileError(s, node.range, `'${proto === 'link' ? 'link' : proto}' modifier applied to ip6 host`);
  return ipv6Host(s, addr, len, direction(s, node));
}

function macLiteral(s: CodegenState, node: QualifiedNode): Predicate {
  const type = node.qualifiers.type ?? 'host';
  if (node.qualifiers.proto !== 'link' || type !== 'host') throw compileError(s, node.range, 'ethernet address used in non-ether expression');
  if (s.framing !== 'ethernet') throw compileError(s, node.range, 'ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel');
  return etherHost(s, parseMac(node.value.text), direction(s, node));
}

/** The transport protocols a port primitive with these qualifiers looks at, given what its name resolved to. */
function portProtocols(s: CodegenState, node: QualifiedNode, resolved: number[] | undefined): number[] {
  const proto = node.qualifiers.proto;
  if (proto !== undefined && !(proto in PROTO_BY_QUALIFIER)) throw compileError(s, node.range, `illegal qualifier of '${node.qualifiers.type}'`);
  if (proto === undefined) return resolved ?? PORT_PROTOCOLS;
  const wanted = PROTO_BY_QUALIFIER[proto]!;
  if (resolved && !resolved.includes(wanted)) throw compileError(s, node.value.range, `port '${node.value.text}' is ${PROTO_NAMES[resolved[0]!]}`);
  return [wanted];
}

/** A service name as libpcap's pcap_nametoport resolves it: the TCP port, or the UDP one; both when equal. */
function service(name: string): { port: number; protocols: number[] | undefined } | undefined {
  const e = SERVICES.get(name);
  if (!e) return undefined;
  if (e.tcp !== undefined) return { port: e.tcp, protocols: e.udp === e.tcp ? undefined : [IPPROTO.TCP] };
  if (e.udp !== undefined) return { port: e.udp, protocols: [IPPROTO.UDP] };
  return undefined;
}

function portValue(s: CodegenState, node: QualifiedNode, text: string, number: number | undefined): { port: number; protocols: number[] | undefined } {
  if (number !== undefined) return { port: number, protocols: undefined };
  if (/^\d+$/.test(text)) return { port: Number(text), protocols: undefined };
  const found = service(text);
  if (!found) throw compileError(s, node.value.range, `unknown port '${text}'`);
  return found;
}

function portPrimitive(s: CodegenState, node: QualifiedNode): Predicate {
  const v = node.value;
  if (v.kind === 'ipv4' || v.kind === 'mac') throw compileError(s, node.range, `'${node.qualifiers.type}' modifier applied to ${v.kind === 'ipv4' ? 'ip host' : 'ether host'}`);
  if (v.kind === 'ipv6') throw compileError(s, node.range, 'invalid qualifier against IPv6 address');
  const dir = direction(s, node);
  if (node.qualifiers.type === 'port') {
    const { port, protocols } = portValue(s, node, v.text, v.number);
    const protos = portProtocols(s, node, protocols);
    if (port > MAX_PORT) throw compileError(s, node.value.range, `illegal port number ${port} > ${MAX_PORT}`);
    return ports(s, protos, { lo: port, hi: port }, dir);
  }
  // portrange: a number, or NAME-NAME / N-N (libpcap's pcap_nametoportrange).
  let lo: number;
  let hi: number;
  let resolved: number[] | undefined;
  if (v.number !== undefined) lo = hi = v.number;
  else {
    const dash = v.text.indexOf('-');
    if (dash < 0) throw compileError(s, node.value.range, `unknown port in range '${v.text}'`);
    const a = portValue(s, node, v.text.slice(0, dash), undefined);
    const b = portValue(s, node, v.text.slice(dash + 1), undefined);
    lo = a.port;
    hi = b.port;
    resolved = a.protocols && b.protocols && a.protocols.join() === b.protocols.join() ? a.protocols : undefined;
  }
  const protos = portProtocols(s, node, resolved);
  if (lo > MAX_PORT || hi > MAX_PORT) throw compileError(s, node.value.range, `illegal port number ${Math.max(lo, hi)} > ${MAX_PORT}`);
  return ports(s, protos, { lo: Math.min(lo, hi), hi: Math.max(lo, hi) }, dir);
}

/** libpcap's message for `PROTO proto N` on a protocol that carries no other (gen_proto). */
const NOT_ENCAPSULATING: Record<string, string> = {
  arp: 'arp does not encapsulate another protocol', rarp: 'rarp does not encapsulate another protocol',
  atalk: 'AppleTalk encapsulation is not specifiable', decnet: 'DECNET encapsulation is not specifiable',
  lat: 'LAT does not encapsulate another protocol', sca: 'SCA does not encapsulate another protocol',
  moprc: 'MOPRC does not encapsulate another protocol', mopdl: 'MOPDL does not encapsulate another protocol',
  clnp: "'clnp proto' is not supported",
};

function protoPrimitive(s: CodegenState, node: QualifiedNode): Predicate {
  const v = node.value;
  const proto = node.qualifiers.proto;
  let n: number | undefined = v.number;
  if (n === undefined) {
    if (v.kind !== 'name') throw compileError(s, node.range, `'proto' needs a protocol number or name, not '${v.text}'`);
    if (proto === 'link') n = ETHER_PROTOCOLS.get(v.text);
    else if (proto === undefined || proto === 'ip' || proto === 'ip6') n = IP_PROTOCOLS.get(v.text);
    else if (proto === 'iso') n = OSI_PROTOCOLS.get(v.text);
    else throw compileError(s, node.value.range, `unknown protocol: ${v.text}`);
    if (n === undefined) {
      const kind = proto === 'link' ? 'ether' : proto === 'iso' ? 'osi' : 'ip';
      throw compileError(s, node.value.range, `unknown ${kind} proto '${v.text}'`);
    }
  }
  if (node.qualifiers.type === 'protochain') {
    if (proto !== undefined && proto !== 'ip' && proto !== 'ip6') throw compileError(s, node.range, `bad protocol applied for 'protochain'`);
    return protochain(s, proto, n, node);
  }
  switch (proto) {
    case undefined: return anyIpProtocol(s, n);
    case 'ip': return ipv4Protocol(s, n);
    case 'ip6': return ipv6Protocol(s, n);
    case 'link': return linkType(s, n, node.range);
    case 'iso': return isoProtocol(s, n, node.range);
    case 'isis': return isisPduType(s, n, node.range);
    default:
      throw compileError(s, node.range, NOT_ENCAPSULATING[proto] ?? `'${proto} proto' is bogus`);
  }
}

/** `decnet [dir] host|net ADDR` (a mask or prefix is allowed on `net` and then ignored, as libpcap does). */
function decnetPrimitive(s: CodegenState, node: QualifiedNode): Predicate {
  const type = node.qualifiers.type ?? 'host';
  const v = node.value;
  if (type === 'gateway') throw compileError(s, node.range, v.kind === 'name' ? `unknown host '${v.text}'` : "'gateway' requires a name");
  if (v.kind === 'name') throw compileError(s, v.range, `decnet name support not included, '${v.text}' cannot be translated`);
  if (v.kind === 'ipv6') throw compileError(s, node.range, "'decnet' modifier applied to ip6 host");
  if (v.kind === 'mac') throw compileError(s, node.range, 'ethernet address used in non-ether expression');
  const dir = direction(s, node);
  if (node.prefixLength || node.mask) {
    // libpcap's gen_mcode reads the address as IPv4 and passes its low 16 bits on as the DECnet address.
    const { value, bits, valid } = dotted(v.text);
    if (!valid) throw compileError(s, v.range, `invalid IPv4 address '${v.text}'`);
    const n = (value << (32 - bits)) >>> 0;
    checkNetworkBits(s, node, n);
    if (type !== 'net') throw compileError(s, node.range, 'Mask syntax for networks only');
    return decnetHost(s, node, n & 0xffff, dir);
  }
  return decnetHost(s, node, decnetAddress(s, node), dir);
}

/** `[proto] [dir] [type] VALUE`. */
export function qualified(s: CodegenState, node: QualifiedNode): Predicate {
  const type = node.qualifiers.type ?? 'host';
  const v = node.value;
  if (type === 'port' || type === 'portrange') return portPrimitive(s, node);
  if (type === 'proto' || type === 'protochain') return protoPrimitive(s, node);
  if (node.qualifiers.proto === 'decnet') return decnetPrimitive(s, node);
  if (type === 'gateway') throw compileError(s, node.range, v.kind === 'name' ? `unknown host '${v.text}'` : "'gateway' requires a name");
  switch (v.kind) {
    case 'ipv4': return ipv4Literal(s, node);
    case 'ipv6': return ipv6Literal(s, node);
    case 'mac': return macLiteral(s, node);
    case 'number': {
      if (node.qualifiers.proto === 'link') throw compileError(s, node.range, 'illegal link layer address');
      let addr = v.number!;
      let mask = 0xffffffff;
      if (type === 'net') {
        // A bare number as a net is promoted to its leading octets (libpcap's gen_ncode).
        while (addr !== 0 && (addr & 0xff000000) === 0) {
          addr = (addr << 8) >>> 0;
          mask = (mask << 8) >>> 0;
        }
      }
      return ipv4Address(s, node, addr, mask);
    }
    case 'name':
      if (node.qualifiers.proto === 'link') throw compileError(s, v.range, `unknown ether host '${v.text}'`);
      throw compileError(s, v.range, type === 'net' ? `unknown network '${v.text}'` : `unknown host '${v.text}'`);
  }
}

const lengthTest = (op: number, n: number): Predicate => test([stmt(BPF_LD | BPF_W | BPF_LEN, 0)], op, n);

/**
 * `byte N OP V` (libpcap's gen_byteop): the byte N bytes into the link-layer header compared with `=`, `<`, `>`.
 * With `&` or `|` libpcap applies the operation to whatever the accumulator holds, without loading the byte,
 * and tests the result for non-zero; labtel does the same, to agree.
 */
function byteComparison(s: CodegenState, node: KeywordNode): Predicate {
  const at = plus(s.offLinkHeader, node.argument!.number!);
  const v = node.operand!.number!;
  switch (node.operator) {
    case '=': return test(load(at, 1), BPF_JEQ, v);
    case '>': return test(load(at, 1), BPF_JGT, v);
    case '<': return not(test(load(at, 1), BPF_JGE, v));
    case '&': return not(test([stmt(BPF_ALU | BPF_AND | BPF_K, v)], BPF_JEQ, 0));
    default: return not(test([stmt(BPF_ALU | BPF_OR | BPF_K, v)], BPF_JEQ, 0));
  }
}

/** Keyword primitives: broadcast, multicast, less, greater, vlan, mpls, pppoed, pppoes … */
export function keyword(s: CodegenState, node: KeywordNode): Predicate {
  const proto = node.proto;
  const linkLayer = proto === undefined || proto === 'link';
  switch (node.keyword) {
    case 'broadcast':
      if (linkLayer && s.framing === 'ethernet') return etherBroadcast(s);
      if (proto === 'ip') return ipv4Broadcast(s);
      throw compileError(s, node.range, linkLayer ? 'not a broadcast link' : 'only link-layer/IP broadcast filters supported');
    case 'multicast':
      if (linkLayer && s.framing === 'ethernet') return etherMulticast(s);
      if (proto === 'ip') return ipv4Multicast(s);
      if (proto === 'ip6') return ipv6Multicast(s);
      throw compileError(s, node.range, linkLayer ? 'no link-layer multicast on this link type' : 'link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel');
    case 'less':
      return not(lengthTest(BPF_JGT, node.argument!.number!));
    case 'greater':
      return lengthTest(BPF_JGE, node.argument!.number!);
    case 'vlan':
      return vlan(s, node);
    case 'mpls':
      return mpls(s, node);
    case 'pppoed':
      return pppoed(s, node);
    case 'pppoes':
      return pppoes(s, node);
    case 'geneve':
      return geneve(s, node);
    case 'byte':
      return byteComparison(s, node);
    case 'llc':
      return llc(s, node);
    case 'inbound':
    case 'outbound':
      throw compileError(s, node.range, `inbound/outbound not supported on ${s.linkType === 'raw' ? 'raw IP' : 'Ethernet'} when reading savefiles`);
    case 'ifindex':
      throw compileError(s, node.range, `ifindex not supported on ${s.linkType === 'raw' ? 'raw IP' : 'Ethernet'} when reading savefiles`);
    default:
      throw compileError(s, node.range, `labtel does not compile '${node.keyword}' yet`, 'a primitive labtel compiles');
  }
}

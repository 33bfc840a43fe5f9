/**
 * Encapsulations that move the offsets for the rest of the expression (libpcap's gen_vlan, gen_mpls,
 * gen_pppoed, gen_pppoes), with savefile semantics: the 802.1Q tag is in the packet, as `tcpdump -r` reads it.
 */
import type { KeywordNode } from '../ast';
import { compileError } from '../compileError';
import { BPF_ALU, BPF_AND, BPF_JEQ, stmt } from '../instruction';
import { and, or, test, type Predicate } from '../predicate';
import { equals, ETHERTYPE, linkType, maskedByte } from './link';
import { load, networkOffset, plus, type CodegenState } from './state';

/** TPIDs libpcap takes for a VLAN tag: 802.1Q, 802.1ad, and the pre-standard QinQ 0x9100. */
const VLAN_TPIDS = [0x8100, 0x88a8, 0x9100];
const VLAN_TAG_LENGTH = 4;
const MAX_VLAN_ID = 4095;
const MAX_MPLS_LABEL = 0xfffff;
const MPLS_LABEL_SHIFT = 12;
const MPLS_LABEL_MASK = 0xfffff000;
const MAX_PPPOE_SESSION = 0xffff;
/** PPPoE session header (RFC 2516 section 4): 6 bytes, then the PPP protocol field. */
const PPPOE_HEADER_LENGTH = 6;
const PPP_PROTOCOL_LENGTH = 2;
const PPP_MPLS_UNICAST = 0x0281;

const argumentOf = (node: KeywordNode): number | undefined => node.argument?.number;

/** `vlan [ID]`: a VLAN TPID, the ID if given; then everything after it is 4 bytes further on. */
export function vlan(s: CodegenState, node: KeywordNode): Predicate {
  if (s.framing !== 'ethernet' || s.mplsDepth > 0) throw compileError(s, node.range, 'no VLAN support for this link-layer type');
  const id = argumentOf(node);
  if (id !== undefined && id > MAX_VLAN_ID) throw compileError(s, node.argument!.range, `VLAN tag ${id} greater than maximum ${MAX_VLAN_ID}`);
  let p: Predicate = or(...VLAN_TPIDS.map((tpid) => linkType(s, tpid)));
  if (id !== undefined) p = and(p, test([...load(networkOffset(s), 2), stmt(BPF_ALU | BPF_AND, MAX_VLAN_ID)], BPF_JEQ, id));
  s.offLinkType = plus(s.offLinkType!, VLAN_TAG_LENGTH);
  s.offLinkPayload = plus(s.offLinkPayload, VLAN_TAG_LENGTH);
  return p;
}

/** `mpls [LABEL]`: an MPLS frame (or, inside one, a label that is not the bottom one); then one label deeper. */
export function mpls(s: CodegenState, node: KeywordNode): Predicate {
  const label = argumentOf(node);
  let p: Predicate;
  if (s.mplsDepth > 0) p = maskedByte(networkOffset(s, -2), 0x01, 0x00);
  else if (s.framing === 'ethernet') p = linkType(s, ETHERTYPE.MPLS);
  else if (s.framing === 'ppp') p = equals(s.offLinkType!, 2, PPP_MPLS_UNICAST);
  else throw compileError(s, node.range, 'no MPLS support for raw IP');
  if (label !== undefined) {
    if (label > MAX_MPLS_LABEL) throw compileError(s, node.argument!.range, `MPLS label ${label} greater than maximum ${MAX_MPLS_LABEL}`);
    p = and(p, test([...load(networkOffset(s), 4), stmt(BPF_ALU | BPF_AND, MPLS_LABEL_MASK)], BPF_JEQ, (label << MPLS_LABEL_SHIFT) >>> 0));
  }
  s.offNetwork += 4;
  s.offNetworkNoSnap += 4;
  s.mplsDepth++;
  return p;
}

/** `pppoed`: a PPPoE discovery frame (on any link layer, as libpcap allows: never on raw IP, inside PPP by its type). */
export function pppoed(s: CodegenState, node: KeywordNode): Predicate {
  return linkType(s, ETHERTYPE.PPPOED, node.range);
}

/** `pppoes [SESSION]`: a PPPoE session frame; then the link layer is PPP, after the PPPoE header. */
export function pppoes(s: CodegenState, node: KeywordNode): Predicate {
  const session = argumentOf(node);
  let p = linkType(s, ETHERTYPE.PPPOES, node.range);
  if (session !== undefined) {
    if (session > MAX_PPPOE_SESSION) throw compileError(s, node.argument!.range, `PPPoE session number ${session} greater than maximum ${MAX_PPPOE_SESSION}`);
    p = and(p, equals(networkOffset(s, 2), 2, session));
  }
  // libpcap's PUSH_LINKHDR to PPP: the PPP header follows the PPPoE one; no LLC inside.
  const header = networkOffset(s, PPPOE_HEADER_LENGTH);
  s.framing = 'ppp';
  s.offLinkHeader = header;
  s.offLinkType = header;
  s.offLinkPayload = plus(header, PPP_PROTOCOL_LENGTH);
  s.offNetwork = 0;
  s.offNetworkNoSnap = 0;
  s.afterGeneve = false;
  return p;
}

/**
 * `llc [TYPE]`: 802.3 frames carrying an IEEE 802.2 LLC header (libpcap's gen_llc and its subtypes), on
 * Ethernet. The type field is a length and the first two payload bytes are not 0xFFFF (which would be Novell's
 * raw 802.3 IPX). The TYPE names the frame format by its control field (IEEE 802.2 clause 5.4): `i`
 * (information: bit 0 clear), `s` (supervisory: low bits 01) with rr, rnr, rej, or `u` (unnumbered: low bits
 * 11) with ui, ua, disc, dm, sabme, test, xid, frmr — each compared under the mask that leaves out the
 * poll/final bit.
 */
import type { KeywordNode } from '../ast';
import { compileError } from '../compileError';
import { BPF_ALU, BPF_AND, BPF_JEQ, BPF_JSET, stmt } from '../instruction';
import { and, not, test, type Predicate } from '../predicate';
import { equals, isLlcFrame } from './link';
import { load, plus, type CodegenState } from './state';

/** The control field follows DSAP and SSAP. */
const CONTROL_OFFSET = 2;
const FORMAT_MASK = 0x03;
const FORMAT_S = 0x01;
const FORMAT_U = 0x03;
const S_COMMAND_MASK = 0x0f;
const U_COMMAND_MASK = 0xef;
const S_COMMANDS = new Map([['rr', 0x01], ['rnr', 0x05], ['rej', 0x09]]);
const U_COMMANDS = new Map([['ui', 0x03], ['ua', 0x63], ['disc', 0x43], ['dm', 0x0f], ['sabme', 0x6f], ['test', 0xe3], ['xid', 0xaf], ['frmr', 0x87]]);
const NOVELL_RAW = 0xffff;
const FRAMING_NAMES = { ppp: 'PPP', raw: 'Raw IP' } as const;

export function llc(s: CodegenState, node: KeywordNode): Predicate {
  if (s.framing !== 'ethernet') throw compileError(s, node.range, `'llc' not supported for ${FRAMING_NAMES[s.framing]}`);
  const isLlc = and(isLlcFrame(s), not(equals(s.offLinkPayload, 2, NOVELL_RAW)));
  const name = node.argument?.text.toLowerCase();
  if (name === undefined) return isLlc;
  const control = load(plus(s.offLinkPayload, CONTROL_OFFSET), 1);
  const masked = (mask: number, value: number): Predicate => test([...control, stmt(BPF_ALU | BPF_AND, mask)], BPF_JEQ, value);
  let format: Predicate;
  if (name === 'i') format = not(test(control, BPF_JSET, 0x01));
  else if (name === 's') format = masked(FORMAT_MASK, FORMAT_S);
  else if (name === 'u') format = masked(FORMAT_MASK, FORMAT_U);
  else if (S_COMMANDS.has(name)) format = masked(S_COMMAND_MASK, S_COMMANDS.get(name)!);
  else if (U_COMMANDS.has(name)) format = masked(U_COMMAND_MASK, U_COMMANDS.get(name)!);
  else throw compileError(s, node.argument!.range, `unknown LLC type name "${node.argument!.text}"`, 'i, s, u or an LLC command name');
  return and(isLlc, format);
}

/**
 * `[ip|ip6] protochain N` (libpcap's gen_protochain): follows the chain of headers to the one numbered N.
 * For IPv6 it steps over hop-by-hop (0), destination options (60), routing (43) and fragment (44) headers
 * (RFC 8200 section 4: 8-byte units after the first 8) and AH (51); for IPv4 over AH only; it stops at N, at
 * "no next header" (59) or at anything else. The walk is a loop, emitted as libpcap emits it: a backward `ja`
 * the kernel would refuse but libpcap's interpreter (and labtel's) runs. libpcap computes the offset after an
 * AH header from its length alone, not adding the offset it was at; labtel does the same, to agree.
 */
import {
  BPF_ADD, BPF_ALU, BPF_B, BPF_IMM, BPF_IND, BPF_JA, BPF_JEQ, BPF_JMP, BPF_K, BPF_LD, BPF_LDX, BPF_MEM, BPF_MISC, BPF_MUL,
  BPF_ST, BPF_TAX, BPF_TXA, BPF_X, jump, stmt, type Instruction,
} from '../instruction';
import { and, or, test, type Predicate } from '../predicate';
import { IPPROTO } from './ip';
import { ETHERTYPE, linkType } from './link';
import { loadAbsolute, loadIpv4HeaderLength, networkOffset, type CodegenState } from './state';
import type { QualifiedNode } from '../ast';
import { compileError } from '../compileError';

const NO_NEXT_HEADER = 59;
const IPV6_EXTENSIONS = [0 /* hop-by-hop */, 60 /* destination options */, 43 /* routing */, IPPROTO.IPV6_FRAGMENT];
const IPV6_NEXT_HEADER = 6;
const IPV4_PROTOCOL = 9;
const IPV6_HEADER_LENGTH = 40;

/** An instruction list with symbolic jump targets, resolved to relative offsets once laid out. */
class Block {
  readonly insns: Array<Instruction | { code: number; k: number; t: string; f: string } | { ja: string }> = [];
  readonly labels = new Map<string, number>();

  label(name: string): void {
    this.labels.set(name, this.insns.length);
  }

  emit(...is: Instruction[]): void {
    this.insns.push(...is);
  }

  jeq(k: number, t: string, f: string): void {
    this.insns.push({ code: BPF_JMP | BPF_JEQ | BPF_K, k, t, f });
  }

  ja(to: string): void {
    this.insns.push({ ja: to });
  }

  /** The instructions; the label 'done' is the end of the block (where the final test follows). */
  resolve(): Instruction[] {
    this.labels.set('done', this.insns.length);
    const at = (name: string): number => this.labels.get(name)!;
    return this.insns.map((i, n) => {
      if ('ja' in i) return stmt(BPF_JMP | BPF_JA, (at(i.ja) - n - 1) >>> 0);
      if ('t' in i) return jump(i.code, i.k, at(i.t) - n - 1, at(i.f) - n - 1);
      return i;
    });
  }
}

/** Steps over an AH header at X (RFC 4302 section 2.2: length in 4-byte units, minus 2), libpcap's way. */
function ahStep(b: Block, net: number, register: number): void {
  b.label('ah');
  b.emit(
    stmt(BPF_MISC | BPF_TXA, 0), stmt(BPF_LD | BPF_B | BPF_IND, net), stmt(BPF_ST, register),
    stmt(BPF_MISC | BPF_TXA, 0), stmt(BPF_ALU | BPF_ADD | BPF_K, 1), stmt(BPF_MISC | BPF_TAX, 0),
    stmt(BPF_LD | BPF_B | BPF_IND, net), stmt(BPF_ALU | BPF_ADD | BPF_K, 2), stmt(BPF_ALU | BPF_MUL | BPF_K, 4),
    stmt(BPF_MISC | BPF_TAX, 0), stmt(BPF_LD | BPF_MEM, register),
  );
  b.ja('loop');
}

function ipv6Chain(s: CodegenState, protocol: number, register: number): Predicate {
  const net = networkOffset(s).k;
  const b = new Block();
  b.emit(loadAbsolute(net + IPV6_NEXT_HEADER, 1), stmt(BPF_LDX | BPF_IMM, IPV6_HEADER_LENGTH));
  b.label('loop');
  b.jeq(protocol, 'done', 'no-next');
  b.label('no-next');
  b.jeq(NO_NEXT_HEADER, 'done', 'ext0');
  IPV6_EXTENSIONS.forEach((h, i) => {
    b.label(`ext${i}`);
    b.jeq(h, 'extension', i + 1 < IPV6_EXTENSIONS.length ? `ext${i + 1}` : 'ah-check');
  });
  b.label('extension');
  // Next header at X, length at X+1 in 8-byte units not counting the first 8.
  b.emit(
    stmt(BPF_LD | BPF_B | BPF_IND, net), stmt(BPF_ST, register), stmt(BPF_LD | BPF_B | BPF_IND, net + 1),
    stmt(BPF_ALU | BPF_ADD | BPF_K, 1), stmt(BPF_ALU | BPF_MUL | BPF_K, 8), stmt(BPF_ALU | BPF_ADD | BPF_X, 0),
    stmt(BPF_MISC | BPF_TAX, 0), stmt(BPF_LD | BPF_MEM, register),
  );
  b.ja('loop');
  b.label('ah-check');
  b.jeq(IPPROTO.AH, 'ah', 'done');
  ahStep(b, net, register);
  return and(linkType(s, ETHERTYPE.IPV6), test(b.resolve(), BPF_JEQ, protocol));
}

function ipv4Chain(s: CodegenState, protocol: number, register: number): Predicate {
  const net = networkOffset(s).k;
  const b = new Block();
  b.emit(loadAbsolute(net + IPV4_PROTOCOL, 1), ...loadIpv4HeaderLength(s));
  b.label('loop');
  b.jeq(protocol, 'done', 'no-next');
  b.label('no-next');
  b.jeq(NO_NEXT_HEADER, 'done', 'ah-check');
  b.label('ah-check');
  b.jeq(IPPROTO.AH, 'ah', 'done');
  ahStep(b, net, register);
  return and(linkType(s, ETHERTYPE.IP), test(b.resolve(), BPF_JEQ, protocol));
}

/** The scratch register the walk parks the next header in, when no later `geneve` takes libpcap's for it. */
const STEP_REGISTER = 0;

/**
 * `protochain N` with its protocol qualifier: ip, ip6, or (none) either. `node` is the primitive, for the
 * register plan: when a later `geneve` takes the register libpcap's walk used, the walk stores into labtel's
 * register for that Geneve offset instead (libpcapRegisters.ts), leaving there what libpcap's leaves.
 */
export function protochain(s: CodegenState, proto: string | undefined, protocol: number, node: QualifiedNode): Predicate {
  const range = node.range;
  const planned = s.libpcapRegisters.protochainRegisters.get(node) ?? {};
  const ipv4 = (): Predicate => ipv4Chain(s, protocol, planned.ip ?? STEP_REGISTER);
  const ipv6 = (): Predicate => ipv6Chain(s, protocol, planned.ip6 ?? STEP_REGISTER);
  // The walk keeps its offset in X, which a variable offset (after Geneve) would need too.
  if (s.offLinkPayload.reg !== undefined) throw compileError(s, range, "'protochain' not supported with variable length headers");
  // libpcap does not optimise a program with protochain's loop in it, so never finds it rejects all packets.
  s.libpcapOptimises = false;
  if (proto === 'ip') return ipv4();
  if (proto === 'ip6') return ipv6();
  return or(ipv4(), ipv6());
}

/**
 * The viewer's filter box on labtel's own pcap-filter core (src/bpf): the expression is compiled to classic
 * BPF with libpcap's semantics for the capture's link type, and the program runs on each frame as the kernel
 * would (the frame's captured bytes, its length on the wire). A bad expression is the compiler's own error,
 * with its range in the expression. Runs in the indexer's worker; no vscode here.
 */
import type { LinkType, Program } from '../../bpf';
import { bpfCore } from '../bpf/bpfCore';
import type { UntestedLinkType } from '../../shared/captureMessages';

/** A bad expression: the compiler's message (`LINE:COLUMN: reason`) and the range at fault (0-based, end exclusive). */
export class PacketFilterError extends Error {
  override readonly name = 'PacketFilterError';
  constructor(message: string, readonly position: number, readonly end: number) {
    super(message);
  }
}


/**
 * A compiled filter: does this frame match? The program is compiled for the link type it was made for; a
 * frame of another link type (a pcapng may mix interfaces) gets a program of its own, compiled when first
 * met. A frame whose link type the compiler has no program for does not match, and is counted (untested).
 */
export class PacketFilter {
  private readonly programs = new Map<number, Program | string>();
  private readonly untestedFrames = new Map<number, number>();

  private constructor(readonly expression: string, linkType: number, program: Program) {
    this.programs.set(linkType, program);
  }

  /** Compiles `expression` for a capture whose (first) link type is `linkType`; throws PacketFilterError. */
  static compile(expression: string, linkType: number): PacketFilter {
    const target = bpfCore().linkTypeOfCapture(linkType);
    if (target === undefined) throw new PacketFilterError(unsupported(linkType), 0, expression.length);
    return new PacketFilter(expression, linkType, compileFor(expression, target));
  }

  test(frame: Uint8Array, wireLength: number, linkType: number): boolean {
    let program = this.programs.get(linkType);
    if (program === undefined) {
      program = this.programFor(linkType);
      this.programs.set(linkType, program);
    }
    if (typeof program === 'string') {
      this.untestedFrames.set(linkType, (this.untestedFrames.get(linkType) ?? 0) + 1);
      return false;
    }
    return bpfCore().accepts(program, frame, wireLength);
  }

  /** The link types met that have no program, with how many frames each. */
  untested(): UntestedLinkType[] {
    return [...this.untestedFrames].map(([linkType, frames]) => ({ linkType, frames, reason: this.programs.get(linkType) as string }));
  }

  private programFor(linkType: number): Program | string {
    const target = bpfCore().linkTypeOfCapture(linkType);
    if (target === undefined) return unsupported(linkType);
    try {
      return compileFor(this.expression, target);
    } catch (e) {
      if (e instanceof PacketFilterError) return `for link type ${linkType}: ${e.message}`;
      throw e;
    }
  }
}

function unsupported(linkType: number): string {
  return `link type ${linkType} has no pcap-filter program: labtel compiles for Ethernet (1) and raw IP (101)`;
}

function compileFor(expression: string, linkType: LinkType): Program {
  try {
    return bpfCore().compile(expression, { linkType });
  } catch (e) {
    // CompileError extends ParseError: both carry the range of the primitive at fault.
    if (e instanceof bpfCore().ParseError) throw new PacketFilterError(e.message, e.start, Math.max(e.end, e.start));
    throw e;
  }
}

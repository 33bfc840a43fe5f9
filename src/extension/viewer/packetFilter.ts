/**
 * The seam where the viewer's filter box meets a pcap-filter implementation. labtel's compiler and
 * interpreter (src/bpf, issue #15) are being built on another branch; when they land, `compilePacketFilter`
 * returns a factory over them (compile the expression, run the program on each frame) and the filter box
 * turns on. Until then there is none: the viewer says so rather than filter with something that is not
 * pcap-filter.
 */

/** A compiled filter: does this frame match? (classic BPF sees the frame, its length on the wire, its link type). */
export interface PacketFilter {
  test(frame: Uint8Array, wireLength: number, linkType: number): boolean;
}

/** A bad expression: what is wrong and at which character (0-based) of the expression. */
export class PacketFilterError extends Error {
  override readonly name = 'PacketFilterError';
  constructor(message: string, readonly position: number) {
    super(message);
  }
}

/** Compiles an expression for a link type; throws PacketFilterError for an expression it cannot compile. */
export type PacketFilterFactory = (expression: string, linkType: number) => PacketFilter;

/** The pcap-filter implementation the viewer filters with, or undefined while the build has none. */
export const compilePacketFilter: PacketFilterFactory | undefined = undefined;

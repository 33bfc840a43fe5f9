/**
 * Which frames of a capture an expression accepts, as `tcpdump -r FILE EXPR` would pick them: the expression is
 * compiled once per link type the capture holds (a pcapng file may mix Ethernet and raw IP interfaces), and each
 * frame is judged on its captured bytes and its length on the wire.
 */
import { compile, linkTypeOfCapture, type LinkType } from './compiler';
import type { Program } from './instruction';
import { accepts } from './interpreter';

/** What is needed of a captured frame (src/protocols' CapturedPacket has these fields). */
export interface Frame {
  readonly data: Uint8Array;
  readonly originalLength: number;
  readonly linkType: number;
}

export interface CaptureMatches {
  /** Frames read. */
  packets: number;
  /** The 1-based numbers of the frames the expression accepts. */
  matches: number[];
}

/** A frame whose link type the compiler has no program for. */
export class UnsupportedLinkTypeError extends Error {
  override readonly name = 'UnsupportedLinkTypeError';
  constructor(readonly frame: number, readonly linkType: number) {
    super(`frame ${frame} has link type ${linkType}; labtel compiles filters for Ethernet (1) and raw IP (101)`);
  }
}

/**
 * Runs the expression over the frames. Throws ParseError/CompileError before the first frame is read (compiled
 * for Ethernet up front), UnsupportedLinkTypeError on a frame of another link type.
 */
export async function captureMatches(expression: string, frames: Iterable<Frame> | AsyncIterable<Frame>): Promise<CaptureMatches> {
  const programs = new Map<LinkType, Program>([['en10mb', compile(expression, { linkType: 'en10mb' })]]);
  const matches: number[] = [];
  let packets = 0;
  for await (const f of frames) {
    packets++;
    const linkType = linkTypeOfCapture(f.linkType);
    if (linkType === undefined) throw new UnsupportedLinkTypeError(packets, f.linkType);
    let program = programs.get(linkType);
    if (!program) programs.set(linkType, (program = compile(expression, { linkType })));
    if (accepts(program, f.data, f.originalLength)) matches.push(packets);
  }
  return { packets, matches };
}

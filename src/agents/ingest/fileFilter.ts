/**
 * The capture filter for frames read from a file: libpcap applies --filter on the wire; for a file labtel
 * compiles the same expression with its own compiler and runs it on each frame, per the frame's link type.
 * A bad expression is a FlagError naming the position (`--filter: 1:6: expected a host address …`).
 */
import { accepts, compile, linkTypeOfCapture, ParseError, type LinkType, type Program } from '../../bpf';
import type { CapturedPacket } from '../../protocols/capture';
import { FlagError } from '../runtime/flags';

export function fileFilter(expression: string): (pkt: CapturedPacket) => boolean {
  const programs = new Map<LinkType, Program>();
  const programFor = (linkType: LinkType): Program => {
    let p = programs.get(linkType);
    if (!p) {
      try {
        p = compile(expression, { linkType });
      } catch (e) {
        if (e instanceof ParseError) throw new FlagError(`--filter "${expression}": ${e.message}`);
        throw e;
      }
      programs.set(linkType, p);
    }
    return p;
  };
  // Compile for Ethernet now, so a mistake is reported before the file is read.
  programFor('en10mb');
  return (pkt) => {
    const linkType = linkTypeOfCapture(pkt.linkType);
    // Frames of other link types (Linux cooked, loopback …) are not filtered: labtel compiles for Ethernet and raw IP.
    return linkType === undefined || accepts(programFor(linkType), pkt.data, pkt.originalLength);
  };
}

import { SegmentType, type Aggregator, type AsPathSegment, type PathAttributes } from './attributes';
import { AS_TRANS } from './open';

/** Path length as RFC 4271 §9.1.2.2 counts it: an AS_SET counts 1, confederation segments 0 (RFC 5065 §5.3). */
export function asPathLength(path: readonly AsPathSegment[]): number {
  let n = 0;
  for (const s of path) {
    if (s.type === SegmentType.AsSequence) n += s.asns.length;
    else if (s.type === SegmentType.AsSet) n += 1;
  }
  return n;
}

/**
 * The real AS path and aggregator of a route learned over a 2-octet session (RFC 6793 §4.2.3): AS4_PATH
 * supplies the 4-octet ASNs, prefixed by as many leading ASNs of AS_PATH as it lacks. AS4_PATH is
 * ignored when it is longer than AS_PATH, and both AS4 attributes when AGGREGATOR names a real 2-octet
 * AS (the route was aggregated by a speaker that did not know them). On a 4-octet session the
 * attributes are used as they came.
 */
export function reconstructAs4(a: PathAttributes): { asPath: AsPathSegment[] | undefined; aggregator: Aggregator | undefined } {
  const asPath = a.asPath;
  if (a.aggregator && a.aggregator.asn !== AS_TRANS) return { asPath, aggregator: a.aggregator };
  const aggregator = a.aggregator && a.as4Aggregator ? a.as4Aggregator : a.aggregator;
  const as4 = a.as4Path?.filter((s) => s.type === SegmentType.AsSequence || s.type === SegmentType.AsSet);
  if (!asPath || !as4) return { asPath, aggregator };
  let need = asPathLength(asPath) - asPathLength(as4);
  if (need < 0) return { asPath, aggregator };
  const out: AsPathSegment[] = [];
  for (const s of asPath) {
    if (need <= 0) break;
    if (s.type === SegmentType.AsSequence) {
      const take = Math.min(need, s.asns.length);
      out.push({ type: s.type, asns: s.asns.slice(0, take) });
      need -= take;
    } else {
      out.push({ type: s.type, asns: [...s.asns] });
      if (s.type === SegmentType.AsSet) need -= 1;
    }
  }
  for (const s of as4) {
    const last = out[out.length - 1];
    // Adjacent sequences are one sequence.
    if (last && last.type === SegmentType.AsSequence && s.type === SegmentType.AsSequence) last.asns.push(...s.asns);
    else out.push({ type: s.type, asns: [...s.asns] });
  }
  return { asPath: out, aggregator };
}

/**
 * The Flows filter box: words that must all match. A bare word matches any column's text; `field:value`
 * matches one field — src, dst, host (either address), port (either port), sport, dport, proto (name or
 * number), node, agent, in, out. Values are compared case-insensitively, addresses and names by substring,
 * numbers exactly.
 */
import type { FlowRow } from '../../src/shared/webviewMessages';
import { ipProtocolName } from '../../src/shared/format';

export type RowFilter = (row: FlowRow) => boolean;

const has = (v: string | undefined, needle: string) => v !== undefined && v.toLowerCase().includes(needle);
const num = (v: number | undefined, n: number) => v === n;

const FIELDS: Readonly<Record<string, (needle: string, n: number) => RowFilter>> = {
  src: (s) => (r) => has(r.src, s),
  dst: (s) => (r) => has(r.dst, s),
  host: (s) => (r) => has(r.src, s) || has(r.dst, s),
  port: (_, n) => (r) => num(r.srcPort, n) || num(r.dstPort, n),
  sport: (_, n) => (r) => num(r.srcPort, n),
  dport: (_, n) => (r) => num(r.dstPort, n),
  proto: (s, n) => (r) => (Number.isInteger(n) ? num(r.protocol, n) : ipProtocolName(r.protocol).toLowerCase() === s),
  node: (s) => (r) => has(r.node, s),
  agent: (s) => (r) => has(r.agentAddress, s),
  in: (_, n) => (r) => r.inputInterface === n,
  out: (_, n) => (r) => r.outputInterface === n,
};
const NUMERIC = new Set(['port', 'sport', 'dport', 'in', 'out']);

function anyColumn(s: string): RowFilter {
  return (r) => has(r.src, s) || has(r.dst, s) || has(r.node, s) || has(r.agentAddress, s)
    || ipProtocolName(r.protocol).toLowerCase() === s || String(r.srcPort) === s || String(r.dstPort) === s;
}

/** The filter for the text, undefined for no filter, or a sentence saying which word is wrong. */
export function compileFilter(text: string): RowFilter | undefined | string {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const tests: RowFilter[] = [];
  for (const w of words) {
    const colon = w.indexOf(':');
    const key = colon > 0 ? w.slice(0, colon) : '';
    // An IPv6 address has colons too: only a known field name before the first one makes a field filter.
    if (key && FIELDS[key]) {
      const value = w.slice(colon + 1);
      if (!value) return `"${w}": a value is missing after "${key}:"`;
      const n = Number(value);
      if (NUMERIC.has(key) && !Number.isInteger(n)) return `"${w}": ${key} takes a number`;
      tests.push(FIELDS[key](value, n));
    } else {
      tests.push(anyColumn(w));
    }
  }
  return (r) => tests.every((t) => t(r));
}

/**
 * Payload metric lines, the text in ProbeReply.payload that Cloudprober turns into metrics
 * (metrics/payload/line_metrics.go in github.com/cloudprober/cloudprober): one metric per line,
 *
 *     name value
 *     name{key=value,key2="quoted value"} value
 *
 * Label keys are [A-Za-z0-9_]. An unquoted label value may only be [A-Za-z0-9_] too: current
 * Cloudprober rejects the line otherwise, so the book's `bgp_ping_rtt_ms{device=host-1} 12` (a
 * hyphen) is dropped by it. Older Cloudprober (google/cloudprober, metrics/payload/payload.go)
 * split on "," and "=" and unquoted with strconv.Unquote, so it took that line. The formatter
 * here quotes a value exactly when it is not [A-Za-z0-9_]+, which both versions read back as the
 * same label value. Names "success", "total" and "latency" clash with Cloudprober's own metrics.
 */
import { DecodeError } from '../decodeError';

export type MetricLabels = ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>;

export interface PayloadMetric {
  name: string;
  labels: [string, string][];
  /** The value text, as Cloudprober takes it (a float for the lines labtel writes). */
  value: string;
}

const WORD = /^[A-Za-z0-9_]+$/;
const METRIC_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const RESERVED = new Set(['success', 'total', 'latency']);

function labelValue(v: string): string {
  if (/[\r\n]/.test(v)) throw new RangeError(`label value ${JSON.stringify(v)} has a line break: the payload is split into lines`);
  return WORD.test(v) ? v : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** One payload line: `name{k=v,...} value`, label values quoted only when they must be. */
export function formatMetricLine(name: string, labels: MetricLabels, value: number): string {
  if (!METRIC_NAME.test(name)) throw new RangeError(`metric name ${JSON.stringify(name)} is not [A-Za-z_:][A-Za-z0-9_:]*`);
  if (RESERVED.has(name)) throw new RangeError(`metric name ${name} clashes with Cloudprober's own success/total/latency`);
  if (!Number.isFinite(value)) throw new RangeError(`metric value must be finite, got ${value}`);
  const pairs = Array.isArray(labels) ? (labels as ReadonlyArray<readonly [string, string]>) : Object.entries(labels);
  for (const [k] of pairs) if (!WORD.test(k)) throw new RangeError(`label key ${JSON.stringify(k)} is not [A-Za-z0-9_]+`);
  const body = pairs.map(([k, v]) => `${k}=${labelValue(v)}`).join(',');
  return `${name}${body ? `{${body}}` : ''} ${value}`;
}

/** The book's metric line for one RTT: `bgp_ping_rtt_ms{device=<responder>} <ms>`. */
export function formatRttLine(responder: string, rttMs: number): string {
  return formatMetricLine('bgp_ping_rtt_ms', [['device', responder]], rttMs);
}

/**
 * Parses one payload line by current Cloudprober's rules (what it would accept and what it would
 * make of it); throws DecodeError with the character offset when Cloudprober would drop the line.
 */
export function parsePayloadLine(text: string): PayloadMetric {
  const what = 'cloudprober.payload';
  const line = text.trim();
  const lead = text.indexOf(line);
  const ob = line.indexOf('{');
  let name: string;
  let value: string;
  const labels: [string, string][] = [];
  if (ob === -1 || ob === line.length - 1) {
    const sp = line.indexOf(' ');
    if (sp < 0) throw new DecodeError(what, lead, 'no space between name and value');
    name = line.slice(0, sp);
    value = line.slice(sp + 1).trim();
  } else {
    name = line.slice(0, ob);
    const rest = line.slice(ob + 1);
    const eb = rest.indexOf('}');
    if (eb === -1 || eb === rest.length - 1) throw new DecodeError(what, lead + ob, 'no closing brace before the value');
    let s = rest.slice(0, eb).trim();
    const at = lead + ob + 1; // errors in labels point at the start of the label list
    while (s.length > 0) {
      // key: [A-Za-z0-9_]+ up to "="
      s = s.replace(/^ +/, '');
      const eq = s.indexOf('=');
      if (eq < 0) throw new DecodeError(what, at, `label ${JSON.stringify(s)} has no "="`);
      const key = s.slice(0, eq);
      if (!WORD.test(key)) throw new DecodeError(what, at, `label key ${JSON.stringify(key)} is not [A-Za-z0-9_]+`);
      s = s.slice(eq + 1).trim();
      let v: string;
      if (s.startsWith('"')) {
        let i = 1;
        for (; i < s.length; i++) {
          if (s[i] === '\\') { i++; continue; }
          if (s[i] === '"') break;
        }
        if (i >= s.length) throw new DecodeError(what, at, 'label value has no closing quote');
        v = s.slice(1, i); // Cloudprober keeps escapes as written
        s = s.slice(i + 1);
      } else {
        const comma = s.indexOf(',');
        v = comma < 0 ? s : s.slice(0, comma);
        if (v.length > 0 && !WORD.test(v)) throw new DecodeError(what, at, `unquoted label value ${JSON.stringify(v)} is not [A-Za-z0-9_]+`);
        s = comma < 0 ? '' : s.slice(comma);
      }
      if (s.length > 0) {
        if (s[0] !== ',') throw new DecodeError(what, at, `label value is not followed by "," or the end: ${JSON.stringify(s)}`);
        s = s.slice(1);
      }
      labels.push([key, v]);
    }
    value = rest.slice(eb + 1).trim();
  }
  if (RESERVED.has(name)) throw new DecodeError(what, lead, `metric name ${name} clashes with Cloudprober's own metrics`);
  if (value.length === 0) throw new DecodeError(what, lead + line.length, 'no value');
  return { name, labels, value };
}

/** Every metric line of a payload (blank lines skipped), each parsed as Cloudprober would. */
export function parsePayload(payload: string): PayloadMetric[] {
  return payload.split('\n').filter((l) => l.trim().length > 0).map(parsePayloadLine);
}

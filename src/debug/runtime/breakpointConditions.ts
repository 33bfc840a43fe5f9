/**
 * The JavaScript condition a DAP breakpoint becomes on Debugger.setBreakpointByUrl, and its hit
 * count test. Logpoints never pause: their condition writes the message to the inspector's own
 * console (node:inspector's `console`, which reaches the debugger and not the agent's stdout, where
 * the NDJSON events go) and is false.
 */

/** The first argument of a logpoint's console call: how the adapter tells it from the agent's own logging. */
export const LOGPOINT_MARK = '\u200blabtel-logpoint';

/** A logpoint message "flow {flow.srcAddr} → {flow.dstAddr}" as a JavaScript template literal. */
export function logMessageExpression(message: string): string {
  let out = '`';
  let i = 0;
  while (i < message.length) {
    const c = message[i]!;
    if (c === '{') {
      const end = matchingBrace(message, i);
      if (end < 0) { out += escapeTemplate(message.slice(i)); break; }
      out += `\${${message.slice(i + 1, end)}}`;
      i = end + 1;
      continue;
    }
    out += escapeTemplate(c);
    i++;
  }
  return `${out}\``;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '{') depth++;
    else if (text[k] === '}' && --depth === 0) return k;
  }
  return -1;
}

function escapeTemplate(text: string): string {
  return text.replace(/[\\`$]/g, (c) => `\\${c}`);
}

/** The CDP condition for a breakpoint: its own condition and, for a logpoint, the log call (then false). */
export function cdpCondition(bp: { condition?: string; logMessage?: string }): string | undefined {
  const condition = bp.condition?.trim() ? bp.condition.trim() : undefined;
  if (bp.logMessage === undefined) return condition;
  const log = `(() => { try { const c = (globalThis.process && process.getBuiltinModule ? process.getBuiltinModule('node:inspector') : require('inspector')).console; c.log(${JSON.stringify(LOGPOINT_MARK)}, ${logMessageExpression(bp.logMessage)}); } catch (e) { console.error('logpoint: ' + e); } return false; })()`;
  return condition ? `(${condition}) && ${log}` : log;
}

/** A hit count test: "5" or "==5" (the 5th time), ">5", ">=5", "<5", "<=5", "%5" (every 5th). */
export type HitTest = (hits: number) => boolean;

export class HitConditionError extends Error {
  override readonly name = 'HitConditionError';
}

export function parseHitCondition(text: string): HitTest {
  const m = /^\s*(==|=|>=|>|<=|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) throw new HitConditionError(`hit count "${text}" is not one of N, ==N, >N, >=N, <N, <=N, %N`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>': return (h) => h > n;
    case '>=': return (h) => h >= n;
    case '<': return (h) => h < n;
    case '<=': return (h) => h <= n;
    case '%': return (h) => n > 0 && h % n === 0;
    default: return (h) => h === n;
  }
}

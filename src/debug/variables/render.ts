import type { Protocol } from 'devtools-protocol';

/**
 * How a value from the inspector (a CDP RemoteObject) reads in the Variables view, a hover or the
 * Debug Console: pure functions, so the rendering is tested without an inspector.
 */

/** Bytes shown in a byte array's one-line preview. */
export const HEX_PREVIEW_BYTES = 16;
/** Bytes per row when a byte array is expanded, as a hex dump shows them. */
export const HEX_ROW_BYTES = 16;
/** Bytes fetched from the agent for an expanded byte array; a longer one ends with a row saying how many more. */
export const HEX_MAX_BYTES = 4096;
const MAX_STRING_SHOWN = 1000;

/** True for a value whose elements are bytes: Buffer, Uint8Array, Uint8ClampedArray. */
export function isByteArray(o: Protocol.Runtime.RemoteObject): boolean {
  return o.type === 'object' && o.subtype === 'typedarray' && /^(Buffer|Uint8Array|Uint8ClampedArray)\b/.test(o.className ?? o.description ?? '');
}

/** The number of elements a description such as "Uint8Array(1500)" or "Map(3)" states. */
export function sizeOf(o: Protocol.Runtime.RemoteObject): number | undefined {
  const m = /\((\d+)\)/.exec(o.description ?? '');
  return m ? Number(m[1]) : undefined;
}

/** "00 1a 2b …" from a hex string of whole bytes. */
export function spacedHex(hex: string): string {
  return (hex.match(/../g) ?? []).join(' ');
}

/** A byte array's one-line value: its type and length, then its first bytes in hex. */
export function byteArrayValue(o: Protocol.Runtime.RemoteObject, firstBytesHex: string): string {
  const n = sizeOf(o);
  const more = n !== undefined && n * 2 > firstBytesHex.length ? ' …' : '';
  return `${o.className ?? 'Uint8Array'}(${n ?? '?'}) [${spacedHex(firstBytesHex)}${more}]`;
}

/**
 * A byte array's children: rows of HEX_ROW_BYTES bytes named by their offset in hex, as a hex dump;
 * `total` (the array's length) beyond the bytes given becomes one last row saying how many were left out.
 */
export function hexRows(hex: string, total: number): Array<{ name: string; value: string }> {
  const bytes = hex.length / 2;
  const width = Math.max(4, (Math.max(total, 1) - 1).toString(16).length);
  const rows: Array<{ name: string; value: string }> = [];
  for (let at = 0; at < bytes; at += HEX_ROW_BYTES) {
    rows.push({ name: at.toString(16).padStart(width, '0'), value: spacedHex(hex.slice(at * 2, Math.min(bytes, at + HEX_ROW_BYTES) * 2)) });
  }
  if (total > bytes) rows.push({ name: '…', value: `${total - bytes} more bytes` });
  return rows;
}

/** The one-line text of a value (what the Variables view shows right of the name). */
export function renderValue(o: Protocol.Runtime.RemoteObject): string {
  switch (o.type) {
    case 'undefined': return 'undefined';
    case 'string': {
      const s = String(o.value ?? '');
      return JSON.stringify(s.length > MAX_STRING_SHOWN ? `${s.slice(0, MAX_STRING_SHOWN)}…` : s);
    }
    case 'number':
    case 'boolean':
      // -0, NaN and the infinities have no JSON value: CDP sends them as unserializableValue.
      return o.unserializableValue ?? o.description ?? String(o.value);
    case 'bigint': return o.unserializableValue ?? o.description ?? '';
    case 'symbol': return o.description ?? 'Symbol()';
    case 'function': return `ƒ ${functionName(o.description ?? '')}`;
    case 'object':
      if (o.subtype === 'null') return 'null';
      return o.description ?? o.className ?? 'Object';
    default: return o.description ?? String(o.value);
  }
}

/** The name and parameters of a function from its source text ("function f(a, b) {…" → "f(a, b)"). */
export function functionName(source: string): string {
  const head = source.split('\n', 1)[0]!;
  const m = /^(?:async\s+)?(?:function\s*\*?\s*)?([\w$]*)\s*(\([^)]*\))/.exec(head) ?? /^(?:class\s+)([\w$]+)/.exec(head);
  if (m) return `${m[1] ?? ''}${m[2] ?? ''}`;
  return head.length > 60 ? `${head.slice(0, 60)}…` : head;
}

/** True when a value has children to expand (objects, but not null). */
export function hasChildren(o: Protocol.Runtime.RemoteObject): boolean {
  return o.type === 'object' && o.subtype !== 'null' && o.objectId !== undefined;
}

/** DAP's presentation hint kind for a value. */
export function presentationKind(o: Protocol.Runtime.RemoteObject): 'method' | 'class' | 'data' {
  if (o.type === 'function') return /^class\b/.test(o.description ?? '') ? 'class' : 'method';
  return 'data';
}

/** The Variables view's name for a scope from Debugger.paused's scope chain. */
export function scopeName(scope: Protocol.Debugger.Scope): string {
  const kind = { local: 'Local', closure: 'Closure', block: 'Block', global: 'Global', catch: 'Catch', with: 'With', script: 'Script', eval: 'Eval', module: 'Module', 'wasm-expression-stack': 'Wasm Stack' }[scope.type];
  return scope.name ? `${kind}: ${scope.name}` : kind;
}

/** Sort order for children: array indices numerically first, then names as the object holds them. */
export function compareNames(a: string, b: string): number {
  const ia = /^\d+$/.test(a) ? Number(a) : undefined;
  const ib = /^\d+$/.test(b) ? Number(b) : undefined;
  if (ia !== undefined && ib !== undefined) return ia - ib;
  if (ia !== undefined) return -1;
  if (ib !== undefined) return 1;
  return 0;
}

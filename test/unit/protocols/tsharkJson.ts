/**
 * Reading tshark's `-T json --no-duplicate-keys` output for differential tests: each frame's protocols in
 * order (from frame.protocols, since repeated protocols are merged into one array under the first key),
 * and field lookup inside a protocol's object tree.
 */
import { spawnSync } from 'node:child_process';

export type TsharkTree = { [key: string]: TsharkValue };
export type TsharkValue = string | TsharkTree | TsharkValue[];

export interface TsharkFrame {
  /** The frame's protocols in order, e.g. ["eth", "ethertype", "ip", "gre", "ip", "icmp"]. */
  protocols: string[];
  layers: TsharkTree;
}

/** Runs tshark on a file (argv array, no shell) and returns its frames. */
export function tsharkFrames(file: string, extraArgs: string[] = []): TsharkFrame[] {
  const run = spawnSync('tshark', ['-r', file, '-T', 'json', '--no-duplicate-keys', ...extraArgs], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`tshark failed (${run.status}): ${run.stderr}`);
  const frames = JSON.parse(run.stdout) as Array<{ _source: { layers: TsharkTree } }>;
  return frames.map((f) => {
    const layers = f._source.layers;
    const frame = layers['frame'] as TsharkTree;
    return { protocols: String(frame['frame.protocols']).split(':'), layers };
  });
}

/** The object of the n-th occurrence (0-based) of a protocol among a frame's top-level layers. */
export function occurrence(layers: TsharkTree, protocol: string, n: number): TsharkTree | undefined {
  const value = layers[protocol];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value[n] as TsharkTree | undefined;
  return n === 0 ? (value as TsharkTree) : undefined;
}

/** Field names read by field() / allFields() while a recording runs (see recordingFields). */
let recorded: Set<string> | undefined;

/**
 * Runs `fn` and returns its result with the names of the tshark fields it read through field() and
 * allFields(): what a comparison compared, so a differential can list what tshark showed that it did not.
 */
export function recordingFields<T>(fn: () => T): { result: T; read: Set<string> } {
  const outer = recorded;
  const read = new Set<string>();
  recorded = read;
  try {
    return { result: fn(), read };
  } finally {
    recorded = outer;
    if (outer) for (const k of read) outer.add(k);
  }
}

/** First value of `key` in a protocol's tree, searched breadth-first (fields sit inside *_tree objects). */
export function field(tree: TsharkTree, key: string): string | undefined {
  recorded?.add(key);
  const queue: TsharkValue[] = [tree];
  while (queue.length) {
    const node = queue.shift()!;
    if (typeof node === 'string') continue;
    if (Array.isArray(node)) {
      queue.push(...node);
      continue;
    }
    const v = node[key];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
    // Not into nested protocols (an ICMP error's quoted packet): their fields are their own layers'.
    for (const [k, child] of Object.entries(node)) if (typeof child !== 'string' && !isProtocolKey(k)) queue.push(child);
  }
  return undefined;
}

/** Every string value of `key` anywhere in the tree. */
export function allFields(tree: TsharkValue, key: string, out: string[] = []): string[] {
  recorded?.add(key);
  if (typeof tree === 'string') return out;
  if (Array.isArray(tree)) {
    for (const t of tree) allFields(t, key, out);
    return out;
  }
  for (const [k, v] of Object.entries(tree)) {
    if (k === key) {
      if (typeof v === 'string') out.push(v);
      else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
    }
    if (typeof v !== 'string' && !isProtocolKey(k)) allFields(v, key, out);
  }
  return out;
}

/** A tshark number ("17", "0x0800") as a number; undefined stays undefined. */
export function num(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** Whether a tree key names a protocol (a nested dissection, e.g. "ip" inside "icmp") rather than a field. */
export function isProtocolKey(key: string): boolean {
  return !key.includes('.') && !key.includes(' ') && key !== 'Timestamps';
}

/**
 * Every field of a protocol's tree as [name, value] — descending into *_tree and text subtrees, not into
 * nested protocols (those are compared as layers of their own).
 */
export function leafFields(tree: TsharkTree, out: Array<[string, string]> = []): Array<[string, string]> {
  for (const [k, v] of Object.entries(tree)) {
    for (const x of Array.isArray(v) ? v : [v]) {
      if (typeof x === 'string') out.push([k, x]);
      else if (!Array.isArray(x) && !isProtocolKey(k)) leafFields(x, out);
    }
  }
  return out;
}

import { statSync, readFileSync } from 'node:fs';
import { TraceMap } from '@jridgewell/trace-mapping';

/**
 * Parsed source maps kept for the life of the process, by file, size and modification time: the
 * extension host runs one session after another (each F5, each restart), and a bundle's map takes
 * hundreds of milliseconds to parse and index. A rebuilt bundle has a new map, so a new entry.
 */
const cache = new Map<string, { key: string; map: TraceMap }>();
/** Bundles kept at most: the agents, and a few scripts of one's own. */
const MAX_MAPS = 8;

export function readTraceMap(mapFile: string, read: (file: string) => string = (f) => readFileSync(f, 'utf8')): TraceMap {
  const st = statSync(mapFile);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = cache.get(mapFile);
  if (hit?.key === key) return hit.map;
  const map = new TraceMap(read(mapFile), mapFile);
  cache.delete(mapFile);
  cache.set(mapFile, { key, map });
  if (cache.size > MAX_MAPS) cache.delete(cache.keys().next().value!);
  return map;
}

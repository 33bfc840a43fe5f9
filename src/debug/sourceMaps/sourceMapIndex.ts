import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allGeneratedPositionsFor, LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import type { PathMapper } from './pathMapper';

/** A place in generated code (a script the inspector runs): 0-based line and column, as CDP counts. */
export interface GeneratedLocation {
  /** The script's path in the node (as its URL names it). */
  readonly script: string;
  readonly line0: number;
  readonly column0: number;
}

/** A place in a source file of the workspace: 1-based line and column, as the editor counts. */
export interface SourceLocation {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/**
 * How far below a line with no code of its own (a comment, a blank line, a type) a breakpoint moves
 * to find some, as the editor's own debuggers do.
 */
const MAX_LINES_SEARCHED = 20;

/**
 * The source maps of the scripts an agent runs, both ways: a TypeScript line in the workspace to
 * the places in the bundles that run it (for Debugger.setBreakpointByUrl), and a paused location in
 * a bundle back to the TypeScript file and line (for the stack trace).
 */
export class SourceMapIndex {
  private readonly maps = new Map<string, TraceMap>();
  /** Local source path → the scripts whose maps name it, with the source as its map resolves it. */
  private readonly bySource = new Map<string, Array<{ script: string; source: string }>>();

  constructor(private readonly paths: PathMapper) {}

  /**
   * Registers `script`'s map (its JSON text, read from `mapFile` in the node). Returns the local
   * paths of the sources it names that were not known before.
   */
  add(script: string, mapText: string, mapFile: string): string[] {
    if (this.maps.has(script)) return [];
    return this.addMap(script, new TraceMap(mapText, mapFile));
  }

  /** Registers a parsed map (see traceMapCache.ts). */
  addMap(script: string, map: TraceMap): string[] {
    if (this.maps.has(script)) return [];
    this.maps.set(script, map);
    const added: string[] = [];
    map.resolvedSources.forEach((source) => {
      if (source === null || source === undefined) return;
      const local = this.paths.toLocal(source);
      const list = this.bySource.get(local) ?? [];
      if (!list.length) added.push(local);
      list.push({ script, source });
      this.bySource.set(local, list);
    });
    return added;
  }

  /**
   * Builds the map's indexes both ways now (decoding a bundle's mappings takes a while), so the first
   * breakpoint and the first stack trace do not wait for it.
   */
  prepare(script: string): void {
    const map = this.maps.get(script);
    const source = map?.resolvedSources.find((s) => s !== null && s !== undefined);
    if (!map || !source) return;
    allGeneratedPositionsFor(map, { source, line: 1, column: 0, bias: LEAST_UPPER_BOUND });
    originalPositionFor(map, { line: 1, column: 0 });
  }

  has(script: string): boolean {
    return this.maps.has(script);
  }

  /** The workspace's sources the maps name. */
  get sources(): string[] {
    return [...this.bySource.keys()];
  }

  /** True when some loaded map names this local source file. */
  knows(localPath: string): boolean {
    return this.bySource.has(path.normalize(localPath));
  }

  /**
   * The generated places of `line` (1-based) in a workspace source, each script's first; a line with
   * no code moves down to the next that has some (at most MAX_LINES_SEARCHED lines). `line` in the
   * result is the source line the breakpoint really sits on.
   */
  generatedFor(localPath: string, line: number): { line: number; locations: GeneratedLocation[] } | undefined {
    const entries = this.bySource.get(path.normalize(localPath));
    if (!entries) return undefined;
    for (let l = line; l < line + MAX_LINES_SEARCHED; l++) {
      const locations: GeneratedLocation[] = [];
      for (const { script, source } of entries) {
        const found = allGeneratedPositionsFor(this.maps.get(script)!, { source, line: l, column: 0, bias: LEAST_UPPER_BOUND });
        const first = found.sort((a, b) => a.line - b.line || a.column - b.column)[0];
        if (first) locations.push({ script, line0: first.line - 1, column0: first.column });
      }
      if (locations.length) return { line: l, locations };
    }
    return { line, locations: [] };
  }

  /** The workspace source location of a generated one, or undefined when its script has no map or the place none. */
  originalFor(script: string, line0: number, column0: number): SourceLocation | undefined {
    const map = this.maps.get(script);
    if (!map) return undefined;
    const o = originalPositionFor(map, { line: line0 + 1, column: column0 });
    if (o.source === null || o.line === null) return undefined;
    return { path: this.paths.toLocal(o.source), line: o.line, column: (o.column ?? 0) + 1 };
  }
}

/** A script's path from the URL the inspector reports (file:///… for CommonJS, or a bare path). */
export function scriptPathOf(url: string): string | undefined {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url.startsWith('/') ? url : undefined;
}

/** A regular expression for Debugger.setBreakpointByUrl that matches the script as a path or a file URL. */
export function scriptUrlRegex(script: string): string {
  const escaped = script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^(file://)?${escaped}$`;
}

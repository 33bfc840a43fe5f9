import path from 'node:path';
import type { CdpClient } from '../cdp/cdpClient';
import { scriptUrlRegex, type SourceMapIndex } from '../sourceMaps/sourceMapIndex';
import type { PathMapper } from '../sourceMaps/pathMapper';
import { cdpCondition, HitConditionError, parseHitCondition, type HitTest } from './breakpointConditions';

/** A breakpoint as the editor set it, and what became of it in the agent. */
export interface BreakpointState {
  readonly id: number;
  readonly path: string;
  readonly requestedLine: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  /** The source line it sits on (moved down from a line without code). */
  line: number;
  verified: boolean;
  message?: string;
  hitTest?: HitTest;
  hits: number;
  cdpIds: string[];
}

export interface BreakpointRequest {
  readonly line: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
}

/**
 * The editor's breakpoints, per source file, and their CDP breakpoints: a TypeScript line becomes
 * Debugger.setBreakpointByUrl on each bundle position its source maps give (by URL regex, so it
 * also binds in a script that loads later); a breakpoint in a source no map names yet stays
 * unverified and is set when a script whose map names it is parsed.
 */
export class Breakpoints {
  private nextId = 1;
  private readonly bySource = new Map<string, BreakpointState[]>();
  private readonly byCdpId = new Map<string, BreakpointState>();
  private cdp: CdpClient | undefined;

  constructor(private readonly maps: SourceMapIndex, private readonly paths: PathMapper, private readonly sourceMaps: boolean) {}

  /** Replaces the breakpoints of one source; returns their states, in the request's order. */
  async set(sourcePath: string, requests: readonly BreakpointRequest[]): Promise<BreakpointState[]> {
    const file = path.normalize(sourcePath);
    for (const old of this.bySource.get(file) ?? []) await this.unset(old);
    const states = requests.map((r): BreakpointState => {
      const s: BreakpointState = { id: this.nextId++, path: file, requestedLine: r.line, line: r.line, condition: r.condition, hitCondition: r.hitCondition, logMessage: r.logMessage, verified: false, hits: 0, cdpIds: [] };
      if (r.hitCondition?.trim()) {
        try {
          s.hitTest = parseHitCondition(r.hitCondition);
        } catch (err) {
          if (!(err instanceof HitConditionError)) throw err;
          s.message = err.message;
        }
      }
      return s;
    });
    this.bySource.set(file, states);
    if (this.cdp) for (const s of states) await this.resolve(s);
    else for (const s of states) s.message ??= 'set when the agent starts';
    return states;
  }

  /** Sets every breakpoint on a new inspector connection (the launch, and each restart). */
  async attach(cdp: CdpClient): Promise<void> {
    this.cdp = cdp;
    this.byCdpId.clear();
    for (const s of this.all()) {
      s.cdpIds = [];
      s.hits = 0;
      await this.resolve(s);
    }
  }

  detach(): void {
    this.cdp = undefined;
  }

  /**
   * After a script's map was added: the unverified breakpoints in the sources it named, now set.
   * Returns those whose state changed (for DAP breakpoint events).
   */
  async sourcesAdded(sources: readonly string[]): Promise<BreakpointState[]> {
    const changed: BreakpointState[] = [];
    for (const src of sources) {
      for (const s of this.bySource.get(path.normalize(src)) ?? []) {
        if (s.verified || s.cdpIds.length) continue;
        await this.resolve(s);
        if (s.verified) changed.push(s);
      }
    }
    return changed;
  }

  /** The breakpoint a CDP breakpoint id belongs to. */
  ofCdpId(id: string): BreakpointState | undefined {
    return this.byCdpId.get(id);
  }

  all(): BreakpointState[] {
    return [...this.bySource.values()].flat();
  }

  private async resolve(s: BreakpointState): Promise<void> {
    const cdp = this.cdp;
    if (!cdp || (s.hitCondition?.trim() && !s.hitTest)) return;
    const condition = cdpCondition(s);
    let targets: Array<{ script: string; line0: number; column0: number }>;
    if (this.sourceMaps && this.maps.knows(s.path)) {
      const g = this.maps.generatedFor(s.path, s.requestedLine)!;
      s.line = g.line;
      targets = g.locations;
      if (!targets.length) s.message = `no code on line ${s.requestedLine} of ${path.basename(s.path)} or the ${g.line - s.requestedLine} lines below`;
    } else if (/\.[cm]?js$/.test(s.path)) {
      targets = [{ script: this.paths.toRemote(s.path), line0: s.requestedLine - 1, column0: 0 }];
    } else {
      s.message = this.sourceMaps ? `${path.basename(s.path)} is in no source map of the scripts loaded so far` : `${path.basename(s.path)} is not JavaScript and source maps are off ("sourceMaps": false)`;
      return;
    }
    for (const t of targets) {
      const r = await cdp.send('Debugger.setBreakpointByUrl', { urlRegex: scriptUrlRegex(t.script), lineNumber: t.line0, columnNumber: t.column0, condition });
      s.cdpIds.push(r.breakpointId);
      this.byCdpId.set(r.breakpointId, s);
    }
    if (s.cdpIds.length) {
      s.verified = true;
      s.message = undefined;
    }
  }

  private async unset(s: BreakpointState): Promise<void> {
    for (const id of s.cdpIds) {
      this.byCdpId.delete(id);
      if (this.cdp?.isOpen) await this.cdp.send('Debugger.removeBreakpoint', { breakpointId: id }).catch(() => undefined);
    }
    s.cdpIds = [];
  }
}

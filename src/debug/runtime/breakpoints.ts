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

  /**
   * Replaces the breakpoints of one source; returns their states, in the request's order. Before the
   * inspector is connected they are placed by the source maps alone (verified when some code runs
   * them) and set when it is.
   */
  async set(sourcePath: string, requests: readonly BreakpointRequest[]): Promise<BreakpointState[]> {
    const file = path.normalize(sourcePath);
    const old = this.bySource.get(file) ?? [];
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
    for (const o of old) await this.unset(o);
    for (const s of states) await this.resolve(s);
    return states;
  }

  /** Sets every breakpoint on a new inspector connection (the launch, and each restart). */
  async attach(cdp: CdpClient): Promise<void> {
    this.cdp = cdp;
    this.byCdpId.clear();
    for (const s of this.all()) {
      s.cdpIds = [];
      s.hits = 0;
    }
    for (const s of this.all()) if (this.isCurrent(s)) await this.resolve(s);
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

  private isCurrent(s: BreakpointState): boolean {
    return this.bySource.get(s.path)?.includes(s) ?? false;
  }

  /** Where a breakpoint goes in the scripts, by the source maps (or as JavaScript); sets its line, verified state and message. */
  private locate(s: BreakpointState): Array<{ script: string; line0: number; column0: number }> {
    if (s.hitCondition?.trim() && !s.hitTest) return [];
    if (this.sourceMaps && this.maps.knows(s.path)) {
      const g = this.maps.generatedFor(s.path, s.requestedLine)!;
      s.line = g.line;
      if (!g.locations.length) s.message = `no code on line ${s.requestedLine} of ${path.basename(s.path)} or the ${g.line - s.requestedLine} lines below`;
      return g.locations;
    }
    if (/\.[cm]?js$/.test(s.path)) return [{ script: this.paths.toRemote(s.path), line0: s.requestedLine - 1, column0: 0 }];
    s.message = this.sourceMaps ? `${path.basename(s.path)} is in no source map of the scripts loaded so far` : `${path.basename(s.path)} is not JavaScript and source maps are off ("sourceMaps": false)`;
    return [];
  }

  private async resolve(s: BreakpointState): Promise<void> {
    const targets = this.locate(s);
    if (!targets.length) return;
    s.verified = true;
    s.message = undefined;
    const cdp = this.cdp;
    if (!cdp) return; // set when the inspector is connected (attach)
    const condition = cdpCondition(s);
    for (const t of targets) {
      const r = await cdp.send('Debugger.setBreakpointByUrl', { urlRegex: scriptUrlRegex(t.script), lineNumber: t.line0, columnNumber: t.column0, condition });
      s.cdpIds.push(r.breakpointId);
      this.byCdpId.set(r.breakpointId, s);
    }
    // Replaced by the editor while it was being set: take it out again.
    if (!this.isCurrent(s)) await this.unset(s);
  }

  private async unset(s: BreakpointState): Promise<void> {
    for (const id of s.cdpIds) {
      this.byCdpId.delete(id);
      if (this.cdp?.isOpen) await this.cdp.send('Debugger.removeBreakpoint', { breakpointId: id }).catch(() => undefined);
    }
    s.cdpIds = [];
  }
}

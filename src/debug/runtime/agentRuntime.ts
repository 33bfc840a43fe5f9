import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import type { Protocol } from 'devtools-protocol';
import type { Backend } from '../../lab/backend';
import { NOT_DEPLOYED_STATUS } from '../../lab/host/hostBackend';
import { CdpClient } from '../cdp/cdpClient';
import { RelayClient } from '../relay/relayClient';
import { RELAY_SCRIPT } from '../relay/relayScript';
import { PathMapper } from '../sourceMaps/pathMapper';
import { scriptPathOf, SourceMapIndex } from '../sourceMaps/sourceMapIndex';
import { readTraceMap } from '../sourceMaps/traceMapCache';
import { LOGPOINT_MARK } from './breakpointConditions';
import { withoutIpcChannel } from '../../lab/ipcChannel';
import { Breakpoints, type BreakpointState } from './breakpoints';
import { findInspectorUrl, isInspectorChatter, isWaitingForDisconnect } from './inspectorOutput';
import { sourceMapFileOf, type LaunchPlan } from './launchPlan';

/** How long an agent has to announce its inspector on stderr. */
export const INSPECTOR_WAIT_MS = 10_000;
/** The agent's own milliseconds after its first event-loop turn in which a start-up failure is still expected. */
const STARTUP_QUIET_MS = 200;
/** How long the CDP WebSocket handshake through the relay may take. */
const CONNECT_TIMEOUT_MS = 5_000;
/** SIGTERM, then this long for the agent to finish, then SIGKILL. */
export const TERMINATE_GRACE_MS = 3_000;
const STDERR_KEPT = 4096;
/** Steps taken at most to leave a source line (see stepGoesOn), so a tight loop on one line still stops. */
const MAX_STEP_REPEATS = 50;
/** The pause reason Node gives for --inspect-brk's stop before the main script's first line (not in the CDP enum). */
const BREAK_ON_START = 'Break on start';

export interface LoadedScript {
  readonly scriptId: string;
  readonly url: string;
  /** The script's path in the node, when it is a file. */
  readonly path: string | undefined;
}

export type StopReason = 'entry' | 'breakpoint' | 'step' | 'pause' | 'exception';

export interface RuntimeEvents {
  output: [category: 'stdout' | 'stderr' | 'console' | 'important', text: string, location?: { path: string; line: number }];
  stopped: [reason: StopReason, description: string | undefined, breakpoints: BreakpointState[]];
  continued: [];
  breakpointChanged: [state: BreakpointState];
  loadedSource: [path: string];
  exited: [code: number];
}

/** What a launch says when it cannot go on: one message for the editor. */
export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

/**
 * One agent under the inspector, in a lab node: started through the backend's exec, reached through
 * a relay process in the same node, driven over CDP. The session (labDebugSession.ts) turns DAP
 * requests into calls here and these events into DAP events.
 */
export class AgentRuntime extends EventEmitter<RuntimeEvents> {
  readonly paths: PathMapper;
  readonly maps: SourceMapIndex;
  readonly breakpoints: Breakpoints;
  readonly scripts = new Map<string, LoadedScript>();
  cdp: CdpClient | undefined;
  /** Call frames of the current pause; undefined while running. */
  pausedFrames: Protocol.Debugger.CallFrame[] | undefined;
  pauseData: Protocol.Debugger.PausedEvent | undefined;

  private agent: ChildProcess | undefined;
  private relay: RelayClient | undefined;
  private agentExit: Promise<number> | undefined;
  private stderrTail = '';
  private lastAction: StopReason = 'pause';
  private waitingForEntry = false;
  private stopOnEntry = false;
  /** Set while the runtime ends the agent itself (terminate, restart): its exit is expected. */
  private ending = false;
  private step: { action: 'next' | 'stepIn' | 'stepOut'; from: string | undefined; depth: number; repeats: number } | undefined;
  private exceptionMode: Protocol.Debugger.SetPauseOnExceptionsRequest['state'] = 'none';

  /** `paths`: where the node sees the workspace's files, when elsewhere (a lab host's copy of the build). */
  constructor(private readonly backend: Backend, readonly node: string, readonly sourceMaps: boolean, paths: ReadonlyArray<{ remote: string; local: string }> = []) {
    super();
    this.paths = new PathMapper(paths);
    this.maps = new SourceMapIndex(this.paths);
    this.breakpoints = new Breakpoints(this.maps, this.paths, sourceMaps);
  }

  get pid(): number | undefined {
    return this.agent?.pid;
  }

  get relayPid(): number | undefined {
    return this.relay?.pid;
  }

  /**
   * Starts the agent paused before its first line, connects, and loads the script's source map.
   * Throws LaunchError (node unknown, lab down, agent dead before its inspector opened, relay or
   * connection failing) with everything cleaned up.
   */
  async launch(plan: LaunchPlan, runtimeExecutable: string, stopOnEntry: boolean, readyForBreakpoints?: () => void): Promise<void> {
    this.stopOnEntry = stopOnEntry;
    let child: ChildProcess;
    try {
      child = this.backend.exec(this.node, withoutIpcChannel(plan.argv), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...plan.env }, cwd: plan.workspace });
    } catch (err) {
      throw new LaunchError((err as Error).message);
    }
    this.agent = child;
    killOnExit(child);
    this.ending = false;
    this.scripts.clear();
    this.stderrTail = '';
    this.agentExit = new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
      child.on('error', (err) => { this.stderrTail += `\n${err.message}`; resolve(127); });
    });
    const inspector = this.waitForInspector(child);
    inspector.catch(() => undefined);
    try {
      // While the agent starts (a few hundred ms): the relay starts too, and the source map is read
      // and indexed, so the editor's breakpoints are placed the moment they come.
      this.startRelay(runtimeExecutable);
      if (this.sourceMaps) this.loadMapFromDisk(plan.script);
      readyForBreakpoints?.();
      const address = await inspector;
      await this.connect(address.url, address.port, runtimeExecutable, this.agentExit, this.relay);
      await this.enable();
    } catch (err) {
      await this.kill();
      throw err instanceof LaunchError ? err : new LaunchError(`could not reach the inspector of ${path.basename(plan.script)} in node ${this.node}: ${(err as Error).message}`);
    }
    const exited = this.agentExit;
    const relay = this.relay;
    const cdp = this.cdp;
    void exited.then(async (code) => {
      cdp?.close();
      await relay?.close();
      if (this.agent === child && !this.ending) this.emit('exited', code);
    });
  }

  /** Starts the relay in the node and opens the inspector's WebSocket through it. */
  async connect(url: string, port: number, runtimeExecutable: string, exit?: Promise<number>, started?: RelayClient): Promise<void> {
    const relay = started ?? this.startRelay(runtimeExecutable);
    const connecting = CdpClient.connect(url, () => relay.open(port), CONNECT_TIMEOUT_MS);
    this.cdp = exit ? await raceExit(connecting, exit, () => this.stderrSuffix()) : await connecting;
    this.wire(this.cdp);
  }

  /** A relay process in the node (`node -e RELAY_SCRIPT`), replacing any earlier one. */
  startRelay(runtimeExecutable: string): RelayClient {
    const relayChild = this.backend.exec(this.node, withoutIpcChannel([runtimeExecutable, '-e', RELAY_SCRIPT]), { stdio: ['pipe', 'pipe', 'pipe'] });
    killOnExit(relayChild);
    this.relay = new RelayClient(relayChild, `node ${this.node}`);
    return this.relay;
  }

  /** Turns on the Runtime and Debugger domains and sets the exception mode and every breakpoint. */
  async enable(): Promise<void> {
    const cdp = this.cdp!;
    await cdp.send('Runtime.enable');
    await cdp.send('Debugger.enable', {});
    await cdp.send('Debugger.setPauseOnExceptions', { state: this.exceptionMode });
    await this.breakpoints.attach(cdp);
  }

  /** Lets the agent run (Runtime.runIfWaitingForDebugger); it pauses at its first line, where stopOnEntry stays. */
  async run(): Promise<void> {
    this.waitingForEntry = true;
    await this.cdp!.send('Runtime.runIfWaitingForDebugger');
  }

  /**
   * Resolves once the agent has run its start-up: its main script, the microtasks after it, one turn
   * of its event loop and STARTUP_QUIET_MS of its own clock (where a refused flag or an address it
   * cannot bind ends it). Measured in the agent, so a loaded machine slows the wait as it slows the agent.
   */
  async settled(): Promise<void> {
    await this.cdp!.send('Runtime.evaluate', { expression: `new Promise((r) => setImmediate(() => setTimeout(r, ${STARTUP_QUIET_MS})))`, awaitPromise: true, silent: true });
  }

  /** Resolves when the agent has exited, with its code. */
  get exited(): Promise<number> {
    return this.agentExit ?? Promise.resolve(0);
  }

  get isPaused(): boolean {
    return this.pausedFrames !== undefined;
  }

  async setExceptionMode(mode: 'none' | 'uncaught' | 'all'): Promise<void> {
    this.exceptionMode = mode;
    if (this.cdp?.isOpen) await this.cdp.send('Debugger.setPauseOnExceptions', { state: mode });
  }

  async resume(action: 'continue' | 'next' | 'stepIn' | 'stepOut'): Promise<void> {
    this.lastAction = action === 'continue' ? 'pause' : 'step';
    if (action === 'continue') {
      this.step = undefined;
      await this.cdp!.send('Debugger.resume', {});
      return;
    }
    const top = this.pausedFrames?.[0];
    this.step = { action, from: top ? this.sourceLineOf(top) : undefined, depth: this.pausedFrames?.length ?? 0, repeats: 0 };
    await this.sendStep(action);
  }

  private async sendStep(action: 'next' | 'stepIn' | 'stepOut'): Promise<void> {
    const cdp = this.cdp!;
    if (action === 'next') await cdp.send('Debugger.stepOver', {});
    else if (action === 'stepIn') await cdp.send('Debugger.stepInto', {});
    else await cdp.send('Debugger.stepOut');
  }

  /** "path:line" of a frame in the workspace's sources, "" for a place in a mapped bundle that maps to no source. */
  private sourceLineOf(f: Protocol.Debugger.CallFrame): string | undefined {
    const script = this.scripts.get(f.location.scriptId);
    if (!script?.path || !this.maps.has(script.path)) return undefined;
    const o = this.maps.originalFor(script.path, f.location.lineNumber, f.location.columnNumber ?? 0);
    return o ? `${o.path}:${o.line}` : '';
  }

  /**
   * A step in the TypeScript, not in the bundle: a step that ends on the source line it began on, in
   * the same frame (V8's return position, a statement the bundle split), or on bundle code that maps
   * to no source, goes on the same way — as VS Code's own JavaScript debugger steps.
   */
  private stepGoesOn(e: Protocol.Debugger.PausedEvent): boolean {
    const step = this.step;
    if (!step || e.reason !== 'other' || (e.hitBreakpoints?.length ?? 0) > 0 || step.repeats >= MAX_STEP_REPEATS) return false;
    const here = e.callFrames[0] ? this.sourceLineOf(e.callFrames[0]) : undefined;
    const same = here !== undefined && here === step.from && e.callFrames.length === step.depth;
    if (!same && here !== '') return false;
    step.repeats++;
    void this.sendStep(step.action).catch(() => undefined);
    return true;
  }

  async pause(): Promise<void> {
    this.lastAction = 'pause';
    await this.cdp!.send('Debugger.pause');
  }

  /**
   * Ends the agent: the inspector connection closed first (so nothing pauses its shutdown and the
   * breakpoints go with the session), then SIGTERM, then SIGKILL after TERMINATE_GRACE_MS; the relay
   * after it. Resolves with the exit code once both processes are gone.
   */
  async terminate(): Promise<number> {
    this.ending = true;
    const child = this.agent;
    this.detachInspector();
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), TERMINATE_GRACE_MS);
      const code = await this.exited;
      clearTimeout(timer);
      await this.relay?.close();
      return code;
    }
    await this.relay?.close();
    return this.exited;
  }

  /** Leaves the agent running: the inspector connection and the relay are closed. */
  async detach(): Promise<void> {
    this.ending = true;
    this.detachInspector();
    await this.relay?.close();
  }

  private detachInspector(): void {
    this.breakpoints.detach();
    this.pausedFrames = undefined;
    this.cdp?.close();
  }

  private async kill(): Promise<void> {
    this.ending = true;
    this.cdp?.close();
    this.agent?.kill('SIGKILL');
    await this.relay?.close();
    await this.exited;
  }

  /** Reads stderr until the inspector's URL; the agent's other output goes to the Debug Console from then on. */
  private waitForInspector(child: ChildProcess): Promise<{ url: string; port: number }> {
    return new Promise((resolve, reject) => {
      let text = '';
      let found = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new LaunchError(`the agent in node ${this.node} did not open its inspector within ${INSPECTOR_WAIT_MS / 1000} s${this.stderrSuffix()}`));
      }, INSPECTOR_WAIT_MS);
      this.forwardLines(child.stdout!, 'stdout');
      this.forwardLines(child.stderr!, 'stderr', (line) => {
        this.stderrTail = (this.stderrTail + line + '\n').slice(-STDERR_KEPT);
        if (!found) {
          text += `${line}\n`;
          const a = findInspectorUrl(text);
          if (a) { found = true; clearTimeout(timer); resolve(a); }
        }
        if (isWaitingForDisconnect(line)) this.cdp?.close();
      });
      void this.agentExit!.then((code) => {
        if (found) return;
        clearTimeout(timer);
        // A lab host's exec says itself that the lab is not deployed there: that is the whole message.
        const refusal = code === NOT_DEPLOYED_STATUS ? this.stderrSuffix().slice(2) : '';
        if (refusal) { reject(new LaunchError(refusal)); return; }
        reject(new LaunchError(`the agent in node ${this.node} exited with code ${code} before its inspector opened${this.stderrSuffix()}`));
      });
    });
  }

  /** ": <the agent's first line on stderr>", the one that says what went wrong (the rest is in the Debug Console). */
  stderrSuffix(): string {
    const first = this.stderrTail.split('\n').map((l) => l.trim()).find((l) => l && !isInspectorChatter(l));
    return first ? `: ${first}` : '';
  }

  private forwardLines(stream: NodeJS.ReadableStream, category: 'stdout' | 'stderr', onLine?: (line: string) => void): void {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        onLine?.(line);
        if (!(category === 'stderr' && isInspectorChatter(line))) this.emit('output', category, `${line}\n`);
      }
    });
    stream.on('end', () => { if (buffered) this.emit('output', category, buffered); });
  }

  private wire(cdp: CdpClient): void {
    cdp.on('Debugger.scriptParsed', (e) => { void this.onScriptParsed(e); });
    cdp.on('Debugger.paused', (e) => this.onPaused(e));
    cdp.on('Debugger.resumed', () => {
      this.pausedFrames = undefined;
      this.pauseData = undefined;
      this.emit('continued');
    });
    cdp.on('Debugger.breakpointResolved', (e) => {
      const s = this.breakpoints.ofCdpId(e.breakpointId);
      if (!s) return;
      const script = this.scripts.get(e.location.scriptId);
      const o = script?.path ? this.maps.originalFor(script.path, e.location.lineNumber, e.location.columnNumber ?? 0) : undefined;
      if (o && o.line !== s.line) { s.line = o.line; this.emit('breakpointChanged', s); }
    });
    cdp.on('Runtime.consoleAPICalled', (e) => {
      // The agent's own console output reaches stdout/stderr already; only logpoints are taken from here.
      if (e.args[0]?.value !== LOGPOINT_MARK) return;
      const text = e.args.slice(1).map((a) => (a.type === 'string' ? String(a.value) : a.description ?? String(a.value))).join(' ');
      const top = e.stackTrace?.callFrames.find((f) => f.url && !f.url.startsWith('node:'));
      const script = top ? scriptPathOf(top.url) : undefined;
      const o = script && top ? this.maps.originalFor(script, top.lineNumber, top.columnNumber) : undefined;
      this.emit('output', 'console', `${text}\n`, o ? { path: o.path, line: o.line } : undefined);
    });
    cdp.on('Runtime.executionContextDestroyed', () => {
      // The agent's program is over; a process that waits for the debugger to leave may now exit.
      if (this.agent?.exitCode === null) setImmediate(() => this.cdp?.close());
    });
  }

  private loadMapFromDisk(script: string): void {
    const mapFile = sourceMapFileOf(script);
    if (!mapFile) return;
    try {
      const remote = this.paths.toRemote(script);
      for (const src of this.maps.addMap(remote, readTraceMap(mapFile))) this.emit('loadedSource', src);
      this.maps.prepare(remote);
    } catch (err) {
      this.emit('output', 'important', `labtel: could not read the source map ${mapFile}: ${(err as Error).message}\n`);
    }
  }

  private async onScriptParsed(e: Protocol.Debugger.ScriptParsedEvent): Promise<void> {
    const scriptPath = scriptPathOf(e.url);
    this.scripts.set(e.scriptId, { scriptId: e.scriptId, url: e.url, path: scriptPath });
    if (!this.sourceMaps || !scriptPath || !e.sourceMapURL || this.maps.has(scriptPath)) return;
    let mapText: string;
    let mapFile: string;
    if (e.sourceMapURL.startsWith('data:')) {
      const comma = e.sourceMapURL.indexOf(',');
      const meta = e.sourceMapURL.slice(0, comma);
      mapText = meta.endsWith(';base64') ? Buffer.from(e.sourceMapURL.slice(comma + 1), 'base64').toString('utf8') : decodeURIComponent(e.sourceMapURL.slice(comma + 1));
      mapFile = scriptPath;
    } else {
      mapFile = path.posix.resolve(path.posix.dirname(scriptPath), e.sourceMapURL);
      try {
        mapText = readFileSync(this.paths.toLocal(mapFile), 'utf8');
      } catch {
        return; // a script whose map is not on this side: it is debugged as JavaScript
      }
    }
    const added = this.maps.add(scriptPath, mapText, mapFile);
    for (const src of added) this.emit('loadedSource', src);
    for (const s of await this.breakpoints.sourcesAdded(added)) this.emit('breakpointChanged', s);
  }

  private onPaused(e: Protocol.Debugger.PausedEvent): void {
    if (this.waitingForEntry) {
      this.waitingForEntry = false;
      const atStart = (e.reason as string) === BREAK_ON_START;
      // Node's --inspect-brk pause at the first line, before the breakpoints' chance to hit.
      if (!this.stopOnEntry && atStart) {
        void this.cdp!.send('Debugger.resume', {}).catch(() => undefined);
        return;
      }
      if (atStart) {
        this.setPaused(e);
        this.emit('stopped', 'entry', undefined, []);
        return;
      }
    }
    if (this.stepGoesOn(e)) return;
    this.step = undefined;
    const hit = (e.hitBreakpoints ?? []).map((id) => this.breakpoints.ofCdpId(id)).filter((s): s is BreakpointState => s !== undefined);
    if (hit.length && hit.length === (e.hitBreakpoints ?? []).length && e.reason !== 'exception' && e.reason !== 'promiseRejection') {
      // Hit counts are kept here: a breakpoint whose count test fails lets the agent go on.
      for (const s of hit) s.hits++;
      const due = hit.filter((s) => !s.hitTest || s.hitTest(s.hits));
      if (!due.length) {
        void this.cdp!.send('Debugger.resume', {}).catch(() => undefined);
        return;
      }
      this.setPaused(e);
      this.emit('stopped', 'breakpoint', undefined, due);
      return;
    }
    this.setPaused(e);
    if (e.reason === 'exception' || e.reason === 'promiseRejection') {
      const data = e.data as Protocol.Runtime.RemoteObject | undefined;
      this.emit('stopped', 'exception', data?.description ?? data?.className ?? 'exception', []);
    } else {
      this.emit('stopped', this.lastAction, undefined, []);
    }
  }

  private setPaused(e: Protocol.Debugger.PausedEvent): void {
    this.pausedFrames = e.callFrames;
    this.pauseData = e;
  }
}

/**
 * The agent and the relay die with the adapter: a debugger that went away (the editor closed, the
 * adapter killed) leaves nothing running in the node.
 */
function killOnExit(child: ChildProcess): void {
  const kill = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

/** `work`, unless the agent exits first: then a LaunchError with its exit code and stderr. */
async function raceExit<T>(work: Promise<T>, exit: Promise<number>, stderr: () => string): Promise<T> {
  return Promise.race([work, exit.then((code): never => { throw new LaunchError(`the agent exited with code ${code} while the debugger connected${stderr()}`); })]);
}

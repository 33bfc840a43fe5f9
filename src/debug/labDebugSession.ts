import path from 'node:path';
import {
  BreakpointEvent, ExitedEvent, Handles, InitializedEvent, LoadedSourceEvent, Logger, logger, LoggingDebugSession, OutputEvent,
  Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { isAgentName } from '../shared/agents';
import { DEFAULT_TOPOLOGY, type LabAgentAttachArguments, type LabAgentLaunchArguments } from '../shared/debugLaunch';
import { localHostName } from '../lab/host/labHosts';
import { loadTopology } from '../lab/topology';
import { AgentRuntime, LaunchError } from './runtime/agentRuntime';
import type { BreakpointState } from './runtime/breakpoints';
import { LaunchConfigError, planLaunch, type LaunchPlan } from './runtime/launchPlan';
import { attachTo } from './runtime/attach';
import { attachTarget, launchTarget } from './runtime/labTarget';
import { VariableStore } from './variables/variableStore';

/** The one thread a Node agent has. */
const THREAD_ID = 1;
/**
 * The longest the launch waits for the agent's start-up to be over before it answers: a failure in
 * it (a flag it refuses, an address it cannot bind) ends the launch with the agent's own message
 * instead of a session that dies a moment later.
 */
const STARTUP_WAIT_MS = 10_000;
/** How long the launch waits for the editor's configurationDone before it lets the agent run anyway. */
const CONFIGURATION_WAIT_MS = 10_000;
const ERROR_LAUNCH = 3001;
const ERROR_REQUEST = 3002;

type LaunchArgs = LabAgentLaunchArguments & DebugProtocol.LaunchRequestArguments & { trace?: boolean };
type AttachArgs = LabAgentAttachArguments & DebugProtocol.AttachRequestArguments & { trace?: boolean };

/**
 * labtel's debug adapter: DAP on one side, an agent under Node's inspector inside a lab node on the
 * other (AgentRuntime). Runs inline in the extension host and as `node dist/debugAdapter.js`.
 */
export class LabDebugSession extends LoggingDebugSession {
  private runtime: AgentRuntime | undefined;
  private variables: VariableStore | undefined;
  private plan: LaunchPlan | undefined;
  private launchArgs: LaunchArgs | undefined;
  private runtimeExecutable = 'node';
  private threadName = 'agent';
  private readonly sourceRefs = new Handles<string>();
  private configurationDone!: () => void;
  private readonly configured = new Promise<void>((resolve) => { this.configurationDone = resolve; });
  /** True while the launch (or a restart) is in progress: an exit then is the launch's error, not an event. */
  private starting = false;
  private ended = false;
  private attached = false;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsLoadedSourcesRequest: true,
      supportsDelayedStackTraceLoading: true,
      supportsExceptionInfoRequest: false,
      exceptionBreakpointFilters: [
        { filter: 'all', label: 'All Exceptions', default: false },
        { filter: 'uncaught', label: 'Uncaught Exceptions', default: false },
      ],
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configurationDone();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArgs): Promise<void> {
    logger.setup(args.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
    this.starting = true;
    try {
      const local = planLaunch(args, process.cwd());
      this.launchArgs = args;
      this.threadName = `${isAgentName(args.agent) ? args.agent : path.basename(args.agent)} in ${args.node}`;
      const target = await launchTarget(args, local, loadTopology(local.topologyFile));
      const plan = target.plan!;
      this.plan = plan;
      this.runtimeExecutable = target.runtimeExecutable;
      if (target.hostName !== localHostName) this.threadName += ` on ${target.hostName}`;
      const runtime = new AgentRuntime(target.backend, args.node, args.sourceMaps ?? true, target.paths);
      this.useRuntime(runtime);
      // `initialized` as soon as breakpoints can be placed: the editor's setBreakpoints and
      // configurationDone then overlap the agent's start and the connection.
      await runtime.launch(plan, target.runtimeExecutable, args.stopOnEntry ?? false, () => this.sendEvent(new InitializedEvent()));
      await Promise.race([this.configured, delay(CONFIGURATION_WAIT_MS)]);
      await this.letRun(runtime);
      this.starting = false;
      this.sendResponse(response);
    } catch (err) {
      this.starting = false;
      this.fail(response, err);
    }
  }

  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: AttachArgs): Promise<void> {
    logger.setup(args.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
    try {
      if (typeof args.node !== 'string' || !args.node) throw new LaunchConfigError('the attach configuration needs "node": the lab node the agent runs in');
      const workspace = path.resolve(args.cwd ?? process.cwd());
      const target = await attachTarget(args, loadTopology(path.resolve(workspace, args.topology ?? DEFAULT_TOPOLOGY)), workspace);
      const backend = target.backend;
      const runtime = new AgentRuntime(backend, args.node, args.sourceMaps ?? true, target.paths);
      this.threadName = `${args.pid ? `process ${args.pid}` : `port ${args.port}`} in ${args.node}`;
      this.attached = true;
      this.useRuntime(runtime);
      await attachTo(runtime, backend, { ...args, runtimeExecutable: target.runtimeExecutable });
      this.sendEvent(new InitializedEvent());
      this.sendResponse(response);
    } catch (err) {
      this.fail(response, err);
    }
  }

  /**
   * Lets the agent go from its first line and waits for its start-up to be over (AgentRuntime.settled),
   * or for it to stop or exit first: an exit then is the launch's error, with the agent's own words.
   */
  private async letRun(runtime: AgentRuntime): Promise<void> {
    let stopped = false;
    const onStop = () => { stopped = true; };
    runtime.once('stopped', onStop);
    const stop = new Promise<undefined>((resolve) => runtime.once('stopped', () => resolve(undefined)));
    const exit = runtime.exited.then((code) => ({ code }));
    await runtime.run();
    // A failed evaluation means the agent's context is gone ("Execution context was destroyed"): its exit follows.
    const settled = runtime.settled().then(() => undefined, () => exit);
    const outcome = await Promise.race([exit, stop, settled, delay(STARTUP_WAIT_MS).then(() => undefined)]);
    runtime.off('stopped', onStop);
    if (outcome && !stopped) {
      throw new LaunchError(`the agent in node ${runtime.node} exited with code ${outcome.code} at start-up${runtime.stderrSuffix()}`);
    }
  }

  private useRuntime(runtime: AgentRuntime): void {
    this.runtime = runtime;
    this.variables = new VariableStore(() => runtime.cdp!);
    runtime.on('output', (category, text, location) => {
      const e = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
      if (location) {
        e.body.source = this.source(location.path);
        e.body.line = this.convertDebuggerLineToClient(location.line);
      }
      this.sendEvent(e);
    });
    runtime.on('stopped', (reason, description, hit) => {
      this.variables!.reset();
      this.variables!.prefetch(runtime.pausedFrames?.[0]);
      const e = new StoppedEvent(reason, THREAD_ID) as DebugProtocol.StoppedEvent;
      if (description) e.body.description = e.body.text = description;
      if (hit.length) e.body.hitBreakpointIds = hit.map((s) => s.id);
      this.sendEvent(e);
    });
    runtime.on('breakpointChanged', (s) => this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(s))));
    runtime.on('loadedSource', (p) => this.sendEvent(new LoadedSourceEvent('new', this.source(p))));
    runtime.on('exited', (code) => {
      if (this.starting) return;
      this.end(code);
    });
  }

  private end(code: number | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (code !== undefined) this.sendEvent(new ExitedEvent(code));
    this.sendEvent(new TerminatedEvent());
  }

  private fail(response: DebugProtocol.Response, err: unknown): void {
    const known = err instanceof LaunchError || err instanceof LaunchConfigError || (err instanceof Error && /Error$/.test(err.name) && err.name !== 'Error');
    const message = err instanceof Error ? (known ? err.message : `${err.message}`) : String(err);
    this.sendErrorResponse(response, { id: ERROR_LAUNCH, format: '{_message}', variables: { _message: message }, showUser: true });
    void this.runtime?.terminate().catch(() => undefined);
    this.ended = true;
    this.sendEvent(new TerminatedEvent());
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const file = args.source.path;
    if (!this.runtime || !file) {
      response.body = { breakpoints: (args.breakpoints ?? []).map((b) => ({ verified: false, line: b.line, message: file ? 'the agent is not running' : 'a breakpoint needs a file' })) };
      this.sendResponse(response);
      return;
    }
    const states = await this.runtime.breakpoints.set(file, (args.breakpoints ?? []).map((b) => ({
      line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage,
    })));
    response.body = { breakpoints: states.map((s) => this.toDapBreakpoint(s)) };
    this.sendResponse(response);
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    const mode = args.filters.includes('all') ? 'all' : args.filters.includes('uncaught') ? 'uncaught' : 'none';
    await this.runtime?.setExceptionMode(mode);
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, this.threadName)] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const frames = this.runtime?.pausedFrames ?? [];
    const start = args.startFrame ?? 0;
    const end = args.levels ? Math.min(frames.length, start + args.levels) : frames.length;
    response.body = {
      stackFrames: frames.slice(start, end).map((f, k) => this.toStackFrame(f, start + k)),
      totalFrames: frames.length,
    };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const frame = this.frame(args.frameId);
    response.body = { scopes: frame ? this.variables!.scopes(frame) : [] };
    this.sendResponse(response);
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.answer(response, async () => ({ variables: await this.variables!.variables(args.variablesReference) }));
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    await this.answer(response, async () => {
      if (!this.runtime?.cdp?.isOpen) throw new Error('the agent is not running');
      return this.variables!.evaluate(args.expression, args.frameId !== undefined ? this.frame(args.frameId) : this.runtime.pausedFrames?.[0], args.context);
    });
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    await this.answer(response, async () => {
      const v = await this.variables!.setVariable(args.variablesReference, args.name, args.value, this.runtime?.pausedFrames?.[0]);
      return { value: v.value, type: v.type, variablesReference: v.variablesReference };
    });
  }

  protected override async continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    await this.answer(response, async () => { await this.runtime!.resume('continue'); return { allThreadsContinued: true }; });
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    await this.answer(response, async () => { await this.runtime!.resume('next'); return undefined; });
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    await this.answer(response, async () => { await this.runtime!.resume('stepIn'); return undefined; });
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    await this.answer(response, async () => { await this.runtime!.resume('stepOut'); return undefined; });
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    await this.answer(response, async () => { await this.runtime!.pause(); return undefined; });
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    const rt = this.runtime;
    const mapped = rt ? rt.maps.sources : [];
    const plain = rt ? [...rt.scripts.values()].filter((s) => s.path && !rt.maps.has(s.path)).map((s) => rt.paths.toLocal(s.path!)) : [];
    response.body = { sources: [...mapped, ...plain].map((p) => this.source(p)) };
    this.sendResponse(response);
  }

  protected override async sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): Promise<void> {
    await this.answer(response, async () => {
      const scriptId = this.sourceRefs.get(args.source?.sourceReference ?? args.sourceReference);
      if (!scriptId || !this.runtime?.cdp) throw new Error('no such source');
      const r = await this.runtime.cdp.send('Debugger.getScriptSource', { scriptId });
      return { content: r.scriptSource, mimeType: 'text/javascript' };
    });
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    const code = await this.stopAgent(true);
    this.sendResponse(response);
    this.end(code);
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    const terminate = args?.terminateDebuggee ?? !this.attached;
    await this.stopAgent(terminate);
    this.ended = true;
    this.sendResponse(response);
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse): Promise<void> {
    const rt = this.runtime;
    if (!rt || !this.plan || !this.launchArgs) {
      this.sendErrorResponse(response, { id: ERROR_REQUEST, format: 'restart works for a launched agent only', showUser: true });
      return;
    }
    this.starting = true;
    try {
      await rt.terminate();
      this.variables!.reset();
      await rt.launch(this.plan, this.runtimeExecutable, this.launchArgs.stopOnEntry ?? false);
      await this.letRun(rt);
      this.starting = false;
      this.sendResponse(response);
    } catch (err) {
      this.starting = false;
      this.fail(response, err);
    }
  }

  private async stopAgent(terminate: boolean): Promise<number | undefined> {
    const rt = this.runtime;
    if (!rt) return undefined;
    if (this.attached || !terminate) {
      await rt.detach();
      return undefined;
    }
    return rt.terminate();
  }

  /** Runs a request's work and answers with its body, or with its error as one message. */
  private async answer<R extends DebugProtocol.Response>(response: R, work: () => Promise<R['body'] | undefined>): Promise<void> {
    try {
      const body = await work();
      if (body !== undefined) response.body = body;
      this.sendResponse(response);
    } catch (err) {
      this.sendErrorResponse(response, { id: ERROR_REQUEST, format: '{_message}', variables: { _message: (err as Error).message }, showUser: false });
    }
  }

  private frame(frameId: number): import('devtools-protocol').Protocol.Debugger.CallFrame | undefined {
    return this.runtime?.pausedFrames?.[frameId - 1];
  }

  private toStackFrame(f: import('devtools-protocol').Protocol.Debugger.CallFrame, index: number): DebugProtocol.StackFrame {
    const rt = this.runtime!;
    const name = f.functionName || '(anonymous)';
    const script = rt.scripts.get(f.location.scriptId);
    const line0 = f.location.lineNumber;
    const column0 = f.location.columnNumber ?? 0;
    const original = script?.path ? rt.maps.originalFor(script.path, line0, column0) : undefined;
    let frame: DebugProtocol.StackFrame;
    if (original) {
      frame = new StackFrame(index + 1, name, this.source(original.path), this.convertDebuggerLineToClient(original.line), this.convertDebuggerColumnToClient(original.column));
    } else if (script?.path) {
      frame = new StackFrame(index + 1, name, this.source(rt.paths.toLocal(script.path)), line0 + 1, column0 + 1);
    } else {
      const src = new Source(script?.url ?? `script ${f.location.scriptId}`, undefined, this.sourceRefs.create(f.location.scriptId), 'internal module', 'deemphasize');
      frame = new StackFrame(index + 1, name, src, line0 + 1, column0 + 1);
    }
    if (!original && (script?.url.startsWith('node:') ?? true)) frame.presentationHint = 'subtle';
    return frame;
  }

  private source(file: string): Source {
    return new Source(path.basename(file), this.convertDebuggerPathToClient(file));
  }

  private toDapBreakpoint(s: BreakpointState): DebugProtocol.Breakpoint {
    return { id: s.id, verified: s.verified, line: this.convertDebuggerLineToClient(s.line), message: s.message, source: this.source(s.path) };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

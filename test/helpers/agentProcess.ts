import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCapture } from '../../src/protocols/capture';
import { sflowPayload } from '../../src/agents/ingest/sflowPayload';
import { parseEvent, type AgentEvent } from '../../src/shared/events';
import { corpusPath, repoRoot } from './corpus';

/** The bundled agent, as it runs in a lab node; built once per test process if missing or stale. */
export function agentBundle(name: 'capture' | 'top-talkers' | 'bgp-ping'): string {
  const file = path.join(repoRoot, 'dist', 'agents', `${name}.js`);
  if (!built) {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
    built = true;
  }
  if (!existsSync(file)) throw new Error(`no bundle ${file} after the build`);
  return file;
}
let built = false;

/** A running agent whose NDJSON stdout is parsed into events as it comes. */
export class AgentProcess {
  readonly events: AgentEvent[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buffered = '';

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        if (line.trim()) this.events.push(parseEvent(line));
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(argv: string[]): AgentProcess {
    return new AgentProcess(spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  of<T extends AgentEvent['type']>(type: T): Array<Extract<AgentEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
  }

  /** Resolves with the first event that satisfies `pred`, or rejects after `ms` with what was seen. */
  async waitFor<T extends AgentEvent['type']>(type: T, pred: (e: Extract<AgentEvent, { type: T }>) => boolean, ms: number): Promise<Extract<AgentEvent, { type: T }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.of(type).find(pred);
      if (hit) return hit;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        const last = this.of(type).at(-1);
        throw new Error(`no matching ${type} event within ${ms} ms; last: ${JSON.stringify(last)}; stderr: ${this.stderr.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

/** The sFlow datagrams (UDP payloads) of a third-party corpus capture, each as its own buffer. */
export function corpusDatagrams(...file: string[]): Buffer[] {
  return captureDatagrams(corpusPath(...file));
}

/** The sFlow datagrams (UDP payloads) of a capture file, each as its own buffer. */
export function captureDatagrams(file: string): Buffer[] {
  const out: Buffer[] = [];
  for (const pkt of parseCapture(readFileSync(file))) {
    const p = sflowPayload(pkt.data, pkt.linkType, 6343);
    if (p) out.push(Buffer.from(pkt.data.subarray(p.start, p.end)));
  }
  return out;
}

import type { ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';
import { encodeFrame, FrameKind, FrameReader, openPayload, type Frame } from './relayFrames';

/**
 * The adapter's end of a relay process: open() gives a stream that behaves as a TCP socket to
 * 127.0.0.1:<port> inside the lab node, carried over the relay's stdio. Good for http.request's and
 * ws's `createConnection`, so the discovery GET and the CDP WebSocket need no port on this side.
 */
export class RelayClient {
  private readonly reader = new FrameReader();
  private readonly connections = new Map<number, RelayConnection>();
  private nextId = 1;
  private stderr = '';
  /** Why the relay can no longer carry anything (it exited, or broke the framing). */
  private broken: Error | undefined;
  readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess, private readonly where: string) {
    if (!child.stdin || !child.stdout) throw new Error('the relay needs piped stdin and stdout');
    child.stdout.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      for (const f of frames) this.connections.get(f.id)?.onFrame(f);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (t: string) => { this.stderr = (this.stderr + t).slice(-MAX_STDERR_KEPT); });
    child.stdin.on('error', () => { /* the exit handler reports it */ });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.fail(new Error(`the relay in ${where} exited (${signal ?? `code ${code}`})${this.stderr.trim() ? `: ${this.stderr.trim()}` : ''}`));
        resolve();
      });
      child.on('error', (err) => { this.fail(new Error(`the relay in ${where} did not start: ${err.message}`)); resolve(); });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** A connection to 127.0.0.1:port inside the node. */
  open(port: number): RelayConnection {
    const id = this.nextId++;
    const conn = new RelayConnection(id, port, this.where, (kind, payload) => this.send(kind, id, payload), () => this.connections.delete(id));
    if (this.broken) {
      process.nextTick(() => conn.destroy(this.broken));
      return conn;
    }
    this.connections.set(id, conn);
    this.send(FrameKind.Open, id, openPayload(port));
    return conn;
  }

  /** Ends the relay: closing its stdin makes it close its connections and exit. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.stdin!.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), RELAY_EXIT_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private send(kind: FrameKind, id: number, payload?: Uint8Array): void {
    if (this.broken) return;
    this.child.stdin!.write(encodeFrame(kind, id, payload));
  }

  private fail(err: Error): void {
    if (this.broken) return;
    this.broken = err;
    for (const c of [...this.connections.values()]) c.destroy(err);
    this.connections.clear();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** How long the relay has to exit after its stdin closed before it is killed. */
const RELAY_EXIT_GRACE_MS = 2000;
const MAX_STDERR_KEPT = 4096;

/** One relayed TCP connection, as a socket-like Duplex (the no-op socket methods are what http and ws call). */
export class RelayConnection extends Duplex {
  private ended = false;

  constructor(
    readonly id: number,
    readonly port: number,
    private readonly where: string,
    private readonly sendFrame: (kind: FrameKind, payload?: Uint8Array) => void,
    private readonly forget: () => void,
  ) {
    super();
  }

  onFrame(f: Frame): void {
    if (f.kind === FrameKind.Data) {
      this.push(f.payload);
    } else if (f.kind === FrameKind.End) {
      this.ended = true;
      this.forget();
      if (f.payload.length) this.destroy(new Error(`inspector connection in ${this.where}: ${f.payload.toString('utf8')}`));
      else this.push(null);
    }
  }

  override _read(): void { /* frames are pushed as they arrive */ }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.sendFrame(FrameKind.Data, chunk);
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.close();
    done();
  }

  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    this.close();
    done(err);
  }

  private close(): void {
    if (this.ended) return;
    this.ended = true;
    this.forget();
    this.sendFrame(FrameKind.End);
  }

  // What http.ClientRequest and ws call on a net.Socket.
  setNoDelay(): this { return this; }
  setKeepAlive(): this { return this; }
  setTimeout(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
}

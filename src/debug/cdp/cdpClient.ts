import type { Duplex } from 'node:stream';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import WebSocket from 'ws';
import { RelayAgent } from '../relay/relayAgent';

type Commands = ProtocolMapping.Commands;
type Events = ProtocolMapping.Events;
export type CdpParams<M extends keyof Commands> = Commands[M]['paramsType'][0];
export type CdpResult<M extends keyof Commands> = Commands[M]['returnType'];
export type CdpEvent<E extends keyof Events> = Events[E] extends [infer P] ? P : undefined;

/** An error the inspector answered a command with. */
export class CdpError extends Error {
  override readonly name = 'CdpError';
  constructor(readonly method: string, readonly code: number, message: string) {
    super(`${method}: ${message}`);
  }
}

/**
 * A Chrome DevTools Protocol client over `ws`, typed by devtools-protocol. Its WebSocket runs over
 * whatever stream `connect` gives it (a relayed connection into the lab node): the inspector's
 * WebSocket takes uncompressed text frames, so permessage-deflate is off.
 */
export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private readonly handlers = new Map<string, Array<(params: unknown) => void>>();
  private closedWith: Error | undefined;
  readonly closed: Promise<Error>;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.onMessage(String(data));
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code) => {
        this.closedWith ??= new Error(`the inspector closed the connection (WebSocket code ${code})`);
        for (const p of this.pending.values()) p.reject(new CdpError(p.method, -1, this.closedWith.message));
        this.pending.clear();
        resolve(this.closedWith);
      });
    });
    socket.on('error', (err) => { this.closedWith ??= err; });
  }

  /** Opens the WebSocket at `url`, its TCP connection made by `connect` (e.g. RelayClient.open). */
  static async connect(url: string, connect: () => Duplex, timeoutMs: number): Promise<CdpClient> {
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
      // ws hands this to http.request: the agent's stream stands in for a net.Socket (see RelayAgent for why not createConnection).
      agent: new RelayAgent(connect),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', (err) => reject(new Error(`could not open the inspector's WebSocket ${url}: ${err.message}`)));
      socket.once('close', (code) => reject(new Error(`the inspector's WebSocket ${url} closed before it opened (code ${code})`)));
    });
    return new CdpClient(socket);
  }

  send<M extends keyof Commands>(method: M, ...params: CdpParams<M> extends undefined ? [] : [CdpParams<M>]): Promise<CdpResult<M>> {
    if (this.closedWith || this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new CdpError(method, -1, this.closedWith?.message ?? 'the inspector connection is closed'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params: params[0] ?? {} }));
    });
  }

  on<E extends keyof Events>(event: E, handler: (params: CdpEvent<E>) => void): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler as (params: unknown) => void);
    this.handlers.set(event, list);
  }

  close(): void {
    this.closedWith ??= new Error('the debugger closed the inspector connection');
    this.socket.close();
  }

  get isOpen(): boolean {
    return this.closedWith === undefined && this.socket.readyState === WebSocket.OPEN;
  }

  private onMessage(text: string): void {
    let msg: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string } };
    try {
      msg = JSON.parse(text);
    } catch {
      return; // the inspector only sends JSON; anything else is not ours to act on
    }
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new CdpError(p.method, msg.error.code, msg.error.message));
      else p.resolve(msg.result);
      return;
    }
    if (msg.method) for (const h of this.handlers.get(msg.method) ?? []) h(msg.params);
  }
}

/**
 * The Flows panel's model: the capture agent's flow records, the newest FLOWS_CAPACITY kept in a ring,
 * each with its sampled header so a row's packet is decoded only when someone opens it. Plain TypeScript
 * (no vscode), tested under node.
 */
import type { FlowEvent } from '../../shared/events';
import type { DecodedPacket } from '../../shared/packetTree';
import type { ExtensionToWebview, FlowRow, PanelSource } from '../../shared/webviewMessages';
import { bytesOfHex, firstLayerOfHeaderProtocol, packetTree } from '../../protocols/packetTree';
import { DecodeError } from '../../protocols/decodeError';

/** Rows kept: the panel's promise (100,000 rows stay smooth). */
export const FLOWS_CAPACITY = 100_000;
/** Rows per flows/append message when replaying the whole ring (one structured clone of 100,000 rows stalls the webview). */
export const REPLAY_CHUNK = 10_000;

interface Stored {
  readonly row: FlowRow;
  readonly header: string | undefined;
  readonly headerProtocol: number | undefined;
}

export interface FlowsSnapshot {
  readonly rows: number;
  readonly firstId: number | undefined;
  readonly lastId: number | undefined;
  readonly capacity: number;
  readonly received: number;
}

export class FlowsModel {
  private readonly ring: Array<Stored | undefined>;
  /** Ids are consecutive from 1: the row with id n sits in slot (n - 1) % capacity while it is kept. */
  private nextId = 1;
  private size = 0;
  private pending: FlowRow[] = [];

  constructor(readonly capacity = FLOWS_CAPACITY) {
    this.ring = new Array<Stored | undefined>(capacity);
  }

  accept(source: PanelSource, e: FlowEvent): void {
    const row: FlowRow = {
      id: this.nextId, ts: e.ts, node: source.node, agentAddress: e.agentAddress, samplingRate: e.samplingRate,
      inputInterface: e.inputInterface, outputInterface: e.outputInterface,
      ...(e.inputFormat === undefined ? {} : { inputFormat: e.inputFormat }), ...(e.outputFormat === undefined ? {} : { outputFormat: e.outputFormat }),
      ...(e.src === undefined ? {} : { src: e.src }), ...(e.dst === undefined ? {} : { dst: e.dst }),
      ...(e.srcPort === undefined ? {} : { srcPort: e.srcPort }), ...(e.dstPort === undefined ? {} : { dstPort: e.dstPort }),
      ...(e.protocol === undefined ? {} : { protocol: e.protocol }),
      frameLength: e.frameLength, hasHeader: e.header !== undefined && firstLayerOfHeaderProtocol(e.headerProtocol ?? -1) !== undefined,
    };
    this.ring[(this.nextId - 1) % this.capacity] = { row, header: e.header, headerProtocol: e.headerProtocol };
    this.nextId++;
    if (this.size < this.capacity) this.size++;
    this.pending.push(row);
    // A panel that is not drained (closed) must not grow this without bound.
    if (this.pending.length > this.capacity * 2) this.pending = this.pending.slice(-this.capacity);
  }

  private get firstId(): number {
    return this.nextId - this.size;
  }

  private stored(id: number): Stored | undefined {
    if (!Number.isInteger(id) || id < this.firstId || id >= this.nextId) return undefined;
    return this.ring[(id - 1) % this.capacity];
  }

  /** The rows that arrived since the last drain, as one message (the newest `capacity` of them). */
  drain(): ExtensionToWebview[] {
    if (this.pending.length === 0) return [];
    const rows = this.pending.length > this.capacity ? this.pending.slice(-this.capacity) : this.pending;
    this.pending = [];
    return [{ type: 'flows/append', rows }];
  }

  /** Everything kept, oldest first, for a webview that just said ready; what was pending is in it. */
  replay(): ExtensionToWebview[] {
    this.pending = [];
    const out: ExtensionToWebview[] = [{ type: 'flows/clear' }];
    let chunk: FlowRow[] = [];
    for (let id = this.firstId; id < this.nextId; id++) {
      chunk.push(this.stored(id)!.row);
      if (chunk.length === REPLAY_CHUNK) { out.push({ type: 'flows/append', rows: chunk }); chunk = []; }
    }
    if (chunk.length) out.push({ type: 'flows/append', rows: chunk });
    return out;
  }

  /** A row's sampled packet as layers, fields and bytes; an error packet when the row is gone or has no header. */
  detail(id: number): DecodedPacket {
    const s = this.stored(id);
    if (!s) return { hex: '', tree: [], error: `flow ${id} is no longer kept (the panel keeps the newest ${this.capacity})` };
    const first = firstLayerOfHeaderProtocol(s.headerProtocol ?? -1);
    if (s.header === undefined || first === undefined) {
      return { hex: s.header ?? '', tree: [], error: s.header === undefined ? 'the exporter sent no raw header for this sample' : `header protocol ${s.headerProtocol} is not decoded` };
    }
    try {
      return packetTree(bytesOfHex(s.header), first);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      return { hex: '', tree: [], error: `the header is not hex: ${err.message}` };
    }
  }

  clear(): void {
    this.ring.fill(undefined);
    this.size = 0;
    this.pending = [];
  }

  snapshot(): FlowsSnapshot {
    return {
      rows: this.size, firstId: this.size ? this.firstId : undefined, lastId: this.size ? this.nextId - 1 : undefined,
      capacity: this.capacity, received: this.nextId - 1,
    };
  }
}

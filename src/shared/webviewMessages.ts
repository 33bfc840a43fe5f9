/**
 * Messages between the extension and its webview panels (postMessage, both ways). The extension posts
 * snapshots and deltas a few times a second; a webview opens no socket of its own (ports do not map
 * under Remote-SSH) and keeps what it needs with getState/setState.
 *
 * Every message has a `type`; the panel's name is its prefix. A webview answers `ready` once loaded and
 * the extension then posts what the panel has so far, so a panel restored after a reload fills at once.
 */
import type { AgentName } from './agents';
import type { RttEvent, TalkerRow } from './events';
import type { DecodedPacket } from './packetTree';

export type PanelKind = 'flows' | 'talkers' | 'rtt';

/** The webview types registered with VS Code (createWebviewPanel / registerWebviewPanelSerializer). */
export const PANEL_VIEW_TYPES: Readonly<Record<PanelKind, string>> = {
  flows: 'labtel.flows',
  talkers: 'labtel.talkers',
  rtt: 'labtel.rtt',
};

/** Where a panel's data comes from: which agent, in which node, of which lab on which lab host. */
export interface PanelSource {
  readonly labHost: string;
  readonly lab: string;
  readonly node: string;
  readonly agent: AgentName;
  readonly running: boolean;
}

// ---- extension → webview ----

export interface SourcesMessage { readonly type: 'sources'; readonly sources: readonly PanelSource[] }

/** One flow record as the Flows panel lists it; `id` is the extension's, unique per panel. */
export interface FlowRow {
  readonly id: number;
  readonly ts: number;
  readonly node: string;
  readonly agentAddress: string;
  readonly samplingRate: number;
  readonly inputInterface: number;
  readonly outputInterface: number;
  /** As in the flow event: the sFlow interface format of each (absent: an ifIndex). */
  readonly inputFormat?: number;
  readonly outputFormat?: number;
  readonly src?: string;
  readonly dst?: string;
  readonly srcPort?: number;
  readonly dstPort?: number;
  readonly protocol?: number;
  readonly frameLength: number;
  /** The row has a sampled header the extension can decode (flows/detail). */
  readonly hasHeader: boolean;
}

export interface FlowsAppendMessage { readonly type: 'flows/append'; readonly rows: readonly FlowRow[] }
export interface FlowsClearMessage { readonly type: 'flows/clear' }
export interface FlowsDetailMessage { readonly type: 'flows/detail'; readonly id: number; readonly packet: DecodedPacket }
/** The filter the capture agent now runs with (after "Capture this flow"), or why it could not. */
export interface FlowsFilterMessage { readonly type: 'flows/filter'; readonly filter: string; readonly error?: string }

export interface TalkersSnapshotMessage {
  readonly type: 'talkers/snapshot';
  readonly ts: number;
  /** Seconds the ranking covers. */
  readonly window: number;
  readonly by: 'bytes' | 'packets' | 'samples';
  /** The most rows the agent ranks (its --top), when it says. */
  readonly top?: number;
  /** Conversations tracked in all (the rows are the top of them). */
  readonly flows: number;
  readonly rows: readonly TalkerRow[];
}

export interface RttSample { readonly responder: string; readonly seq: number; readonly ts: number; readonly rttMs: number; readonly partial?: boolean }
export interface RttAppendMessage { readonly type: 'rtt/append'; readonly samples: readonly RttSample[] }
export interface RttLostMessage { readonly type: 'rtt/lost'; readonly ts: number; readonly seq: number; readonly responders: readonly string[] }
/** How long a responder held a probe (its own share of the RTT), from its `reply` events. */
export interface RttHeldMessage { readonly type: 'rtt/held'; readonly responder: string; readonly ts: number; readonly turnaroundUs: number }
export interface RttSessionMessage { readonly type: 'rtt/session'; readonly peer: string; readonly state: string; readonly reason?: string }
export interface RttClearMessage { readonly type: 'rtt/clear' }

export type ExtensionToWebview =
  | SourcesMessage
  | FlowsAppendMessage | FlowsClearMessage | FlowsDetailMessage | FlowsFilterMessage
  | TalkersSnapshotMessage
  | RttAppendMessage | RttLostMessage | RttHeldMessage | RttSessionMessage | RttClearMessage;

// ---- webview → extension ----

export interface ReadyMessage { readonly type: 'ready' }
export interface FlowsDetailRequest { readonly type: 'flows/detailRequest'; readonly id: number }
/** "Copy as BPF filter": the extension puts the expression on the clipboard. */
export interface FlowsCopyFilter { readonly type: 'flows/copyFilter'; readonly filter: string }
/** "Capture this flow": restart the capture agent with this filter. */
export interface FlowsCaptureFlow { readonly type: 'flows/captureFlow'; readonly filter: string }
/** The Top Talkers selectors: the extension restarts top-talkers with these flags. */
export interface TalkersConfig { readonly type: 'talkers/config'; readonly window: number; readonly top: number; readonly by: 'bytes' | 'packets' | 'samples' }
/** A webview's own trouble (a render error), logged by the extension. */
export interface WebviewError { readonly type: 'error'; readonly message: string }

export type WebviewToExtension = ReadyMessage | FlowsDetailRequest | FlowsCopyFilter | FlowsCaptureFlow | TalkersConfig | WebviewError;

/** The RTT fields a panel needs from an `rtt` event. */
export function rttSampleOf(e: RttEvent): RttSample {
  return { responder: e.responder, seq: e.seq, ts: e.ts, rttMs: e.rttMs, ...(e.partial ? { partial: true } : {}) };
}

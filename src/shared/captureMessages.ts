/**
 * Messages between the capture viewer (the custom editor `labtel.capture`) and its webview. The webview
 * holds no packets: it asks for the window of rows in view (one request in flight, as Jupyter's data viewer
 * does) and for one packet's detail; the extension answers from the worker's index of the file.
 */
import type { DecodedPacket } from './packetTree';

export const CAPTURE_VIEW_TYPE = 'labtel.capture';

/** One line of the packet list. */
export interface CaptureRow {
  /** 1-based packet number in the file. */
  readonly number: number;
  /** Seconds since the first packet. */
  readonly time: number;
  readonly source: string;
  readonly destination: string;
  readonly protocol: string;
  /** Length on the wire. */
  readonly length: number;
  readonly info: string;
}

/** Where a capture file stops being readable: the packets before it are shown. */
export interface CaptureBreak {
  /** Byte offset in the file where the bad record or block starts (or the field that is wrong). */
  readonly offset: number;
  /** The packet number that could not be read (packets before it are listed). */
  readonly packetNumber: number;
  readonly message: string;
}

export interface ConversationRow {
  readonly a: string;
  readonly b: string;
  readonly framesAtoB: number;
  readonly bytesAtoB: number;
  readonly framesBtoA: number;
  readonly bytesBtoA: number;
}

export interface ProtocolHierarchyRow {
  /** Nesting depth (frame = 0). */
  readonly depth: number;
  /** tshark's short name: frame, eth, ip, udp, sflow … */
  readonly name: string;
  readonly frames: number;
  readonly bytes: number;
}

export interface TalkerStatRow {
  readonly a: string;
  readonly b: string;
  readonly protocol: number;
  readonly bytes: number;
  readonly packets: number;
  readonly share: number;
}

export interface CaptureStatistics {
  readonly conversations: readonly ConversationRow[];
  readonly hierarchy: readonly ProtocolHierarchyRow[];
  /** The top-talkers ranking over the packets in the file (bytes on the wire). */
  readonly talkers: readonly TalkerStatRow[];
  /** The ranking over the flows sampled inside sFlow datagrams (bytes scaled by the sampling rate). */
  readonly sampledTalkers: readonly TalkerStatRow[];
  readonly sflowSamples: number;
}

// ---- extension → webview ----
export interface CaptureInfoMessage {
  readonly type: 'capture/info';
  readonly fileName: string;
  readonly fileSize: number;
  /** UDP ports decoded as sFlow. */
  readonly sflowPorts: readonly number[];
  /** Why the filter box is off, while it is (the pcap-filter compiler is not part of this build yet). */
  readonly filterUnavailable?: string;
}
export interface CaptureProgressMessage {
  readonly type: 'capture/progress';
  readonly count: number;
  readonly bytesRead: number;
  readonly done: boolean;
  readonly error?: CaptureBreak;
  /** Milliseconds since the file was opened. */
  readonly elapsedMs: number;
}
export interface CaptureRowsMessage { readonly type: 'capture/rows'; readonly from: number; readonly rows: readonly CaptureRow[] }
export interface CaptureDetailMessage { readonly type: 'capture/detail'; readonly number: number; readonly packet: DecodedPacket }
export interface CaptureStatisticsMessage { readonly type: 'capture/statistics'; readonly statistics: CaptureStatistics }
export interface CaptureNoticeMessage { readonly type: 'capture/notice'; readonly text: string; readonly error?: boolean }

export type CaptureToWebview =
  | CaptureInfoMessage
  | CaptureProgressMessage
  | CaptureRowsMessage
  | CaptureDetailMessage
  | CaptureStatisticsMessage
  | CaptureNoticeMessage;

// ---- webview → extension ----
export interface CaptureReadyMessage { readonly type: 'ready' }
export interface CaptureRowsRequest { readonly type: 'capture/rowsRequest'; readonly from: number; readonly to: number }
export interface CaptureDetailRequest { readonly type: 'capture/detailRequest'; readonly number: number }
export interface CaptureDecodeAsRequest { readonly type: 'capture/decodeAs'; readonly sflowPorts: readonly number[] }
/** Export packets (1-based numbers; all when absent) to a new pcapng the user names. */
export interface CaptureExportRequest { readonly type: 'capture/export'; readonly numbers?: readonly number[] }
export interface CaptureErrorMessage { readonly type: 'error'; readonly message: string }

export type WebviewToCapture = CaptureReadyMessage | CaptureRowsRequest | CaptureDetailRequest | CaptureDecodeAsRequest | CaptureExportRequest | CaptureErrorMessage;

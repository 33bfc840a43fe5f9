/**
 * Messages between the capture viewer (the custom editor `labtel.capture`) and its webview. The webview
 * holds no packets: it asks for the window of rows in view (one request in flight, as Jupyter's data viewer
 * does) and for one packet's detail; the extension answers from the worker's index of the file. A filter
 * makes a new list (a view, numbered): rows are asked for and answered with the view they belong to.
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

/** A frame link type the filter has no program for: its frames are not tested (they do not match). */
export interface UntestedLinkType {
  readonly linkType: number;
  readonly frames: number;
  readonly reason: string;
}

/** The list a filter keeps, while its pass over the file runs and once it is done. */
export interface FilterState {
  /** Each expression applied gets a new number; 0 is the unfiltered list (every packet). */
  readonly view: number;
  /** '' for the unfiltered list. */
  readonly expression: string;
  /** Packets that match so far. */
  readonly matched: number;
  /** Packets tested so far. */
  readonly scanned: number;
  /** Every packet of the file is tested. */
  readonly done: boolean;
  readonly untested: readonly UntestedLinkType[];
}

/** A bad expression, as labtel's pcap-filter compiler reports it. */
export interface FilterErrorInfo {
  readonly expression: string;
  /** `LINE:COLUMN: reason`. */
  readonly message: string;
  /** The range at fault in the expression (0-based, end exclusive; start = end for a missing token). */
  readonly start: number;
  readonly end: number;
}

// ---- extension → webview ----
export interface CaptureInfoMessage {
  readonly type: 'capture/info';
  readonly fileName: string;
  readonly fileSize: number;
  /** UDP ports decoded as sFlow. */
  readonly sflowPorts: readonly number[];
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
/** Rows from `from` of the list `view` (0: every packet; else the filter of that number). */
export interface CaptureRowsMessage { readonly type: 'capture/rows'; readonly view: number; readonly from: number; readonly rows: readonly CaptureRow[] }
export interface CaptureDetailMessage { readonly type: 'capture/detail'; readonly number: number; readonly packet: DecodedPacket }
export interface CaptureStatisticsMessage { readonly type: 'capture/statistics'; readonly statistics: CaptureStatistics }
export interface CaptureNoticeMessage { readonly type: 'capture/notice'; readonly text: string; readonly error?: boolean }
/** The list shown now and how far its filter has got (sent on every change, and when a page says ready). */
export interface CaptureFilterMessage { readonly type: 'capture/filter'; readonly state: FilterState }
/** An expression the compiler refused: the list stays as it was. */
export interface CaptureFilterErrorMessage { readonly type: 'capture/filterError'; readonly error: FilterErrorInfo }

export type CaptureToWebview =
  | CaptureInfoMessage
  | CaptureProgressMessage
  | CaptureRowsMessage
  | CaptureDetailMessage
  | CaptureStatisticsMessage
  | CaptureNoticeMessage
  | CaptureFilterMessage
  | CaptureFilterErrorMessage;

// ---- webview → extension ----
export interface CaptureReadyMessage { readonly type: 'ready' }
export interface CaptureRowsRequest { readonly type: 'capture/rowsRequest'; readonly view: number; readonly from: number; readonly to: number }
export interface CaptureDetailRequest { readonly type: 'capture/detailRequest'; readonly number: number }
export interface CaptureDecodeAsRequest { readonly type: 'capture/decodeAs'; readonly sflowPorts: readonly number[] }
/** Export packets (1-based numbers; when absent, the list shown: every packet, or the filter's) to a new pcapng the user names. */
export interface CaptureExportRequest { readonly type: 'capture/export'; readonly numbers?: readonly number[] }
/** Filter with a pcap-filter expression ('' shows every packet). */
export interface CaptureFilterRequest { readonly type: 'capture/filter'; readonly expression: string }
export interface CaptureErrorMessage { readonly type: 'error'; readonly message: string }

export type WebviewToCapture = CaptureReadyMessage | CaptureRowsRequest | CaptureDetailRequest | CaptureDecodeAsRequest | CaptureExportRequest | CaptureFilterRequest | CaptureErrorMessage;

/**
 * The agents' event schema: one JSON object per line on stdout (NDJSON). Every side — the agents,
 * the CLI, the extension's AgentManager and the webviews — uses these types and nothing else.
 *
 * Versioning: `v` is the schema's major version. A reader accepts events with the same `v` and ignores
 * fields it does not know; a change that removes or retypes a field bumps it.
 */
export const EVENT_SCHEMA_VERSION = 1;

interface EventBase {
  v: typeof EVENT_SCHEMA_VERSION;
  /** Which agent wrote it: "capture", "top-talkers", "bgp-ping". */
  agent: AgentName;
  /** Wall-clock time the event was written, milliseconds since the Unix epoch. */
  ts: number;
}

export type AgentName = 'capture' | 'top-talkers' | 'bgp-ping';

/** One flow record of one sFlow sample, as the capture agent saw it. */
export interface FlowEvent extends EventBase {
  type: 'flow';
  agentAddress: string;
  sampleSequence: number;
  samplingRate: number;
  inputInterface: number;
  outputInterface: number;
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  protocol?: number;
  frameLength: number;
}

/** One row of the top-talker ranking. */
export interface TalkerRow {
  rank: number;
  /** The endpoint that sorts first in the bidirectional key, "addr:port" or "addr". */
  a: string;
  b: string;
  protocol: number;
  bytes: number;
  packets: number;
  samples: number;
  /** Estimated rate over the window, bits per second. */
  bps: number;
  /** Share of the window's total, 0..1, in the ranking's unit. */
  share: number;
}

export interface TalkersEvent extends EventBase {
  type: 'talkers';
  window: number;
  by: 'bytes' | 'packets' | 'samples';
  flows: number;
  rows: TalkerRow[];
}

/** Counters every agent reports at its interval and once at exit. */
export interface StatsEvent extends EventBase {
  type: 'stats';
  datagrams: number;
  samples: number;
  records: number;
  malformed: number;
  dropped: number;
  evicted?: number;
  /** Kernel drops reported by libpcap, when reading the wire. */
  pcapDropped?: number;
}

export interface LogEvent extends EventBase {
  type: 'log';
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export interface RttEvent extends EventBase {
  type: 'rtt';
  responder: string;
  seq: number;
  rttMs: number;
  /** The reply's probe attribute had its Partial bit set: a router on the way passed it on without knowing it. */
  partial?: boolean;
}

/** A responder answered a probe (bgp-ping `-p`, or any speaker probed by another). */
export interface ReplyEvent extends EventBase {
  type: 'reply';
  /** The prober's id (the probe's source). */
  prober: string;
  /** The probe's sequence number (v1 layout; the seed layout has none). */
  seq?: number;
  /** How long this responder held the probe: from its bytes read off the socket to the reply's write, µs. */
  turnaroundUs: number;
}

export interface LostEvent extends EventBase {
  type: 'lost';
  seq: number;
  /** Responders expected but not heard from before the probe timed out. */
  responders: string[];
}

export interface SessionEvent extends EventBase {
  type: 'session';
  peer: string;
  state: 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';
  reason?: string;
}

export type AgentEvent = FlowEvent | TalkersEvent | StatsEvent | LogEvent | RttEvent | ReplyEvent | LostEvent | SessionEvent;
export type AgentEventType = AgentEvent['type'];

/** Distributes Omit over the union so each event keeps its own fields. */
export type EventBody<E extends AgentEvent = AgentEvent> = E extends AgentEvent ? Omit<E, 'v' | 'agent' | 'ts'> : never;

const TYPES: ReadonlySet<string> = new Set<AgentEventType>(['flow', 'talkers', 'stats', 'log', 'rtt', 'reply', 'lost', 'session']);

/** A line that is not an event of this schema, with why. */
export class EventParseError extends Error {
  override readonly name = 'EventParseError';
}

/** Parses one NDJSON line into an event, checking the envelope (version, type, agent, ts). */
export function parseEvent(line: string): AgentEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new EventParseError(`not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null) throw new EventParseError('not an object');
  const e = value as Record<string, unknown>;
  if (e.v !== EVENT_SCHEMA_VERSION) throw new EventParseError(`schema version ${String(e.v)}, expected ${EVENT_SCHEMA_VERSION}`);
  if (typeof e.type !== 'string' || !TYPES.has(e.type)) throw new EventParseError(`unknown event type ${JSON.stringify(e.type)}`);
  if (typeof e.agent !== 'string') throw new EventParseError('missing agent');
  if (typeof e.ts !== 'number') throw new EventParseError('missing ts');
  return e as unknown as AgentEvent;
}

/**
 * The agents' event schema: one JSON object per line on stdout (NDJSON). Every side — the agents,
 * the CLI, the extension's AgentManager and the webviews — uses these types and nothing else.
 *
 * Versioning: `v` is the schema's major version. A reader accepts events with the same `v` and ignores
 * fields it does not know; a change that removes or retypes a field bumps it. New event types are
 * additive: a reader skips a type it does not know (UnknownEventTypeError, see EventLineReader), so an
 * older editor keeps working with a newer agent.
 */
import type { AgentName } from './agents';

export const EVENT_SCHEMA_VERSION = 1;

interface EventBase {
  v: typeof EVENT_SCHEMA_VERSION;
  /** Which agent wrote it: "capture", "top-talkers", "bgp-ping". */
  agent: AgentName;
  /** Wall-clock time the event was written, milliseconds since the Unix epoch. */
  ts: number;
}

/** One flow record of one sFlow sample, as the capture agent saw it. */
export interface FlowEvent extends EventBase {
  type: 'flow';
  agentAddress: string;
  sampleSequence: number;
  samplingRate: number;
  inputInterface: number;
  outputInterface: number;
  /**
   * The sFlow v5 `interface` format of the two values above (sFlow v5, flow_sample: the top two bits):
   * 0 an ifIndex, 1 (output only) a discard reason, 2 (output only) how many interfaces. Absent means 0.
   */
  inputFormat?: number;
  outputFormat?: number;
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  protocol?: number;
  frameLength: number;
  /**
   * The sampled packet's header as the exporter sent it (sFlow raw packet header record, hex), and its
   * header_protocol (sFlow v5 §5.3.2: 1 ethernet, 11 IPv4, 12 IPv6); absent for sampled IPv4/IPv6 records.
   */
  header?: string;
  headerProtocol?: number;
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
  /** The most rows the agent ranks (its --top); `rows` may hold fewer. Absent from agents before it was sent. */
  top?: number;
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
  /** The probe's sequence number (v1 layout; the book layout has none). */
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
  override readonly name: string = 'EventParseError';
}

/** A well-formed event of a type this reader does not know: written by a newer agent, to be skipped. */
export class UnknownEventTypeError extends EventParseError {
  override readonly name = 'UnknownEventTypeError';
  constructor(readonly type: string) {
    super(`unknown event type ${JSON.stringify(type)}`);
  }
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
  if (typeof e.type !== 'string') throw new EventParseError(`event type ${JSON.stringify(e.type)} is not a string`);
  if (typeof e.agent !== 'string') throw new EventParseError('missing agent');
  if (typeof e.ts !== 'number') throw new EventParseError('missing ts');
  if (!TYPES.has(e.type)) throw new UnknownEventTypeError(e.type);
  return e as unknown as AgentEvent;
}

/**
 * Reads an agent's stdout line by line: events go to `onEvent`; a line that is not an event goes to
 * `onOther` (agents may print text before their first event, or a crash's stack); an event type this
 * reader does not know is skipped and reported to `onOther` once per type, not per line.
 */
export class EventLineReader {
  private readonly unknownTypes = new Set<string>();
  /** Lines skipped because their event type is unknown here. */
  skippedUnknown = 0;

  constructor(
    private readonly onEvent: (event: AgentEvent) => void,
    private readonly onOther: (line: string, why: string) => void,
  ) {}

  line(text: string): void {
    if (text.length === 0) return;
    let event: AgentEvent;
    try {
      event = parseEvent(text);
    } catch (err) {
      if (err instanceof UnknownEventTypeError) {
        this.skippedUnknown++;
        if (!this.unknownTypes.has(err.type)) {
          this.unknownTypes.add(err.type);
          this.onOther(text, `skipping events of type ${JSON.stringify(err.type)}, which this version of labtel does not know (shown once)`);
        }
        return;
      }
      this.onOther(text, (err as Error).message);
      return;
    }
    this.onEvent(event);
  }
}

import type { Writable } from 'node:stream';
import type { AgentName } from '../../shared/agents';
import { EVENT_SCHEMA_VERSION, type EventBody } from '../../shared/events';

/**
 * Writes events as NDJSON. stdout is the agent's data channel: when its reader goes away (EPIPE),
 * the agent keeps running (its other outputs, /metrics, may still be read) and stops writing.
 */
export class EventWriter {
  private closed = false;
  written = 0;

  constructor(
    private readonly agent: AgentName,
    private readonly out: Writable = process.stdout,
    private readonly clock: () => number = Date.now,
  ) {
    out.on('error', () => { this.closed = true; });
  }

  emit(body: EventBody): void {
    if (this.closed) return;
    this.out.write(`${JSON.stringify({ v: EVENT_SCHEMA_VERSION, agent: this.agent, ts: this.clock(), ...body })}\n`);
    this.written++;
  }

  /** Resolves once everything written so far has been handed to the OS. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.out.write('', () => resolve()));
  }
}

import { createServer, type Server } from 'node:http';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { AgentName } from '../../shared/agents';

/** The counters every sFlow-reading agent exports, in one registry of its own (no global state). */
export class IngestMetrics {
  readonly registry = new Registry();
  readonly datagrams: Counter;
  readonly samples: Counter;
  readonly records: Counter;
  readonly malformed: Counter;
  readonly dropped: Counter;
  private readonly syncs: Array<() => void> = [];

  constructor(agent: AgentName) {
    const prefix = `labtel_${agent.replace(/-/g, '_')}`;
    this.registry.setDefaultLabels({ agent });
    const collect = () => { for (const sync of this.syncs) sync(); };
    this.datagrams = new Counter({ name: `${prefix}_datagrams_total`, help: 'sFlow datagrams received', registers: [this.registry], collect });
    this.samples = new Counter({ name: `${prefix}_samples_total`, help: 'sFlow samples decoded', registers: [this.registry], collect });
    this.records = new Counter({ name: `${prefix}_records_total`, help: 'flow records decoded', registers: [this.registry], collect });
    this.malformed = new Counter({ name: `${prefix}_malformed_total`, help: 'datagrams, samples or records that failed to decode and were skipped', labelNames: ['what'], registers: [this.registry], collect });
    this.dropped = new Counter({ name: `${prefix}_dropped_total`, help: 'packets dropped before decoding (kernel or socket buffer)', registers: [this.registry], collect });
    collectDefaultMetrics({ register: this.registry, prefix: `${prefix}_` });
  }

  /**
   * Registers a function that brings the counters up to date; it runs before each counter is read
   * (every scrape), so a hot path can count in plain numbers and leave prom-client out of it.
   * It may run several times per scrape: it must add only what is new since its last run.
   */
  onCollect(sync: () => void): void {
    this.syncs.push(sync);
  }
}

/**
 * Serves GET /metrics in Prometheus' text format on host:port. Resolves once listening; the
 * returned server is closed by the agent's shutdown.
 */
export function serveMetrics(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/metrics' && !req.url?.startsWith('/metrics?'))) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('labtel agent: only GET /metrics is served\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`--metrics ${host}:${port}: ${err.message}`)));
    server.listen(port, host, () => resolve(server));
  });
}

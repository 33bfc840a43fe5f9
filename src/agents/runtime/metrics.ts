import { createServer, type Server } from 'node:http';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { AgentName } from '../events';

/** The counters every sFlow-reading agent exports, in one registry of its own (no global state). */
export class IngestMetrics {
  readonly registry = new Registry();
  readonly datagrams: Counter;
  readonly samples: Counter;
  readonly records: Counter;
  readonly malformed: Counter;
  readonly dropped: Counter;

  constructor(agent: AgentName) {
    const prefix = `labtel_${agent.replace(/-/g, '_')}`;
    this.registry.setDefaultLabels({ agent });
    this.datagrams = new Counter({ name: `${prefix}_datagrams_total`, help: 'sFlow datagrams received', registers: [this.registry] });
    this.samples = new Counter({ name: `${prefix}_samples_total`, help: 'sFlow samples decoded', registers: [this.registry] });
    this.records = new Counter({ name: `${prefix}_records_total`, help: 'flow records decoded', registers: [this.registry] });
    this.malformed = new Counter({ name: `${prefix}_malformed_total`, help: 'datagrams, samples or records that failed to decode and were skipped', labelNames: ['what'], registers: [this.registry] });
    this.dropped = new Counter({ name: `${prefix}_dropped_total`, help: 'packets dropped before decoding (kernel or socket buffer)', registers: [this.registry] });
    collectDefaultMetrics({ register: this.registry, prefix: `${prefix}_` });
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

import http from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * An http.Agent whose every connection is a stream `open` makes (a relayed connection into the lab
 * node), for the inspector's WebSocket handshake and its /json/list.
 *
 * `createConnection` alone is not enough inside VS Code's extension host: its proxy support patches
 * http.request (@vscode/proxy-agent's createHttpPatch) and gives every request without an agent one of
 * its own, which opens a plain TCP connection from the extension host itself — where nothing listens
 * on the inspector's port (ECONNREFUSED). An agent given by the caller is kept for direct (localhost)
 * connections, so the relayed stream is used there as everywhere else.
 */
export class RelayAgent extends http.Agent {
  constructor(private readonly open: () => Duplex) {
    super({ keepAlive: false });
  }

  /** Called by http.Agent for each new connection; a Duplex stands in for a net.Socket (the method's documented contract). */
  override createConnection(): Duplex {
    return this.open();
  }
}

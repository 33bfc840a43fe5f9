/**
 * The relay that runs inside the lab node, as `node -e RELAY_SCRIPT`: for each OPEN frame on its
 * stdin it connects to 127.0.0.1:<port> in the node's own network namespace (where the agent's
 * inspector listens) and carries the bytes both ways in the framing of relayFrames.ts. It needs no
 * file in the node (the text travels in argv), binds no port, and exits when its stdin closes — the
 * adapter going away, by any means, takes the relay with it.
 *
 * Plain JavaScript text, not a bundled function: it runs under the node's own `node`, whatever
 * the adapter was built with. test/unit/debug/relay.test.ts runs it against real sockets.
 */
export const RELAY_SCRIPT = String.raw`// labtel relay (src/debug/relay/relayScript.ts)
'use strict';
const net = require('net');
const HEADER = 9, OPEN = 1, DATA = 2, END = 3, MAX = 64 * 1024 * 1024;
const conns = new Map();
let pending = Buffer.alloc(0);
function send(kind, id, payload) {
  const h = Buffer.allocUnsafe(HEADER);
  h[0] = kind; h.writeUInt32BE(id, 1); h.writeUInt32BE(payload.length, 5);
  process.stdout.write(payload.length ? Buffer.concat([h, payload]) : h);
}
function closed(id, message) {
  if (!conns.delete(id)) return;
  send(END, id, Buffer.from(message || '', 'utf8'));
}
function onFrame(kind, id, payload) {
  if (kind === OPEN) {
    const port = payload.readUInt16BE(0);
    // No Nagle: a CDP message and its WebSocket header are written apart, and on loopback Nagle with
    // delayed ACKs held each round trip ~40 ms (bench/debug.ts: raw inspector vars p95 48 ms before).
    const socket = net.connect({ host: '127.0.0.1', port: port, noDelay: true });
    let failure = '';
    conns.set(id, socket);
    socket.on('data', (d) => send(DATA, id, d));
    socket.on('error', (e) => { failure = 'connect to 127.0.0.1:' + port + ' in the node: ' + e.message; });
    socket.on('close', () => closed(id, failure));
  } else if (kind === DATA) {
    const socket = conns.get(id);
    if (socket) socket.write(payload);
  } else if (kind === END) {
    const socket = conns.get(id);
    if (socket) { conns.delete(id); socket.destroy(); }
  } else {
    process.stderr.write('labtel relay: unknown frame kind ' + kind + '\n');
    process.exit(2);
  }
}
process.stdin.on('data', (chunk) => {
  pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
  let at = 0;
  while (pending.length - at >= HEADER) {
    const length = pending.readUInt32BE(at + 5);
    if (length > MAX) { process.stderr.write('labtel relay: frame of ' + length + ' bytes\n'); process.exit(2); }
    if (pending.length - at < HEADER + length) break;
    onFrame(pending[at], pending.readUInt32BE(at + 1), pending.subarray(at + HEADER, at + HEADER + length));
    at += HEADER + length;
  }
  pending = pending.subarray(at);
});
process.stdin.on('end', () => { for (const s of conns.values()) s.destroy(); process.exit(0); });
process.stdout.on('error', () => process.exit(0));
`;

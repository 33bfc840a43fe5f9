// The transport baseline of `npm run bench -- bgp` part 2: two plain Node processes that do nothing but
// bounce a message of a BGP probe UPDATE's size over TCP, on the same path and at the same cadence as the
// bgp-ping agents. What the agents take beyond this is their own share of the round-trip time.
//
//   node tcpEcho.mjs server ADDR PORT
//   node tcpEcho.mjs client ADDR PORT BYTES INTERVAL_MS COUNT   → one RTT in µs per line on stdout
import net from 'node:net';

const [role, host, portText, bytesText, intervalText, countText] = process.argv.slice(2);
const port = Number(portText);

if (role === 'server') {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('error', () => undefined);
  });
  server.listen(port, host, () => process.stderr.write(`echo listening on ${host}:${port}\n`));
  process.on('SIGTERM', () => process.exit(0));
} else if (role === 'client') {
  const bytes = Number(bytesText);
  const count = Number(countText);
  const message = Buffer.alloc(bytes, 0xff); // a BGP marker's worth of 0xff, then more: the content does not matter
  const socket = net.connect(port, host, () => {
    socket.setNoDelay(true);
    let sentAt = 0n;
    let got = 0;
    let done = 0;
    socket.on('data', (chunk) => {
      got += chunk.length;
      if (got < bytes) return; // a split echo: the round trip ends with its last byte
      got -= bytes;
      process.stdout.write(`${Number(process.hrtime.bigint() - sentAt) / 1000}\n`);
      if (++done >= count) { socket.end(); process.exit(0); }
    });
    setInterval(() => { sentAt = process.hrtime.bigint(); socket.write(message); }, Number(intervalText));
  });
  socket.on('error', (e) => { process.stderr.write(`echo client: ${e.message}\n`); process.exit(1); });
} else {
  process.stderr.write('usage: tcpEcho.mjs server ADDR PORT | client ADDR PORT BYTES INTERVAL_MS COUNT\n');
  process.exit(2);
}

// The relay's framing and the in-node relay script, against real sockets on loopback: the script
// runs as `node -e RELAY_SCRIPT` exactly as it does in a lab node, here with plain spawn.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { encodeFrame, FrameKind, FrameReader, RelayFramingError } from '../../../src/debug/relay/relayFrames';
import { RelayClient } from '../../../src/debug/relay/relayClient';
import { RELAY_SCRIPT } from '../../../src/debug/relay/relayScript';

describe('relay framing', () => {
  const frames = [
    { kind: FrameKind.Open, id: 1, payload: Buffer.from([0x23, 0x8d]) },
    { kind: FrameKind.Data, id: 1, payload: Buffer.from('GET /json/list HTTP/1.1\r\n\r\n') },
    { kind: FrameKind.Data, id: 7, payload: Buffer.alloc(70_000, 0xab) },
    { kind: FrameKind.End, id: 1, payload: Buffer.alloc(0) },
    { kind: FrameKind.End, id: 7, payload: Buffer.from('connect ECONNREFUSED') },
  ];
  const stream = Buffer.concat(frames.map((f) => encodeFrame(f.kind, f.id, f.payload)));

  for (const chunk of [1, 2, 9, 10, 4096, stream.length]) {
    test(`frames come out whole and in order when the stream arrives in ${chunk}-byte chunks`, () => {
      const reader = new FrameReader();
      const got = [];
      for (let at = 0; at < stream.length; at += chunk) got.push(...reader.push(stream.subarray(at, at + chunk)));
      assert.deepEqual(got.map((f) => ({ kind: f.kind, id: f.id, payload: f.payload.toString('hex') })), frames.map((f) => ({ kind: f.kind, id: f.id, payload: f.payload.toString('hex') })));
      assert.equal(reader.buffered, 0);
    });
  }

  test('the header is kind, connection id and length, big-endian (9 bytes)', () => {
    assert.equal(encodeFrame(FrameKind.Data, 0x01020304, Buffer.from('hi')).toString('hex'), '02' + '01020304' + '00000002' + '6869');
  });

  const bad: Array<[string, Buffer, RegExp]> = [
    ['an unknown kind', Buffer.from('090000000100000000', 'hex'), /at byte 0: unknown kind 9/],
    ['a length over the limit', Buffer.from('0200000001ffffffff', 'hex'), /at byte 0: payload of 4294967295 bytes/],
  ];
  for (const [what, bytes, message] of bad) {
    test(`${what} is a framing error naming the byte offset`, () => {
      const reader = new FrameReader();
      assert.throws(() => reader.push(Buffer.concat([encodeFrame(FrameKind.Data, 1, Buffer.from('ok')), bytes])), (err: Error) => err instanceof RelayFramingError && /at byte 11/.test(err.message));
      assert.throws(() => new FrameReader().push(bytes), message);
    });
  }
});

describe('the relay script', () => {
  function startRelay(): RelayClient {
    return new RelayClient(spawn(process.execPath, ['-e', RELAY_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] }), 'the test');
  }

  test('carries several connections at once, each to its own socket, bytes intact both ways', async () => {
    const server = net.createServer((s) => s.pipe(s)); // echo
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const relay = startRelay();
    try {
      const payloads = [Buffer.alloc(200_000).map((_, i) => i * 7), Buffer.from('second connection'), Buffer.from([0, 255, 10, 13])];
      const echoed = await Promise.all(payloads.map((p) => new Promise<Buffer>((resolve, reject) => {
        const c = relay.open(port);
        const got: Buffer[] = [];
        let n = 0;
        c.on('data', (d: Buffer) => { got.push(d); n += d.length; if (n >= p.length) { resolve(Buffer.concat(got)); c.destroy(); } });
        c.on('error', reject);
        c.write(p);
      })));
      echoed.forEach((e, k) => assert.ok(e.equals(payloads[k]!), `connection ${k} echoed ${e.length} bytes`));
    } finally {
      await relay.close();
      server.close();
    }
  });

  test('an HTTP request and its answer pass through a relayed connection (as the inspector\'s discovery GET does)', async () => {
    const server = http.createServer((req, res) => res.end(JSON.stringify({ host: req.headers.host, url: req.url })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const relay = startRelay();
    try {
      const body = await new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/json/list', agent: false, createConnection: (() => relay.open(port)) as never }, (res) => {
          let b = '';
          res.on('data', (c) => { b += c; });
          res.on('end', () => resolve(b));
        }).on('error', reject);
      });
      assert.deepEqual(JSON.parse(body), { host: `127.0.0.1:${port}`, url: '/json/list' });
    } finally {
      await relay.close();
      server.close();
    }
  });

  test('a refused connection ends with the relay\'s error text, and the relay carries on', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const relay = startRelay();
    try {
      const err = await new Promise<Error>((resolve) => relay.open(closedPort).on('error', resolve));
      assert.match(err.message, new RegExp(`connect to 127.0.0.1:${closedPort} in the node: .*ECONNREFUSED`));
      const server = net.createServer((s) => s.end('still here'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const text = await new Promise<string>((resolve) => {
        let t = '';
        relay.open((server.address() as net.AddressInfo).port).on('data', (d) => { t += d; }).on('end', () => resolve(t));
      });
      assert.equal(text, 'still here');
      server.close();
    } finally {
      await relay.close();
    }
  });

  test('the relay exits when its stdin closes, closing its connections', async () => {
    let serverSide: net.Socket | undefined;
    const server = net.createServer((s) => { serverSide = s; });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const child = spawn(process.execPath, ['-e', RELAY_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const relay = new RelayClient(child, 'the test');
    const relayed = relay.open((server.address() as net.AddressInfo).port);
    const relayedError = new Promise<Error>((r) => relayed.on('error', r));
    while (!serverSide) await new Promise((r) => setTimeout(r, 10));
    const socketClosed = new Promise((r) => serverSide!.on('close', r));
    child.stdin!.end();
    const code = await new Promise((r) => child.on('exit', r));
    assert.equal(code, 0);
    await socketClosed;
    assert.match((await relayedError).message, /the relay in the test exited \(code 0\)/);
    server.close();
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { procNetAddress, procNetUdpSocket, UdpSource } from '../../../src/agents/sources/udpSource';

const addressCases: { address: string; port: number; order: 'LE' | 'BE'; want: string }[] = [
  { address: '127.0.0.1', port: 6343, order: 'LE', want: '0100007F:18C7' },
  { address: '127.0.0.1', port: 6343, order: 'BE', want: '7F000001:18C7' },
  { address: '0.0.0.0', port: 53, order: 'LE', want: '00000000:0035' },
  { address: '::1', port: 6343, order: 'LE', want: '00000000000000000000000001000000:18C7' },
  { address: '2001:db8::5', port: 1, order: 'LE', want: 'B80D0120000000000000000005000000:0001' },
  { address: '2001:db8::5', port: 1, order: 'BE', want: '20010DB8000000000000000000000005:0001' },
];
for (const c of addressCases) {
  test(`/proc/net/udp address of ${c.address}:${c.port} on a ${c.order === 'LE' ? 'little' : 'big'}-endian host is ${c.want}`, () => {
    assert.equal(procNetAddress(c.address, c.port, c.order), c.want);
  });
}

// Two lines as Linux 6.x prints them (one for another socket), under the header.
const table = [
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ',
  '  871: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 23811 2 00000000a3b1c2d4 0        ',
  '14078: 0100007F:18C7 00000000:0000 07 00000000:00003400 00:00000000 00000000     0        0 692688 2 0000000097c14f25 1234     ',
].join('\n');

test('the line of the socket bound to an address gives its inode and kernel drop count; another address gives nothing', () => {
  assert.deepEqual(procNetUdpSocket(table, '0100007F:18C7'), { inode: 692688, drops: 1234 });
  assert.deepEqual(procNetUdpSocket(table, '00000000:0035'), { inode: 23811, drops: 0 });
  assert.equal(procNetUdpSocket(table, '0100007F:0035'), undefined);
});

/** Sends `count` datagrams (each a 4-byte index and `size` - 4 bytes of filler) synchronously, without yielding. */
function sendBurst(port: number, count: number, size: number): Promise<void> {
  const s = createSocket('udp4');
  const d = Buffer.alloc(size, 0xab);
  for (let i = 0; i < count; i++) {
    d.writeUInt32BE(i, 0);
    s.send(Buffer.from(d), port, '127.0.0.1');
  }
  return new Promise((resolve) => setTimeout(() => s.close(() => resolve()), 50));
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

test('a burst queued behind one message is read in batches, every datagram once, each with its own bytes', async () => {
  const seen = new Set<number>();
  let badBytes = 0;
  const source = await UdpSource.listen('127.0.0.1', 0, (buf, start, end) => {
    seen.add(buf.readUInt32BE(start));
    if (end - start !== 200 || buf[end - 1] !== 0xab) badBytes++;
  });
  try {
    assert.equal(source.readsInBatches, true, 'the socket descriptor was found through /proc');
    await sendBurst(source.address.port, 2000, 200);
    await until(() => source.datagrams >= 2000, 5000);
    assert.equal(source.datagrams, 2000);
    assert.equal(seen.size, 2000);
    assert.equal(badBytes, 0);
    assert.ok(source.batched > 1000, `${source.batched} of 2000 read in batches`);
    assert.equal(source.kernelDrops(), 0);
  } finally {
    await source.close();
  }
});

test('datagrams the kernel drops on a full receive buffer are reported: received + dropped = sent', async () => {
  let received = 0;
  // The smallest receive buffer the kernel allows: a burst sent without yielding overflows it.
  const source = await UdpSource.listen('127.0.0.1', 0, () => { received++; }, 1);
  try {
    await sendBurst(source.address.port, 3000, 1000);
    let drops = 0;
    await until(() => { drops = source.kernelDrops() ?? -1; return received + drops >= 3000; }, 5000);
    assert.ok(drops > 0, `dropped ${drops}`);
    assert.equal(received + drops, 3000);
  } finally {
    await source.close();
  }
});

test('after close the source reads nothing and reports no drops', async () => {
  const source = await UdpSource.listen('127.0.0.1', 0, () => {});
  await source.close();
  assert.equal(source.readsInBatches, false);
  assert.equal(source.kernelDrops(), undefined);
});

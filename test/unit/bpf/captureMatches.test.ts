// captureMatches (what "labtel: Test Filter Against Capture" reports): the frames of a capture an expression
// accepts are the frames `tcpdump -r FILE EXPR` writes, for Ethernet and raw-IP captures; a frame of a link
// type labtel does not compile for is an error naming the frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { captureMatches, UnsupportedLinkTypeError } from '../../../src/bpf/captureMatches';
import { ParseError } from '../../../src/bpf';
import { readCapture } from '../../../src/protocols/capture';
import { repoRoot } from '../../helpers/corpus';
import { readPackets, tcpdumpAccepts } from '../../helpers/tcpdump';
import { requirePrereqs } from '../../helpers/tools';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'bpf');

for (const file of ['varied.pcap', 'varied-raw.pcap']) {
  // vlan has no meaning on raw IP (libpcap refuses it there too).
  const expressions = ['ip and udp', 'tcp port 80 or icmp6', 'not ip', 'src net 192.0.2.0/24', ...(file === 'varied.pcap' ? ['vlan and udp port 6343'] : [])];
  for (const expression of expressions) {
    test(`'${expression}' on ${file}: the frames tcpdump -r accepts`, async (t) => {
      if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
      const full = path.join(fixtures, file);
      const packets = readPackets(full);
      const got = await captureMatches(expression, readCapture(full));
      assert.equal(got.packets, packets.length);
      assert.deepEqual(got.matches, tcpdumpAccepts(full, expression, packets).map((i) => i + 1));
    });
  }
}

test('a bad expression is refused before any frame is read', async () => {
  let read = 0;
  const frames = (function* () {
    read++;
    yield { data: new Uint8Array(60), originalLength: 60, linkType: 1 };
  })();
  await assert.rejects(captureMatches('host and tcp', frames), (e: unknown) => e instanceof ParseError && e.message === "1:6: expected a host address after 'host', found 'and'");
  assert.equal(read, 0);
});

test('a frame of another link type (Linux cooked, 113) is an error naming the frame', async () => {
  const frames = [1, 1, 113].map((linkType) => ({ data: new Uint8Array(60), originalLength: 60, linkType }));
  await assert.rejects(captureMatches('ip', frames), (e: unknown) => e instanceof UnsupportedLinkTypeError && e.frame === 3 && /link type 113/.test(e.message));
});

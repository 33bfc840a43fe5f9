// Address formatting: MAC and IPv4 as tshark prints them, IPv6 in RFC 5952 canonical form (section 4:
// lower case, no leading zeros, the longest run of ≥ 2 zero groups — the first on a tie — as "::";
// section 5: IPv4-mapped addresses in dotted quad), checked against the RFC's examples and against tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { formatIpv4, formatIpv6, formatMac } from '../../../src/protocols/addresses';
import { encodeCapture } from '../../../src/protocols/captureWriter';
import { requirePrereqs } from '../../helpers/tools';
import { writeFileSync } from 'node:fs';

function v6(groups: string): Uint8Array {
  // "2001:db8:0:0:1:0:0:1" fully written out (8 groups) → 16 bytes.
  const parts = groups.split(':');
  assert.equal(parts.length, 8);
  const out = new Uint8Array(16);
  parts.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  return out;
}

const ipv6Cases: Array<[string, string]> = [
  ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'], // RFC 5952 4.2.1
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // 4.2.2: a single zero group is not shortened
  ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // 4.2.3: the longest run
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // 4.2.3: the first of equal runs
  ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'], // 4.3: lower case
  ['0:0:0:0:0:0:0:0', '::'],
  ['0:0:0:0:0:0:0:1', '::1'],
  ['fe80:0:0:0:0:0:0:0', 'fe80::'],
  ['ff02:0:0:0:0:0:1:2', 'ff02::1:2'],
  ['0:0:0:0:0:ffff:c000:201', '::ffff:192.0.2.1'], // section 5: IPv4-mapped
  ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
  ['abcd:ef01:2345:6789:abcd:ef01:2345:6789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
  ['0:0:1:0:0:0:0:0', '0:0:1::'],
  ['0:1:0:0:0:0:0:0', '0:1::'],
];

for (const [full, canonical] of ipv6Cases) {
  test(`formatIpv6 ${full} → ${canonical}`, () => {
    assert.equal(formatIpv6(v6(full), 0), canonical);
  });
}

test('formatMac and formatIpv4 read at an offset', () => {
  const b = Uint8Array.of(9, 0x00, 0x1b, 0x21, 0x3c, 0x9d, 0xf8, 192, 0, 2, 255);
  assert.equal(formatMac(b, 1), '00:1b:21:3c:9d:f8');
  assert.equal(formatIpv4(b, 7), '192.0.2.255');
});

test('formatIpv6 agrees with tshark on every case above', (t) => {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  // One raw-IPv6 (link type 229) packet per case, the address as source, ::1 as destination.
  const packets = ipv6Cases.map(([full], i) => {
    const data = new Uint8Array(40);
    data[0] = 0x60;
    data[6] = 59; // no next header
    data[7] = 64;
    data.set(v6(full), 8);
    data[39] = 1;
    return { timestampNs: BigInt(i) * 1_000_000_000n, data };
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-addr-'));
  try {
    const file = path.join(dir, 'v6.pcap');
    writeFileSync(file, encodeCapture(packets, { format: 'pcap', linkType: 229 }));
    const run = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'ipv6.src'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(
      run.stdout.trim().split('\n'),
      ipv6Cases.map(([full]) => formatIpv6(v6(full), 0)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

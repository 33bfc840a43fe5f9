// "Copy as BPF filter" / "Capture this flow": the expression a flow row turns into must be one libpcap
// compiles and that captures that very packet. Oracle: Debian's tcpdump reading the corpus's
// varied-145.pcap with each row's expression (its frames are 1 ms apart: -tt's timestamps name them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { corpusPath } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { parseCapture } from '../../../src/protocols/capture';
import { decodeFrame } from '../../../src/protocols/packet';
import { flowFilter, servicePort } from '../../../src/shared/flowFilter';

const cases: Array<{ name: string; row: Parameters<typeof flowFilter>[0]; filter: string | undefined }> = [
  { name: 'UDP takes the lower port, the service', row: { src: '203.0.113.2', dst: '203.0.113.253', srcPort: 46012, dstPort: 5201, protocol: 17 }, filter: 'host 203.0.113.2 and host 203.0.113.253 and udp port 5201' },
  { name: 'TCP the same, in either direction', row: { src: '192.0.2.4', dst: '203.0.113.3', srcPort: 179, dstPort: 40022, protocol: 6 }, filter: 'host 192.0.2.4 and host 203.0.113.3 and tcp port 179' },
  { name: 'IPv6 addresses as they are, icmp6 by name', row: { src: '2001:db8::1', dst: '2001:db8::2', protocol: 58 }, filter: 'host 2001:db8::1 and host 2001:db8::2 and icmp6' },
  { name: 'ICMP has no port', row: { src: '198.51.100.1', dst: '198.51.100.2', protocol: 1 }, filter: 'host 198.51.100.1 and host 198.51.100.2 and icmp' },
  { name: 'a protocol without a primitive by number, IPv6 aware', row: { src: '2001:db8::1', dst: '2001:db8::2', protocol: 89 }, filter: 'host 2001:db8::1 and host 2001:db8::2 and ip6 proto 89' },
  { name: 'TCP cut before its ports: the protocol alone', row: { src: '192.0.2.1', dst: '192.0.2.2', protocol: 6 }, filter: 'host 192.0.2.1 and host 192.0.2.2 and tcp' },
  { name: 'no addresses, no filter', row: { protocol: 6 }, filter: undefined },
  { name: 'markup in an address is refused, not quoted into an expression', row: { src: '<img src=x>', dst: '192.0.2.1', protocol: 6 }, filter: undefined },
];

for (const c of cases) {
  test(`flowFilter: ${c.name}`, () => assert.equal(flowFilter(c.row), c.filter));
}

test('servicePort is the lower port of the two', () => {
  assert.equal(servicePort(55000, 443), 443);
  assert.equal(servicePort(6343, 6343), 6343);
});

test('every IP frame of varied-145.pcap is captured by tcpdump with its row\'s filter', (t) => {
  if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
  const file = corpusPath('bpf', 'varied-145.pcap');
  let checked = 0;
  const failures: string[] = [];
  [...parseCapture(readFileSync(file))].forEach((p, i) => {
    const d = decodeFrame(p.data, p.linkType);
    // Plain Ethernet + IP only: libpcap's `host` does not look inside VLAN tags, MPLS or tunnels unless told to.
    const kinds = d.layers.map((l) => l.kind);
    // libpcap's tcp/udp/icmp6 and port primitives read IPv6's fixed next-header only, not past extension
    // headers (pcap-filter(7), "ip6 protochain"): such packets are not what a flow's filter promises to catch.
    if (kinds.some((k) => k.startsWith('ipv6-'))) return;
    if (kinds[0] !== 'ethernet' || !(kinds[1] === 'ipv4' || kinds[1] === 'ipv6') || kinds.filter((k) => k === 'ipv4' || k === 'ipv6').length > 1) return;
    const filter = flowFilter(d);
    if (filter === undefined) { failures.push(`frame ${i + 1}: no filter`); return; }
    const r = spawnSync('tcpdump', ['-tt', '-nn', '-r', file, filter], { encoding: 'utf8' });
    if (r.status !== 0) { failures.push(`frame ${i + 1}: tcpdump refused "${filter}": ${r.stderr}`); return; }
    const stamps = r.stdout.split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
    const mine = `${p.timestampNs / 1_000_000_000n}.${String((p.timestampNs % 1_000_000_000n) / 1000n).padStart(6, '0')}`;
    if (!stamps.includes(mine)) failures.push(`frame ${i + 1} (${mine}): "${filter}" matched ${stamps.join(',')}`);
    checked++;
  });
  assert.deepEqual(failures, []);
  assert.ok(checked > 50, `checked ${checked} frames`);
});

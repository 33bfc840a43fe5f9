// Ethernet II (IEEE 802.3 clause 3.2.6), 802.1Q C-tags (IEEE 802.1Q-2018 9.6) and 802.1ad QinQ S-tags.
import { LayerCase, hex, layerCaseTests } from './frames';

const ipv4Udp = `
  45 00 00 1c 00 01 00 00 40 11 00 00 c0 00 02 01 c6 33 64 02  # IPv4, UDP, 192.0.2.1 -> 198.51.100.2
  04 d2 16 2e 00 08 00 00                                      # UDP 1234 -> 5678, length 8`;

const cases: LayerCase[] = [
  {
    name: 'Ethernet II carrying IPv4: addresses lower-case colon hex, EtherType 0x0800',
    first: 'ethernet',
    bytes: hex('00 11 22 33 44 55  66 77 88 99 aa bb  08 00', ipv4Udp),
    kinds: ['ethernet', 'ipv4', 'udp'],
    layers: { 0: { start: 0, end: 14, dst: '00:11:22:33:44:55', src: '66:77:88:99:aa:bb', ethertype: 0x0800 } },
    packet: { ethertype: 0x0800, vlan: undefined, src: '192.0.2.1', dst: '198.51.100.2', srcPort: 1234, dstPort: 5678, protocol: 17 },
  },
  {
    name: '802.1Q tag: PCP 5, DEI 1, VID 100 (TCI 0xb064), then IPv4',
    first: 'ethernet',
    bytes: hex('ff ff ff ff ff ff  02 00 00 00 00 01  81 00  b0 64 08 00', ipv4Udp),
    kinds: ['ethernet', 'vlan', 'ipv4', 'udp'],
    layers: { 1: { start: 14, end: 18, tpid: 0x8100, priority: 5, dei: true, id: 100, ethertype: 0x0800 } },
    packet: { vlan: [100], ethertype: 0x0800 },
  },
  {
    name: 'QinQ (802.1ad): S-tag 0x88a8 VID 10 outside C-tag VID 200',
    first: 'ethernet',
    bytes: hex('00 11 22 33 44 55  66 77 88 99 aa bb  88 a8  00 0a 81 00  00 c8 08 00', ipv4Udp),
    kinds: ['ethernet', 'vlan', 'vlan', 'ipv4', 'udp'],
    layers: { 1: { tpid: 0x88a8, id: 10, ethertype: 0x8100 }, 2: { tpid: 0x8100, id: 200, ethertype: 0x0800 } },
    packet: { vlan: [10, 200], ethertype: 0x0800, srcPort: 1234 },
  },
  {
    name: 'pre-standard S-tag 0x9100 is a VLAN tag too',
    first: 'ethernet',
    bytes: hex('00 11 22 33 44 55  66 77 88 99 aa bb  91 00  0f ff 86 dd'),
    kinds: ['ethernet', 'vlan'],
    layers: { 1: { tpid: 0x9100, id: 4095, priority: 0, dei: false, ethertype: 0x86dd } },
    packet: { vlan: [4095], truncated: true, truncatedIn: 'ipv6' },
  },
  {
    name: 'IEEE 802.3 length field (≤ 1500): the frame stops after Ethernet, payload is the LLC frame',
    first: 'ethernet',
    bytes: hex('01 80 c2 00 00 00  00 11 22 33 44 55  00 26  42 42 03 00 00'),
    kinds: ['ethernet'],
    layers: { 0: { ethertype: 0x26 } },
    packet: { truncated: false, payloadStart: 14, payloadEnd: 19 },
  },
  {
    name: 'unknown EtherType (LLDP 0x88cc): stops with the payload after the header',
    first: 'ethernet',
    bytes: hex('01 80 c2 00 00 0e  00 11 22 33 44 55  88 cc  02 07 04'),
    kinds: ['ethernet'],
    packet: { ethertype: 0x88cc, truncated: false, payloadStart: 14, payloadEnd: 17 },
  },
];

layerCaseTests(cases);

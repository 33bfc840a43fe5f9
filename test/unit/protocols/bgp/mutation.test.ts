import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../../../src/protocols/decodeError';
import { decodeMessage, decodeProbe, encodeOpen, encodeProbe, encodeUpdate, PrefixList } from '../../../../src/protocols/bgp';

// Deterministic xorshift, so a failure names a reproducible case.
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

const seeds: Uint8Array[] = [
  encodeOpen({ myAs: 23456, holdTime: 90, bgpId: '192.0.2.1', capabilities: [{ kind: 'multiprotocol', afi: 1, safi: 1 }, { kind: 'four-octet-as', asn: 4200000000 }, { kind: 'graceful-restart', restarting: true, notification: false, restartTime: 120, families: [{ afi: 1, safi: 1, forwardingPreserved: true }] }] }),
  encodeUpdate({ withdrawn: ['10.0.0.0/8'], nlri: ['198.51.100.0/24', '192.0.2.128/25'], attributes: {
    origin: 0, asPath: [{ type: 2, asns: [65001, 4200000000] }, { type: 1, asns: [65002, 65003] }], nextHop: '192.0.2.1', med: 5, localPref: 100,
    atomicAggregate: true, aggregator: { asn: 65001, address: '192.0.2.1' }, communities: [1, 2], largeCommunities: [{ global: 1, local1: 2, local2: 3 }],
    unknown: [{ flags: 0xc0, type: 42, value: encodeProbe({ layout: 'v1', source: 'host-2', destination: '', timestampNs: 1n, sequence: 1n }) }] } }, { fourOctetAs: true }),
  encodeUpdate({ withdrawn: [], nlri: [], attributes: { origin: 2, asPath: [{ type: 2, asns: [65001] }],
    mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::1', 'fe80::1'], nlri: ['2001:db8:1::/48'] }, mpUnreach: { afi: 2, safi: 1, withdrawn: ['2001:db8:2::/48'] } } }, { fourOctetAs: true }),
];

test('5,000 mutated messages decode or throw a DecodeError, nothing else (both AS sizes, both error modes)', () => {
  const r = rng(0x7606);
  let decoded = 0;
  let rejected = 0;
  for (let i = 0; i < 5000; i++) {
    const seed = seeds[i % seeds.length]!;
    const m = Uint8Array.from(seed);
    const flips = 1 + Math.floor(r() * 4);
    for (let k = 0; k < flips; k++) {
      // Past the marker mostly, where the interesting fields are.
      const at = 16 + Math.floor(r() * (m.length - 16));
      m[at] = r() < 0.5 ? Math.floor(r() * 256) : m[at]! ^ (1 << Math.floor(r() * 8));
    }
    const cut = r() < 0.2 ? m.subarray(0, Math.floor(r() * m.length)) : m;
    for (const ctx of [{ fourOctetAs: true }, { fourOctetAs: false, strict: true }]) {
      try {
        const msg = decodeMessage(cut, 0, ctx);
        if (msg.kind === 'update') {
          // Every prefix list that decoding accepted can be turned into text.
          msg.update.nlri.toArray();
          msg.update.withdrawn.toArray();
          const mp = msg.update.attributes.mpReach?.nlri;
          if (mp instanceof PrefixList) mp.toArray();
          for (const u of msg.update.attributes.unknown ?? []) {
            try { decodeProbe(u.value, 0, u.value.length); } catch (e) { assert.ok(e instanceof DecodeError, `probe: ${String(e)}`); }
          }
        }
        decoded++;
      } catch (e) {
        assert.ok(e instanceof DecodeError, `case ${i}: ${String(e)} on ${Buffer.from(cut).toString('hex')}`);
        rejected++;
      }
    }
  }
  assert.ok(decoded > 500 && rejected > 500, `decoded ${decoded}, rejected ${rejected}`);
});

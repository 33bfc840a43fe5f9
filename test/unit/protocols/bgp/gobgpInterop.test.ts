// Interop oracle with osrg/gobgp's packet/bgp (Debian's golang-github-osrg-gobgp-dev, built offline):
// both ways, 2,000 UPDATEs each — labtel encodes and gobgp reads (and re-encodes byte for byte: the
// peer program checks that before dumping), gobgp builds and labtel reads; every field must match.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../helpers/corpus';
import { requirePrereqs } from '../../../helpers/tools';
import { decodeMessage, encodeUpdate, PrefixList, type PathAttributes, type Prefixes, type UpdateMessage } from '../../../../src/protocols/bgp';

const GOBGP_SRC = '/usr/share/gocode/src/github.com/osrg/gobgp/pkg/packet/bgp';

let seed = 0x9b9;
const rand = (): number => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed / 0x100000000; };
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const v4 = (): string => { const len = int(8, 32); const a = (int(1, 223) << 24 | int(0, 0xffffff)) >>> 0; const m = len === 32 ? a : (a & ~(0xffffffff >>> len)) >>> 0; return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}/${len}`; };
const v6 = (): string => `2001:db8:${int(0, 0xffff).toString(16)}:${int(1, 0xffff).toString(16)}::/64`;
const uniq = (f: () => string, n: number): string[] => [...new Set(Array.from({ length: n }, f))];

function randomUpdate(): UpdateMessage {
  const a: PathAttributes = { origin: int(0, 2), asPath: [{ type: 2, asns: Array.from({ length: int(1, 20) }, () => int(1, 0xfffffffe)) }] };
  if (rand() < 0.2) a.asPath!.push({ type: 1, asns: [int(1, 65535), int(65536, 0xfffffffe)] });
  if (rand() < 0.5) a.med = int(0, 0xffffffff);
  if (rand() < 0.5) a.localPref = int(0, 0xffffffff);
  if (rand() < 0.2) { a.atomicAggregate = true; a.aggregator = { asn: int(1, 0xfffffffe), address: `198.51.100.${int(1, 254)}` }; }
  if (rand() < 0.6) a.communities = Array.from({ length: int(1, 20) }, () => int(0, 0xffffffff));
  if (rand() < 0.4) a.largeCommunities = Array.from({ length: int(1, 5) }, () => ({ global: int(0, 0xffffffff), local1: int(0, 0xffffffff), local2: int(0, 0xffffffff) }));
  const kind = rand();
  if (kind < 0.5) return { withdrawn: rand() < 0.3 ? uniq(v4, int(1, 10)) : [], attributes: { ...a, nextHop: `203.0.113.${int(1, 254)}` }, nlri: uniq(v4, int(1, 40)) };
  if (kind < 0.8) {
    const hops = rand() < 0.5 ? ['2001:db8::1'] : ['2001:db8::1', `fe80::${int(1, 0xffff).toString(16)}`];
    return { withdrawn: [], attributes: { ...a, mpReach: { afi: 2, safi: 1, nextHops: hops, nlri: uniq(v6, int(1, 20)) } }, nlri: [] };
  }
  if (kind < 0.9) return { withdrawn: uniq(v4, int(1, 60)), attributes: {}, nlri: [] };
  return { withdrawn: [], attributes: { mpUnreach: { afi: 2, safi: 1, withdrawn: uniq(v6, int(1, 30)) } }, nlri: [] };
}

const texts = (p: Prefixes | undefined): string[] => (p instanceof PrefixList ? p.toArray() : [...(p ?? [])]);

/** labtel's decode in the shape of the peer program's dump (same keys, same order). */
function labtelView(bytes: Uint8Array): string {
  const m = decodeMessage(bytes, 0, { fourOctetAs: true });
  assert.ok(m.kind === 'update');
  const a = m.update.attributes;
  return JSON.stringify({
    withdrawn: m.update.withdrawn.toArray(),
    nlri: m.update.nlri.toArray(),
    origin: a.origin ?? null,
    asPath: a.asPath ?? null,
    nextHop: a.nextHop ?? null,
    med: a.med ?? null,
    localPref: a.localPref ?? null,
    atomicAggregate: a.atomicAggregate ?? false,
    aggregator: a.aggregator ? `${a.aggregator.asn}/${a.aggregator.address}` : null,
    communities: a.communities ?? null,
    largeCommunities: a.largeCommunities?.map((c) => `${c.global}:${c.local1}:${c.local2}`) ?? null,
    mpReach: a.mpReach ? { nextHops: a.mpReach.nextHops, nlri: texts(a.mpReach.nlri) } : null,
    mpUnreach: a.mpUnreach ? texts(a.mpUnreach.withdrawn) : null,
  });
}

/** Builds the peer program (bench/peers/gobgp) once; undefined when the test is skipped. */
function peerProgram(t: TestContext): string | undefined {
  if (!requirePrereqs(t, { tools: ['go'] })) return undefined;
  if (!existsSync(GOBGP_SRC)) {
    if (process.env.CI === 'true') throw new Error(`needs ${GOBGP_SRC} (golang-github-osrg-gobgp-dev; run scripts/setup.sh)`);
    t.skip(`needs ${GOBGP_SRC} (golang-github-osrg-gobgp-dev)`);
    return undefined;
  }
  const cache = path.join(repoRoot, '.cache', 'go');
  mkdirSync(cache, { recursive: true });
  const binary = path.join(cache, 'gobgp-interop');
  const build = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: path.join(repoRoot, 'bench', 'peers', 'gobgp'), encoding: 'utf8',
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: cache, GOFLAGS: '' },
  });
  assert.equal(build.status, 0, build.stderr);
  return binary;
}

/** gobgp's reading of the UPDATEs in `file`, one JSON object each. */
function gobgpDump(binary: string, file: string): unknown[] {
  const run = spawnSync(binary, [file, '0', 'dump'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown);
}

test('gobgp reads 2,000 labtel-encoded UPDATEs field for field as labtel does, and re-encodes them byte for byte', (t) => {
  const binary = peerProgram(t);
  if (!binary) return;
  const messages = Array.from({ length: 2000 }, () => encodeUpdate(randomUpdate(), { fourOctetAs: true }));
  const work = mkdtempSync(path.join(tmpdir(), 'labtel-gobgp-'));
  try {
    const file = path.join(work, 'corpus.bin');
    writeFileSync(file, Buffer.concat(messages));
    const dump = gobgpDump(binary, file);
    assert.equal(dump.length, messages.length);
    messages.forEach((m, i) => assert.deepEqual(JSON.parse(labtelView(m)), dump[i], `message ${i}: ${Buffer.from(m).toString('hex')}`));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('labtel reads 2,000 UPDATEs built by gobgp (its attribute order, extended lengths) as gobgp does, and re-encodes them to the same content', (t) => {
  const binary = peerProgram(t);
  if (!binary) return;
  const work = mkdtempSync(path.join(tmpdir(), 'labtel-gobgp-'));
  try {
    const file = path.join(work, 'gobgp.bin');
    const gen = spawnSync(binary, ['generate', file, '2000', '7606'], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const dump = gobgpDump(binary, file);
    const bytes = new Uint8Array(readFileSync(file));
    let p = 0;
    let extended = 0;
    dump.forEach((want, i) => {
      const length = (bytes[p + 16]! << 8) | bytes[p + 17]!;
      const message = bytes.subarray(p, p + length);
      p += length;
      assert.deepEqual(JSON.parse(labtelView(message)), want, `message ${i}: ${Buffer.from(message).toString('hex')}`);
      const m = decodeMessage(message, 0, { fourOctetAs: true });
      assert.ok(m.kind === 'update');
      if (m.update.attributes.communities && m.update.attributes.communities.length * 4 > 255) extended++;
      // Re-encoded by labtel (its own attribute order), it reads the same.
      assert.equal(labtelView(encodeUpdate(m.update, { fourOctetAs: true })), labtelView(message), `message ${i} re-encoded`);
    });
    assert.equal(p, bytes.length);
    assert.ok(extended > 0, 'some COMMUNITIES needed the extended length');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

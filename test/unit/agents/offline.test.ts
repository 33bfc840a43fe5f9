import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseEvent, type AgentEvent } from '../../../src/shared/events';
import { corpusPath, repoRoot } from '../../helpers/corpus';

// The agents' offline mode (--read) on corpus captures, run as processes the way a user runs them.
function agent(name: string, args: string[]): { code: number | null; out: string; err: string; events: AgentEvent[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'agents', `${name}.ts`), ...args], { encoding: 'utf8', timeout: 60_000 });
  const events = args.includes('json') ? r.stdout.split('\n').filter(Boolean).map(parseEvent) : [];
  return { code: r.status, out: r.stdout, err: r.stderr, events };
}

const switch2011 = corpusPath('sflow', 'switch-2011-1000dgrams.pcap');

test('top-talkers --read --format json: one final ranking over the whole capture and its counts', () => {
  const r = agent('top-talkers', ['--read', switch2011, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const talkers = r.events.filter((e) => e.type === 'talkers');
  const stats = r.events.filter((e) => e.type === 'stats');
  assert.equal(talkers.length, 1);
  assert.equal(stats.length, 1);
  const t = talkers[0]!;
  assert.ok(t.type === 'talkers');
  // 5,855 flow samples, all of one TCP conversation (both directions keyed as one).
  assert.deepEqual(t.rows.map((x) => [x.a, x.b, x.protocol, x.samples]), [['192.168.1.2:60565', '192.168.1.3:36875', 6, 5855]]);
  assert.ok(Math.abs(t.window - 143.86) < 0.1, `window ${t.window}`);
  assert.equal(t.rows[0]!.share, 1);
  assert.ok(stats[0]!.type === 'stats' && stats[0]!.datagrams === 1000 && stats[0]!.samples === 6357 && stats[0]!.malformed === 0);
});

test('capture --read prints the book\'s line for each flow record', () => {
  const r = agent('capture', ['--read', corpusPath('sflow', 'data-1140.pcap')]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.ok(lines.length >= 1);
  for (const l of lines) assert.match(l, /^flow record: \S+ <-> \S+$/);
  assert.match(r.err, /1 datagrams, \d+ samples/);
});

test('capture --read --count N stops after N datagrams', () => {
  const r = agent('capture', ['--read', switch2011, '--format', 'json', '--count', '7']);
  assert.equal(r.code, 0, r.err);
  const stats = r.events.at(-1)!;
  assert.ok(stats.type === 'stats' && stats.datagrams === 7, JSON.stringify(stats));
  const flows = r.events.filter((e) => e.type === 'flow');
  assert.ok(flows.length > 7 && flows.every((f) => f.type === 'flow' && f.agentAddress === '192.168.1.1'));
});

test('NetFlow packets sent to the sFlow port are counted as malformed and the sFlow datagrams around them still decode', () => {
  const r = agent('top-talkers', ['--read', corpusPath('sflow-edge', 'tcpdump-counters-30pdus-with-netflow.pcap'), '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const stats = r.events.find((e) => e.type === 'stats');
  assert.ok(stats && stats.type === 'stats');
  assert.equal(stats.datagrams, 30);
  assert.equal(stats.malformed, 5);
  assert.ok(stats.samples > 0);
});

for (const [name, args, pattern] of [
  ['an unknown flag', ['--frobnicate'], /frobnicate/],
  ['a bad --listen', ['--listen', 'nowhere'], /--listen "nowhere": expected ADDR:PORT/],
  ['a bad --by', ['--by', 'flows'], /--by "flows": expected one of bytes, packets, samples/],
  ['--tap with --read', ['--tap', 'eth1', '--read', 'x.pcap'], /two different sources/],
] as const) {
  test(`top-talkers refuses ${name} with exit code 2 and its help`, () => {
    const r = agent('top-talkers', [...args]);
    assert.equal(r.code, 2);
    assert.match(r.err, pattern);
    assert.match(r.err, /usage: top-talkers/);
  });
}

const bgpPingFlags = ['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '203.0.113.2', '-raddr', '203.0.113.3', '-las', '65004', '-ras', '65001'];
for (const [name, args, pattern] of [
  ['-attr-type 8 (COMMUNITIES, which the codec decodes: no probe would ever be read)', ['-attr-type', '8'], /-attr-type 8: labtel decodes that attribute itself/],
  ['-attr-type 14 (MP_REACH_NLRI)', ['-attr-type', '14'], /-attr-type 14: labtel decodes/],
  ['-p with -c', ['-p', '-c'], /exclude each other/],
] as const) {
  test(`bgp-ping refuses ${name} with exit code 2, before any session`, () => {
    const r = agent('bgp-ping', [...bgpPingFlags, ...args]);
    assert.equal(r.code, 2);
    assert.match(r.err, pattern);
  });
}

test('a capture file that is not a capture is one clear error naming the file\'s offset', () => {
  const r = agent('capture', ['--read', path.join(repoRoot, 'package.json')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /at byte 0/);
});

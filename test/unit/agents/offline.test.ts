import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parseEvent, type AgentEvent } from '../../../src/shared/events';
import { capturePath, corpusPath, corpusSkip, repoRoot } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';

// The agents' offline mode (--read) on the project's own captures (test/fixtures/captures), run as
// processes the way a user runs them; tshark counts what they should find.
function agent(name: string, args: string[]): { code: number | null; out: string; err: string; events: AgentEvent[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'agents', `${name}.ts`), ...args], { encoding: 'utf8', timeout: 60_000 });
  const events = args.includes('json') ? r.stdout.split('\n').filter(Boolean).map(parseEvent) : [];
  return { code: r.status, out: r.stdout, err: r.stderr, events };
}

const labSflow = capturePath('lab-sflow.pcap');
const edgeCases = JSON.parse(readFileSync(capturePath('edge-cases.json'), 'utf8')) as Record<string, { frames?: number; readable?: number; cutAtByte?: number; badRecordAtByte?: number; malformed?: unknown[] }>;

/** tshark's count of the sFlow datagrams and samples in a capture (the oracle for the agents' counts). */
function tsharkCounts(file: string): { datagrams: number; samples: number; seconds: number } {
  const r = spawnSync('tshark', ['-r', file, '-d', 'udp.port==6343,sflow', '-T', 'fields', '-e', 'sflow_245.numsamples', '-e', 'frame.time_relative'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  return { datagrams: rows.length, samples: rows.reduce((n, [s]) => n + Number(s), 0), seconds: Number(rows.at(-1)![1]) };
}

test('top-talkers --read --format json: one final ranking over the whole capture, its counts as tshark counts them', (t) => {
  if (!requirePrereqs(t, { tools: ['tshark'] })) return;
  const want = tsharkCounts(labSflow);
  const r = agent('top-talkers', ['--read', labSflow, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const talkers = r.events.filter((e) => e.type === 'talkers');
  const stats = r.events.filter((e) => e.type === 'stats');
  assert.equal(talkers.length, 1);
  assert.equal(stats.length, 1);
  const ranking = talkers[0]!;
  assert.ok(ranking.type === 'talkers');
  assert.ok(Math.abs(ranking.window - want.seconds) < 0.01, `window ${ranking.window} s, capture ${want.seconds} s`);
  // The ranking says how many rows it may hold (the default --top), which the panel's Top selector shows.
  assert.equal(ranking.top, 10);
  assert.ok(ranking.rows.length <= ranking.top);
  // The recording's traffic (README): iperf3 from host-1 to host-3 in both families leads the ranking,
  // in order of bytes; both directions of a conversation are one row.
  const bytes = ranking.rows.map((x) => x.bytes);
  assert.deepEqual(bytes, [...bytes].sort((a, b) => b - a));
  for (const row of ranking.rows.slice(0, 4)) {
    assert.match(`${row.a} ${row.b}`, /^(203\.0\.113\.0:\d+ 203\.0\.113\.254:530[1-4]|\[2001:db8:0:1::1\]:\d+ \[2001:db8:0:3::2\]:530[1-4])$/);
  }
  assert.ok(stats[0]!.type === 'stats' && stats[0]!.datagrams === want.datagrams && stats[0]!.samples === want.samples && stats[0]!.malformed === 0, JSON.stringify(stats[0]));
});

test('capture --read prints the book\'s line for each flow record', () => {
  const r = agent('capture', ['--read', capturePath('edge-nanosecond.pcap')]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.ok(lines.length >= 20);
  for (const l of lines) assert.match(l, /^flow record: \S+ <-> \S+$/);
  assert.match(r.err, /20 datagrams, \d+ samples/);
});

test('capture --read --count N stops after N datagrams', () => {
  const r = agent('capture', ['--read', labSflow, '--format', 'json', '--count', '7']);
  assert.equal(r.code, 0, r.err);
  const stats = r.events.at(-1)!;
  assert.ok(stats.type === 'stats' && stats.datagrams === 7, JSON.stringify(stats));
  const flows = r.events.filter((e) => e.type === 'flow');
  assert.ok(flows.length > 7 && flows.every((f) => f.type === 'flow' && f.agentAddress === '198.51.100.2'));
});

test('malformed datagrams sent to the sFlow port (NetFlow among them) are counted and the sFlow datagrams around them still decode', () => {
  const edge = edgeCases['edge-malformed-sflow.pcap']!;
  const r = agent('top-talkers', ['--read', capturePath('edge-malformed-sflow.pcap'), '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const stats = r.events.find((e) => e.type === 'stats');
  assert.ok(stats && stats.type === 'stats');
  assert.equal(stats.datagrams, edge.frames);
  assert.equal(stats.malformed, edge.malformed!.length);
  assert.ok(stats.samples > 0);
});

test('NetFlow packets in the third-party corpus sent to the sFlow port are counted as malformed', { skip: corpusSkip }, () => {
  const r = agent('top-talkers', ['--read', corpusPath('sflow-edge', 'tcpdump-counters-30pdus-with-netflow.pcap'), '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const stats = r.events.find((e) => e.type === 'stats');
  assert.ok(stats && stats.type === 'stats');
  assert.equal(stats.datagrams, 30);
  assert.equal(stats.malformed, 5);
  assert.ok(stats.samples > 0);
});

for (const file of ['edge-truncated.pcap', 'edge-corrupt-record.pcap']) {
  test(`top-talkers --read ${file}: the ranking of the readable part, then where the file is damaged, exit 1`, () => {
    const edge = edgeCases[file]!;
    const r = agent('top-talkers', ['--read', capturePath(file), '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const stats = r.events.find((e) => e.type === 'stats');
    assert.ok(stats && stats.type === 'stats' && stats.datagrams === edge.readable, JSON.stringify(stats));
    assert.equal(r.events.filter((e) => e.type === 'talkers').length, 1);
    assert.match(r.err, new RegExp(`${file}: pcap at byte ${edge.cutAtByte ?? edge.badRecordAtByte}: .*the ranking covers the ${edge.readable} datagrams read before it`));
  });
}

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

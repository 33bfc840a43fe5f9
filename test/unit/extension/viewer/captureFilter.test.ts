// The capture viewer's filter, through its worker thread as the editor drives it, against libpcap (Debian's
// tcpdump): the packets a pcap-filter expression keeps, a filter applied while the file is still being
// indexed, a bad expression (the compiler's error with its range, the list unchanged), a link type labtel
// does not compile for, and an export of the matches read back by capinfos and tshark beside tcpdump's own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IndexerClient } from '../../../../src/extension/viewer/indexerClient';
import type { IndexerResults } from '../../../../src/extension/viewer/indexerProtocol';
import { encodeCapture } from '../../../../src/protocols/captureWriter';
import type { FilterState } from '../../../../src/shared/captureMessages';
import { capturePath, corpusPath, corpusSkip, repoRoot, sflowCaptures } from '../../../helpers/corpus';
import { sampledFramesCapture } from '../../../helpers/sampledFrames';
import { readPackets, tcpdumpAccepts } from '../../../helpers/tcpdump';
import { capinfosCount } from '../../../helpers/tshark';

const bundle = path.join(repoRoot, 'dist', 'captureIndexer.js');
const dir = mkdtempSync(path.join(tmpdir(), 'labtel-viewer-filter-'));

/** A worker over a file, with the filter states it posts. */
class Viewer {
  readonly client: IndexerClient;
  readonly states: FilterState[] = [];
  private waiters: Array<() => void> = [];
  indexed = false;

  constructor(file: string) {
    this.client = new IndexerClient(bundle, { path: file, sflowPorts: [6343] }, (p) => { if (p.done) this.indexed = true; this.wake(); }, undefined, (s) => {
      this.states.push(s);
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async until(ok: () => boolean): Promise<void> {
    while (!ok()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Applies an expression; resolves with its final state, or the compiler's error. */
  async filter(expression: string): Promise<FilterState | Extract<IndexerResults['filter'], { error: unknown }>['error']> {
    const r = await this.client.request('filter', { expression });
    if ('error' in r) return r.error;
    await this.until(() => this.states.some((s) => s.view === r.view && s.done) || (r.view === 0 && this.indexed));
    return [...this.states].reverse().find((s) => s.view === r.view)!;
  }

  /** The 1-based packet numbers of the list `view` (all of them). */
  async numbers(view: number, count: number): Promise<number[]> {
    const r = await this.client.request('rows', { from: 0, to: count, view });
    assert.equal(r.view, view, 'rows of the view asked for');
    return r.rows.map((row) => row.number);
  }

  close(): Promise<void> {
    return this.client.dispose();
  }
}


before(() => {
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

// The project's own recordings always; the third-party corpus's files as well when it is there.
describe('the viewer keeps the packets tcpdump keeps', () => {
  const cases: Array<{ file: () => string; expressions: string[]; skip?: string | false }> = [
    { file: () => capturePath('lab-sflow.pcap'), expressions: ['udp port 6343', 'less 1300', 'greater 1200', 'udp[8:4] = 5 and len < 600', 'ip6'] },
    { file: () => capturePath('lab-r3-eth1.pcap'), expressions: ['tcp', 'icmp or icmp6', 'ip6 and udp', 'tcp[tcpflags] & tcp-syn != 0', 'port 179', 'icmp6 and ip6[40] == 1'] },
    { file: () => corpusPath('sflow', 'switch-2011-1000dgrams.pcap'), expressions: ['udp port 6343', 'less 1300', 'greater 1200', 'udp[8:4] = 5 and len < 600', 'ip6'], skip: corpusSkip },
    { file: () => corpusPath('sflow', 'tcpdump-ipv6-agent.pcap'), expressions: ['udp port 6343', 'ip6 and udp', 'ip'], skip: corpusSkip },
    {
      file: () => {
        const f = path.join(dir, 'sampled.pcap');
        writeFileSync(f, sampledFramesCapture());
        return f;
      },
      expressions: ['tcp', 'icmp or icmp6', 'vlan', 'tcp[tcpflags] & tcp-syn != 0', 'udp and not port 53', 'src net 192.168.0.0/16', 'ether broadcast or ether multicast'],
    },
  ];
  for (const c of cases) {
    const name = c.skip ? 'a third-party corpus file' : path.basename(c.file());
    test(`${c.expressions.length} expressions on ${name}`, { skip: c.skip ?? false }, async () => {
      const file = c.file();
      const packets = readPackets(file);
      const v = new Viewer(file);
      try {
        for (const expression of c.expressions) {
          const s = await v.filter(expression);
          assert.ok('view' in s, `${expression}: ${'message' in s ? s.message : ''}`);
          const theirs = tcpdumpAccepts(file, expression, packets).map((i) => i + 1);
          assert.equal(s.matched, theirs.length, `${expression}: count`);
          assert.equal(s.scanned, packets.length, `${expression}: every packet tested`);
          assert.deepEqual(await v.numbers(s.view, s.matched), theirs, `${expression}: the packets`);
        }
      } finally {
        await v.close();
      }
    });
  }

  test('each sFlow capture: udp port 6343 keeps as many as tcpdump', async () => {
    for (const file of sflowCaptures(['lab-sflow.pcap'])) {
      const f = path.basename(file);
      const v = new Viewer(file);
      const s = await v.filter('udp port 6343');
      await v.close();
      assert.ok('view' in s, f);
      assert.equal(s.matched, tcpdumpAccepts(file, 'udp port 6343', readPackets(file)).length, f);
    }
  });

  test('a filter applied before the file is indexed follows the indexer to its end', async () => {
    const file = capturePath('lab-r3-eth1.pcap');
    const v = new Viewer(file);
    const s = await v.filter('tcp and greater 1000'); // sent before the worker's first progress
    await v.close();
    assert.ok('view' in s);
    assert.equal(s.matched, tcpdumpAccepts(file, 'tcp and greater 1000', readPackets(file)).length);
    assert.equal(s.scanned, capinfosCount(file));
  });

  test('a bad expression is the compiler\'s error with its range, and the list stays as it was', async () => {
    const file = capturePath('lab-sflow.pcap');
    const v = new Viewer(file);
    try {
      const good = await v.filter('udp port 6343');
      assert.ok('view' in good);
      const cases: Array<{ expression: string; message: RegExp; start: number; end: number }> = [
        { expression: 'udp port 6343 and', message: /^1:18: expected .* found the end of the expression/, start: 17, end: 17 },
        { expression: 'udp prot 6343', message: /^1:5: /, start: 4, end: 8 },
        { expression: 'tcp and udp', message: /rejects all packets/, start: 0, end: 11 },
        { expression: 'ip host 10.0.0.1 port 80', message: /^1:18: /, start: 17, end: 21 },
      ];
      for (const c of cases) {
        const r = await v.filter(c.expression);
        assert.ok('message' in r, `${c.expression} is refused`);
        assert.match(r.message, c.message, c.expression);
        assert.deepEqual([r.start, r.end], [c.start, c.end], `${c.expression}: range`);
        assert.equal(r.expression, c.expression);
      }
      // The last good filter is still the list: its rows answer, no new state was posted.
      assert.equal(v.states.at(-1)!.view, good.view);
      assert.equal((await v.numbers(good.view, good.matched)).length, good.matched);
      const all = await v.filter('');
      assert.ok('view' in all);
      assert.deepEqual([all.view, all.matched], [0, capinfosCount(file)], 'an empty expression shows every packet');
    } finally {
      await v.close();
    }
  });
});

test('raw IP frames are filtered with the raw link type; a link type with no program is said so', async () => {
  const ip = (proto: number) => {
    const b = new Uint8Array(28);
    b.set([0x45, 0, 0, 28, 0, 0, 0, 0, 64, proto, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2]);
    return b;
  };
  const raw = path.join(dir, 'raw.pcap');
  writeFileSync(raw, encodeCapture([1, 17, 6, 17].map((proto, i) => ({ timestampNs: BigInt(i + 1) * 1000n, data: ip(proto) })), { format: 'pcap', linkType: 101 }));
  const v = new Viewer(raw);
  const s = await v.filter('udp');
  await v.close();
  assert.ok('view' in s);
  assert.equal(s.matched, tcpdumpAccepts(raw, 'udp', readPackets(raw)).length);
  assert.equal(s.matched, 2);

  const sll = path.join(dir, 'sll.pcap');
  writeFileSync(sll, encodeCapture([{ timestampNs: 1000n, data: new Uint8Array(44) }], { format: 'pcap', linkType: 113 }));
  const w = new Viewer(sll);
  const r = await w.filter('udp');
  await w.close();
  assert.ok('message' in r);
  assert.match(r.message, /link type 113 has no pcap-filter program/);
});

describe('export of the matches', () => {
  /** tshark's hex dump of every frame (offset lines only) and its times to the microsecond: the frames, byte for byte. */
  function frames(file: string): string[] {
    const hex = spawnSync('tshark', ['-n', '-r', file, '-x'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout
      .split('\n').filter((l) => /^[0-9a-f]{4}\s/.test(l));
    const times = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout
      .split('\n').filter(Boolean).map((l) => { const [t, len] = l.split('\t'); return `${Number(t).toFixed(6)} ${len}`; });
    return [...times, ...hex];
  }

  test('the export of a filter holds the packets tcpdump -w writes for it', async () => {
    const file = capturePath('lab-r3-eth1.pcap');
    for (const expression of ['tcp and greater 1000', 'ip6 and less 200']) {
      const ours = path.join(dir, 'matches.pcapng');
      const theirs = path.join(dir, 'tcpdump.pcap');
      const t = spawnSync('tcpdump', ['-r', file, '-w', theirs, '--', expression], { encoding: 'utf8' });
      assert.equal(t.status, 0, t.stderr);
      const v = new Viewer(file);
      const s = await v.filter(expression);
      assert.ok('view' in s);
      const written = await v.client.request('export', { path: ours, view: s.view });
      await v.close();
      assert.equal(written, s.matched);
      assert.equal(capinfosCount(ours), capinfosCount(theirs), `${expression}: capinfos counts`);
      assert.deepEqual(frames(ours), frames(theirs), `${expression}: the same frames`);
      assert.match(spawnSync('capinfos', ['-t', ours], { encoding: 'utf8' }).stdout, /pcapng/i);
    }
  });
});

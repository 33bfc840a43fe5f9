// The panels' models, under node: what each keeps, what it posts as a delta and what it replays to a
// webview that just said ready.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowsModel } from '../../../src/extension/panels/flowsModel';
import { TalkersModel } from '../../../src/extension/panels/talkersModel';
import { RttModel } from '../../../src/extension/panels/rttModel';
import { decodeDatagram } from '../../../src/protocols/sflow';
import { flowEventsOf } from '../../../src/agents/capture';
import type { FlowEvent, TalkersEvent } from '../../../src/shared/events';
import type { ExtensionToWebview, FlowRow, PanelSource, RttSample } from '../../../src/shared/webviewMessages';
import { captureDatagrams } from '../../helpers/agentProcess';
import { capturePath } from '../../helpers/corpus';

const capture: PanelSource = { labHost: 'local', lab: 'netgo', node: 'host-2', agent: 'capture', running: true };

function flow(i: number, extra: Partial<FlowEvent> = {}): FlowEvent {
  return {
    v: 1, agent: 'capture', ts: 1_700_000_000_000 + i, type: 'flow', agentAddress: '203.0.113.129', sampleSequence: i, samplingRate: 100,
    inputInterface: 1, outputInterface: 2, src: '203.0.113.2', dst: '203.0.113.253', srcPort: 40000 + i, dstPort: 5201, protocol: 17, frameLength: 1514, ...extra,
  };
}

const rowsOf = (messages: ExtensionToWebview[]): FlowRow[] => messages.flatMap((m) => (m.type === 'flows/append' ? m.rows : []));

test('Flows keeps the newest rows up to its capacity, ids consecutive, and forgets the oldest', () => {
  const m = new FlowsModel(5);
  for (let i = 0; i < 8; i++) m.accept(capture, flow(i));
  assert.deepEqual(m.snapshot(), { rows: 5, firstId: 4, lastId: 8, capacity: 5, received: 8 });
  assert.deepEqual(rowsOf(m.replay()).map((r) => r.id), [4, 5, 6, 7, 8]);
  assert.match(m.detail(3).error ?? '', /flow 3 is no longer kept/);
});

test('Flows posts each row once as a delta; a replay starts with clear and carries every row kept', () => {
  const m = new FlowsModel(100);
  m.accept(capture, flow(1));
  m.accept(capture, flow(2));
  assert.deepEqual(rowsOf(m.drain()).map((r) => r.id), [1, 2]);
  assert.deepEqual(m.drain(), []);
  m.accept(capture, flow(3));
  const replay = m.replay();
  assert.equal(replay[0]!.type, 'flows/clear');
  assert.deepEqual(rowsOf(replay).map((r) => r.id), [1, 2, 3]);
  assert.deepEqual(m.drain(), [], 'the replay carried what was pending');
});

test('Flows replays 100,000 rows in chunks of at most 10,000', () => {
  const m = new FlowsModel();
  for (let i = 0; i < 100_050; i++) m.accept(capture, flow(i));
  const replay = m.replay();
  const rows = rowsOf(replay);
  assert.equal(rows.length, 100_000);
  assert.equal(rows[0]!.id, 51);
  assert.ok(replay.every((r) => r.type !== 'flows/append' || r.rows.length <= 10_000));
});

test('Flows decodes a row\'s sampled header on request into layers whose fields agree with the event', () => {
  const m = new FlowsModel();
  const dg = decodeDatagram(captureDatagrams(capturePath('lab-sflow.pcap'))[0]!);
  const s = dg.samples.find((x) => x.kind === 'flowSample')!;
  const e = flowEventsOf(dg, s as Parameters<typeof flowEventsOf>[1])[0]!;
  m.accept(capture, { v: 1, agent: 'capture', ts: 1, ...e } as FlowEvent);
  const row = rowsOf(m.drain())[0]!;
  assert.equal(row.hasHeader, true);
  const packet = m.detail(row.id);
  assert.equal(packet.hex, e.header);
  const ip = packet.tree.find((n) => n.label === 'Internet Protocol Version 4')!;
  const src = ip.children!.find((c) => c.label === 'Source address')!;
  assert.equal(src.value, e.src);
  assert.equal(packet.hex.slice(src.start * 2, src.end * 2), e.src!.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join(''));
});

const detailCases: Array<{ name: string; extra: Partial<FlowEvent>; hasHeader: boolean; error: RegExp }> = [
  { name: 'no raw header (a sampled IPv4 record)', extra: {}, hasHeader: false, error: /no raw header/ },
  { name: 'a header protocol labtel does not decode (PPP)', extra: { header: '0021', headerProtocol: 7 }, hasHeader: false, error: /header protocol 7 is not decoded/ },
  { name: 'a header that is not hex', extra: { header: '4g', headerProtocol: 11 }, hasHeader: true, error: /not hex/ },
];
for (const c of detailCases) {
  test(`Flows detail says why for ${c.name}`, () => {
    const m = new FlowsModel();
    m.accept(capture, flow(1, c.extra));
    assert.equal(rowsOf(m.drain())[0]!.hasHeader, c.hasHeader);
    assert.match(m.detail(1).error ?? '', c.error);
  });
}

function talkers(ts: number, rows: number): TalkersEvent {
  return {
    v: 1, agent: 'top-talkers', ts, type: 'talkers', window: 10, by: 'bytes', top: 20, flows: rows * 3,
    rows: Array.from({ length: rows }, (_, i) => ({ rank: i + 1, a: `203.0.113.${253 - i}`, b: '203.0.113.2', protocol: 17, bytes: 1000 - i, packets: 10, samples: 5, bps: 8000, share: 0.1 })),
  };
}

test('Top Talkers keeps the latest ranking and posts it once per change', () => {
  const m = new TalkersModel();
  assert.deepEqual(m.replay(), []);
  m.accept(talkers(1, 3));
  m.accept(talkers(2, 2));
  const d = m.drain();
  assert.equal(d.length, 1);
  assert.ok(d[0]!.type === 'talkers/snapshot' && d[0]!.ts === 2 && d[0]!.rows.length === 2 && d[0]!.flows === 6 && d[0]!.top === 20);
  assert.deepEqual(m.drain(), []);
  assert.equal(m.replay().length, 1);
  assert.equal(m.snapshot().rankings, 2);
});

const rtt = (responder: string, seq: number, rttMs: number) => ({ v: 1 as const, agent: 'bgp-ping' as const, ts: 1000 + seq, type: 'rtt' as const, responder, seq, rttMs });

test('BGP RTT keeps samples per responder up to its capacity, lost probes, held times and session states', () => {
  const m = new RttModel(3, 2);
  for (let seq = 1; seq <= 5; seq++) m.accept(rtt('host-1', seq, seq * 1.5));
  m.accept(rtt('host-3', 1, 9));
  m.accept({ v: 1, agent: 'bgp-ping', ts: 5, type: 'lost', seq: 6, responders: ['host-3'] });
  m.accept({ v: 1, agent: 'bgp-ping', ts: 6, type: 'lost', seq: 7, responders: ['host-1', 'host-3'] });
  m.accept({ v: 1, agent: 'bgp-ping', ts: 7, type: 'lost', seq: 8, responders: ['host-3'] });
  m.accept({ v: 1, agent: 'bgp-ping', ts: 8, type: 'reply', prober: 'host-2', seq: 5, turnaroundUs: 42 }, 'host-1');
  m.accept({ v: 1, agent: 'bgp-ping', ts: 9, type: 'session', peer: '203.0.113.1', state: 'Established' });
  assert.deepEqual(m.snapshot(), {
    responders: {
      'host-1': { samples: 3, lastMs: 7.5, lost: 1, heldUs: 42 },
      'host-3': { samples: 1, lastMs: 9, lost: 3, heldUs: undefined },
    },
    lostProbes: 2,
    sessions: { '203.0.113.1': 'Established' },
  });
  const replay = m.replay();
  assert.equal(replay[0]!.type, 'rtt/clear');
  const samples: RttSample[] = replay.flatMap((x) => (x.type === 'rtt/append' ? x.samples : []));
  assert.deepEqual(samples.map((s) => `${s.responder}#${s.seq}`), ['host-1#3', 'host-1#4', 'host-1#5', 'host-3#1']);
  assert.deepEqual(replay.filter((x) => x.type === 'rtt/lost').map((x) => x.type === 'rtt/lost' && x.seq), [7, 8]);
});

test('BGP RTT posts one append per drain however many samples arrived, then lost, held and session in order', () => {
  const m = new RttModel();
  for (let seq = 1; seq <= 50; seq++) m.accept(rtt('host-1', seq, 2));
  m.accept({ v: 1, agent: 'bgp-ping', ts: 5, type: 'lost', seq: 51, responders: ['host-1'] });
  m.accept({ v: 1, agent: 'bgp-ping', ts: 9, type: 'session', peer: 'r1', state: 'Idle', reason: 'hold timer expired' });
  const d = m.drain();
  assert.deepEqual(d.map((x) => x.type), ['rtt/append', 'rtt/lost', 'rtt/session']);
  assert.equal(d[0]!.type === 'rtt/append' && d[0]!.samples.length, 50);
  assert.deepEqual(d[2], { type: 'rtt/session', peer: 'r1', state: 'Idle', reason: 'hold timer expired' });
  assert.deepEqual(m.drain(), []);
});

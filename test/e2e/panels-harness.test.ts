// The three panels' built webviews in real Chromium, each in the page the extension builds (its CSP and
// nonce) with a recorded VS Code theme: fed the extension's messages, checked in the DOM — rows, sorting,
// filter, the packet tree and its bytes, the RTT charts and quantiles — and what they post back. Markup in
// wire text must show as text and run nothing; no CSP violation, no console error. Screenshots of each
// panel in light, dark and high contrast go to test-results/panels/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { capturePath, repoRoot } from '../helpers/corpus';
import { openPanel, painted, type PanelPage, type ThemeName } from '../helpers/panelHarness';
import { parseCapture } from '../../src/protocols/capture';
import { decodeFrame } from '../../src/protocols/packet';
import { packetTree } from '../../src/protocols/packetTree';
import { flowFilter } from '../../src/shared/flowFilter';
import type { TalkerRow } from '../../src/shared/events';
import type { FlowRow, PanelSource, RttSample, WebviewToExtension } from '../../src/shared/webviewMessages';

const shots = path.join(repoRoot, 'test-results', 'panels');
const XSS = '<img src=x onerror=alert(1)>';
const XSS_SCRIPT = '"><script>window.__pwned=1</script>';
const T0 = Date.UTC(2026, 11, 7, 14, 3, 7);

const sources: PanelSource[] = [
  { labHost: 'local', lab: 'netgo', node: 'host-2', agent: 'capture', running: true },
  { labHost: 'local', lab: 'netgo', node: 'host-2', agent: 'top-talkers', running: true },
  { labHost: 'local', lab: 'netgo', node: 'host-2', agent: 'bgp-ping', running: true },
  { labHost: 'local', lab: 'netgo', node: 'host-1', agent: 'bgp-ping', running: false },
];

/** Flow rows from the lab's own recording of r3's eth1 (real addresses, ports, IPv6, ICMP errors), as host-2 would list them. */
function labRows(): Array<{ row: FlowRow; bytes: Uint8Array }> {
  const out: Array<{ row: FlowRow; bytes: Uint8Array }> = [];
  for (const p of parseCapture(readFileSync(capturePath('lab-r3-eth1.pcap')))) {
    const d = decodeFrame(p.data, p.linkType);
    if (d.src === undefined) continue;
    out.push({
      bytes: p.data,
      row: {
        id: out.length + 1, ts: T0 + out.length * 137, node: 'host-2', agentAddress: '203.0.113.129', samplingRate: 100,
        inputInterface: 2 + (out.length % 3), outputInterface: 1, src: d.src, dst: d.dst,
        ...(d.srcPort === undefined ? {} : { srcPort: d.srcPort, dstPort: d.dstPort }),
        ...(d.protocol === undefined ? {} : { protocol: d.protocol }), frameLength: p.originalLength ?? p.data.length, hasHeader: true,
      },
    });
  }
  return out;
}

async function assertClean(p: PanelPage): Promise<void> {
  assert.deepEqual(await p.violations(), [], 'CSP violations');
  assert.deepEqual(p.errors, [], 'console errors');
  assert.deepEqual(await p.injected(), [], 'script injected through wire text');
}

async function shot(p: PanelPage, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await painted(p.page);
  await p.page.screenshot({ path: path.join(shots, `${name}.png`) });
}

const lastPosted = async (p: PanelPage, type: WebviewToExtension['type']) => (await p.posted()).filter((m) => m.type === type).at(-1);

describe('Flows panel in Chromium', () => {
  let p: PanelPage;
  const frames = labRows();
  const xssRow: FlowRow = {
    id: frames.length + 1, ts: T0 + 60_000, node: '<b>host-9</b>', agentAddress: XSS_SCRIPT, samplingRate: 100, inputInterface: 1, outputInterface: 2,
    src: XSS, dst: '203.0.113.253', srcPort: 1, dstPort: 2, protocol: 17, frameLength: 64, hasHeader: false,
  };
  const rows = [...frames.map((f) => f.row), xssRow];

  before(async () => { p = await openPanel('flows', 'dark'); });
  after(async () => { await p?.close(); });

  test('an empty panel says how to start the capture agent', async () => {
    await painted(p.page);
    assert.match(await p.page.locator('.empty').innerText(), /Start the capture agent[\s\S]*labtel: Start Agent → capture/);
    assert.match(await p.page.locator('.sources').innerText(), /no capture agent running/);
  });

  test('rows arrive, the header names the source, the count and the cells are the rows\' fields', async () => {
    await p.send([{ type: 'sources', sources }, { type: 'flows/append', rows }]);
    await painted(p.page);
    // A table scrolled to its end follows new rows: go to the top to read the first.
    await p.page.locator('.vt-viewport').evaluate((v) => { v.scrollTop = 0; });
    await painted(p.page);
    assert.equal(await p.page.locator('.sources .source').count(), 1, 'only the capture agent\'s source');
    assert.match(await p.page.locator('.sources').innerText(), /^local · netgo · host-2 · capture\s*running$/i);
    assert.equal(await p.page.locator('.toolbar .count').innerText(), `${rows.length} flows`);
    const first = p.page.locator('.vt-row[aria-rowindex="1"] .vt-cell');
    const cells = await first.allInnerTexts();
    const r = rows[0]!;
    assert.equal(cells[6], `${r.src}${r.srcPort === undefined ? '' : `:${r.srcPort}`}`);
    assert.equal(cells[3], '1:100');
  });

  test('markup in flow fields shows as text and runs nothing', async () => {
    await p.page.locator('.vt-viewport').evaluate((v) => { v.scrollTop = v.scrollHeight; });
    await painted(p.page);
    const row = p.page.locator(`.vt-row[aria-rowindex="${rows.length}"]`);
    const cells = await row.locator('.vt-cell').allInnerTexts();
    assert.equal(cells[1], '<b>host-9</b>');
    assert.equal(cells[2], XSS_SCRIPT);
    assert.equal(cells[6], `${XSS}:1`);
    assert.equal(await p.page.locator('img, b, script:not([nonce])').count(), 0, 'no element made from wire text');
    await assertClean(p);
  });

  test('the filter box keeps the rows whose fields match, and says how many', async () => {
    const expected = rows.filter((r) => r.protocol === 6).length;
    await p.page.locator('input.filter').fill('proto:tcp');
    await p.page.waitForFunction((n) => document.querySelector('.toolbar .count')?.textContent?.startsWith(`${n} of `), expected);
    await painted(p.page);
    const protos = await p.page.locator('.vt-row:not([hidden]) .col-proto').allInnerTexts();
    assert.ok(protos.length > 0 && protos.every((x) => x === 'TCP'), protos.join(','));
    await p.page.locator('input.filter').fill('');
    await p.page.waitForFunction((n) => document.querySelector('.toolbar .count')?.textContent === `${n} flows`, rows.length);
  });

  test('a row opens its packet: tree and hex, linked both ways; the filter buttons post its expression', async () => {
    // The first TCP row over IPv4.
    const i = frames.findIndex((f) => f.row.protocol === 6 && !f.row.src!.includes(':'));
    const { row, bytes } = frames[i]!;
    await p.page.locator('.vt-viewport').evaluate((v, top) => { v.scrollTop = top; }, i * 24);
    await painted(p.page);
    await p.page.locator(`.vt-row[aria-rowindex="${i + 1}"]`).click();
    await p.page.waitForFunction(() => true);
    assert.deepEqual(await lastPosted(p, 'flows/detailRequest'), { type: 'flows/detailRequest', id: row.id });
    const decoded = packetTree(bytes, 'ethernet');
    await p.send([{ type: 'flows/detail', id: row.id, packet: decoded }]);
    await painted(p.page);
    const layers = await p.page.locator('.pv-item[aria-level="1"] > .pv-row > .pv-label').allInnerTexts();
    assert.deepEqual(layers, decoded.tree.map((n) => n.label));

    // Tree → bytes: the IPv4 source address lights its four bytes.
    await p.page.locator('.pv-item[aria-level="2"]', { hasText: 'Source address' }).first().locator('> .pv-row').click();
    const lit = await p.page.locator('.pv-byte.hl').allInnerTexts();
    const ip = decoded.tree.find((n) => n.label === 'Internet Protocol Version 4')!;
    const src = ip.children!.find((c) => c.label === 'Source address')!;
    assert.equal(lit.join(''), decoded.hex.slice(src.start * 2, src.end * 2));
    assert.equal(lit.join('').match(/../g)!.map((h) => parseInt(h, 16)).join('.'), row.src);

    // Bytes → tree: a byte of the TCP destination port selects that field.
    const tcp = decoded.tree.find((n) => n.label === 'Transmission Control Protocol')!;
    const dport = tcp.children!.find((c) => c.label === 'Destination port')!;
    await p.page.locator(`.pv-byte[data-offset="${dport.start + 1}"]`).click();
    assert.equal(await p.page.locator('.pv-item.selected > .pv-row > .pv-label').innerText(), 'Destination port');
    assert.deepEqual(await p.page.locator('.pv-byte.hl').allInnerTexts(), [decoded.hex.slice(dport.start * 2, dport.start * 2 + 2), decoded.hex.slice(dport.start * 2 + 2, dport.end * 2)]);

    const expr = flowFilter(row)!;
    assert.equal(await p.page.locator('.expression').innerText(), expr);
    await p.page.getByRole('button', { name: 'Copy as BPF filter' }).click();
    assert.deepEqual(await lastPosted(p, 'flows/copyFilter'), { type: 'flows/copyFilter', filter: expr });
    await p.page.getByRole('button', { name: 'Capture this flow' }).click();
    assert.deepEqual(await lastPosted(p, 'flows/captureFlow'), { type: 'flows/captureFlow', filter: expr });
    await p.send([{ type: 'flows/filter', filter: expr }]);
    assert.equal(await p.page.locator('.detail-bar .note').innerText(), `Capturing: ${expr}`);
    await shot(p, 'flows-dark');
  });

  test('arrow keys move the selection and ask for the next row\'s packet', async () => {
    const before = (await lastPosted(p, 'flows/detailRequest')) as { id: number };
    await p.page.locator('.vt-viewport').focus();
    await p.page.keyboard.press('ArrowDown');
    await painted(p.page);
    assert.deepEqual(await lastPosted(p, 'flows/detailRequest'), { type: 'flows/detailRequest', id: before.id + 1 });
    assert.equal(await p.page.locator('.vt-row[aria-selected="true"]').getAttribute('aria-rowindex'), String(before.id + 1));
  });

  test('100,000 rows are kept and only the rows in view are in the DOM', async () => {
    const many: FlowRow[] = [];
    for (let k = 0; k < 100_000; k++) many.push({ ...rows[k % frames.length]!, id: rows.length + 1 + k, ts: T0 + k });
    for (let k = 0; k < many.length; k += 10_000) await p.send([{ type: 'flows/append', rows: many.slice(k, k + 10_000) }]);
    await p.page.waitForFunction(() => document.querySelector('.toolbar .count')?.textContent === '100,000 flows', undefined, { timeout: 20_000 });
    assert.equal(await p.page.locator('.vt').getAttribute('aria-rowcount'), '100000');
    await painted(p.page);
    const inDom = await p.page.locator('.vt-row').count();
    assert.ok(inDom < 100, `${inDom} row elements`);
    await assertClean(p);
  });
});

function talkerRows(n: number, xss = false): TalkerRow[] {
  const total = 3e6;
  return Array.from({ length: n }, (_, i) => {
    const bytes = Math.round(total / (i + 1.6) ** 1.4);
    return {
      rank: i + 1, a: i < 3 ? `203.0.113.${253 - i}:5201` : `198.51.100.${10 + i}:${40000 + i}`, b: i < 3 ? `203.0.113.2:${51000 + i}` : '203.0.113.2:443',
      protocol: i % 4 === 3 ? 6 : 17, bytes, packets: Math.round(bytes / 1200), samples: Math.max(1, Math.round(bytes / 12000)), bps: (bytes * 8) / 10, share: 0,
    };
  }).map((r, _, all) => ({ ...r, share: r.bytes / all.reduce((s, x) => s + x.bytes, 0), ...(xss && r.rank === 5 ? { a: XSS, b: XSS_SCRIPT } : {}) }));
}

describe('Top Talkers panel in Chromium', () => {
  let p: PanelPage;
  before(async () => { p = await openPanel('talkers', 'light'); });
  after(async () => { await p?.close(); });

  test('the ranking shows in rank order with rates and shares; markup shows as text', async () => {
    await p.send([{ type: 'sources', sources }, { type: 'talkers/snapshot', ts: T0, window: 10, by: 'bytes', flows: 57, rows: talkerRows(12, true) }]);
    await painted(p.page);
    const from = await p.page.locator('.vt-row:not([hidden]) .col-a').allInnerTexts();
    assert.deepEqual(from.slice(0, 3), ['203.0.113.253:5201', '203.0.113.252:5201', '203.0.113.251:5201']);
    assert.equal(from[4], XSS);
    assert.equal(await p.page.locator('.vt-row[aria-rowindex="5"] .col-b').innerText(), XSS_SCRIPT);
    assert.match(await p.page.locator('.vt-row[aria-rowindex="1"] .col-bps').innerText(), /^\d+(\.\d+)? (k|M)bit\/s$/);
    assert.match(await p.page.locator('.toolbar .count').innerText(), /^57 conversations · top 12 by bytes over 10 s/);
    await assertClean(p);
  });

  test('a column header sorts, again reverses', async () => {
    await p.page.getByRole('columnheader', { name: 'Samples' }).click();
    await painted(p.page);
    const samples = (await p.page.locator('.vt-row:not([hidden]) .col-samples').allInnerTexts()).map((s) => Number(s.replace(/,/g, '')));
    assert.deepEqual(samples, [...samples].sort((a, b) => b - a));
    assert.equal(await p.page.getByRole('columnheader', { name: 'Samples' }).getAttribute('aria-sort'), 'descending');
    await p.page.getByRole('columnheader', { name: 'From' }).click();
    await painted(p.page);
    const from = await p.page.locator('.vt-row:not([hidden]) .col-a').allInnerTexts();
    assert.deepEqual(from, [...from].sort(new Intl.Collator(undefined, { numeric: true }).compare));
    await p.page.getByRole('columnheader', { name: '#' }).click();
    await painted(p.page);
  });

  test('the selectors post the agent\'s new settings', async () => {
    await p.page.getByLabel('Window').selectOption('30');
    assert.deepEqual(await lastPosted(p, 'talkers/config'), { type: 'talkers/config', window: 30, top: 20, by: 'bytes' });
    await p.page.getByLabel('By').selectOption('packets');
    assert.deepEqual(await lastPosted(p, 'talkers/config'), { type: 'talkers/config', window: 30, top: 20, by: 'packets' });
  });

  test('pause freezes the view while rankings arrive; resume shows the latest', async () => {
    await p.page.getByRole('button', { name: 'Pause' }).click();
    const newer = talkerRows(12).map((r) => ({ ...r, a: r.rank === 1 ? '192.0.2.99:9' : r.a }));
    await p.send([{ type: 'talkers/snapshot', ts: T0 + 250, window: 30, by: 'packets', flows: 60, rows: newer }]);
    await painted(p.page);
    assert.equal(await p.page.locator('.vt-row[aria-rowindex="1"] .col-a').innerText(), '203.0.113.253:5201');
    assert.match(await p.page.locator('.toolbar .count').innerText(), /1 newer rankings held/);
    await p.page.getByRole('button', { name: 'Resume' }).click();
    await painted(p.page);
    assert.equal(await p.page.locator('.vt-row[aria-rowindex="1"] .col-a').innerText(), '192.0.2.99:9');
    await p.send([{ type: 'talkers/snapshot', ts: T0 + 500, window: 10, by: 'bytes', flows: 57, rows: talkerRows(12) }]);
    await p.page.getByLabel('Window').selectOption('10');
    await p.page.getByLabel('By').selectOption('bytes');
    await shot(p, 'talkers-light');
    await assertClean(p);
  });

  test('the selectors show the agent\'s own window, top-N and unit; a choice not yet taken is not undone', async () => {
    const ranking = (ts: number, window: number, by: 'bytes' | 'packets', top: number) => ({ type: 'talkers/snapshot' as const, ts, window, by, top, flows: 57, rows: talkerRows(12) });
    const shownSettings = async () => Promise.all(['Window', 'Top', 'By'].map((l) => p.page.getByLabel(l, { exact: true }).inputValue()));
    // The agent the last test's choice restarted: its first ranking confirms that choice.
    await p.send([ranking(T0 + 750, 10, 'bytes', 20)]);
    await painted(p.page);
    assert.deepEqual(await shownSettings(), ['10', '20', 'bytes']);
    // An agent started elsewhere (the palette, a launch configuration) with its own flags: the selectors follow it,
    // a top-N the list lacks included.
    await p.send([ranking(T0 + 1000, 60, 'packets', 15)]);
    await painted(p.page);
    assert.deepEqual(await shownSettings(), ['60', '15', 'packets']);
    // A choice posted: rankings of the agent being replaced keep coming and do not undo it; the new agent's confirm it.
    await p.page.getByLabel('Top', { exact: true }).selectOption('50');
    assert.deepEqual(await lastPosted(p, 'talkers/config'), { type: 'talkers/config', window: 60, top: 50, by: 'packets' });
    await p.send([ranking(T0 + 1250, 60, 'packets', 15)]);
    await painted(p.page);
    assert.deepEqual(await shownSettings(), ['60', '50', 'packets']);
    assert.match(await p.page.locator('.toolbar .note').innerText(), /^Restarting top-talkers: 60 s window, top 50, by packets/);
    await p.send([ranking(T0 + 1500, 60, 'packets', 50)]);
    await painted(p.page);
    assert.deepEqual(await shownSettings(), ['60', '50', 'packets']);
    assert.equal(await p.page.locator('.toolbar .note').innerText(), '');
    await assertClean(p);
  });
});

/** A lab-like RTT series: ~2 ms with jitter, a slow tail and a few outliers (deterministic). */
function rttSamples(responder: string, n: number, base: number): RttSample[] {
  let seed = responder.length * 7919;
  const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  return Array.from({ length: n }, (_, i) => {
    const u = rnd();
    const rttMs = base + (u < 0.9 ? rnd() * 0.6 : u < 0.99 ? 0.6 + rnd() * 2 : 4 + rnd() * 12);
    return { responder, seq: i + 1, ts: T0 + i * 1000, rttMs };
  });
}

function exactQuantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.ceil(q * s.length) - 1]!;
}

describe('BGP RTT panel in Chromium', () => {
  let p: PanelPage;
  before(async () => { p = await openPanel('rtt', 'dark', { viewport: { width: 1280, height: 900 } }); });
  after(async () => { await p?.close(); });

  test('each responder gets a card with its charts, lost probes, held time and quantiles', async () => {
    const h1 = rttSamples('host-1', 600, 1.6);
    const h3 = rttSamples('host-3', 600, 2.3);
    await p.send([
      { type: 'sources', sources },
      { type: 'rtt/session', peer: '203.0.113.129', state: 'Established' },
      { type: 'rtt/append', samples: [...h1, ...h3] },
      { type: 'rtt/lost', ts: T0 + 200_500, seq: 201, responders: ['host-3'] },
      { type: 'rtt/lost', ts: T0 + 420_500, seq: 421, responders: ['host-1', 'host-3'] },
      { type: 'rtt/held', responder: 'host-1', ts: T0, turnaroundUs: 38 },
      { type: 'rtt/held', responder: 'host-3', ts: T0, turnaroundUs: 44 },
    ]);
    await painted(p.page);
    assert.deepEqual(await p.page.locator('.card .responder').allInnerTexts(), ['host-1', 'host-3']);
    const card = p.page.locator('.card').nth(1);
    assert.match(await card.locator('.counts').innerText(), /^600 answered · 2 lost \(0\.3 %\)$/);
    assert.equal(await card.locator('.held').innerText(), 'held by responder 44 µs');
    assert.equal(await card.locator('canvas').count(), 2);
    const values = h3.map((s) => s.rttMs);
    for (const [q, cls] of [[0.5, 'p50'], [0.9, 'p90'], [0.99, 'p99']] as const) {
      const shown = Number((await card.locator(`.stat.${cls} .stat-value`).innerText()).replace(' ms', ''));
      const exact = exactQuantile(values, q);
      assert.ok(Math.abs(shown - exact) / exact < 0.02, `${cls}: shown ${shown}, exact ${exact}`);
    }
    assert.equal(await card.locator('.stat.max .stat-value').innerText(), `${Math.max(...values).toFixed(1)} ms`);
    assert.match(await p.page.locator('.session').innerText(), /BGP 203\.0\.113\.129 Established/);
    await shot(p, 'rtt-dark');
  });

  test('a responder whose id is markup is shown as text and nothing runs', async () => {
    await p.send([{ type: 'rtt/append', samples: rttSamples(XSS, 20, 3) }, { type: 'rtt/lost', ts: T0, seq: 1, responders: [XSS_SCRIPT] }]);
    await painted(p.page);
    const titles = await p.page.locator('.card .responder').allInnerTexts();
    assert.ok(titles.includes(XSS) && titles.includes(XSS_SCRIPT), titles.join(' | '));
    assert.equal(await p.page.locator('img, script:not([nonce])').count(), 0);
    await assertClean(p);
  });

  test('100,000 points are drawn from at most two per pixel column', async () => {
    await p.send([{ type: 'rtt/clear' }]);
    const big = rttSamples('host-1', 100_000, 1.6).map((s, i) => ({ ...s, ts: T0 + i * 10 }));
    for (let k = 0; k < big.length; k += 20_000) await p.send([{ type: 'rtt/append', samples: big.slice(k, k + 20_000) }]);
    await painted(p.page);
    assert.match(await p.page.locator('.card .counts').innerText(), /^100,000 answered/);
    // uPlot's data is what was handed to it: decimated below twice the plot's width.
    const drawn = await p.page.locator('.card').first().evaluate(() => document.querySelectorAll('.series-chart canvas').length);
    assert.equal(drawn, 1);
    await assertClean(p);
  });
});

describe('every panel in every theme', () => {
  const themes: ThemeName[] = ['light', 'dark', 'high-contrast'];
  for (const themeName of themes) {
    test(`flows, talkers and rtt in ${themeName}: no CSP violation, no console error`, async () => {
      for (const kind of ['flows', 'talkers', 'rtt'] as const) {
        const p = await openPanel(kind, themeName);
        try {
          await p.send([{ type: 'sources', sources }]);
          if (kind === 'flows') {
            const frames = labRows();
            await p.send([{ type: 'flows/append', rows: frames.map((f) => f.row) }]);
            await painted(p.page);
            await p.page.locator('.vt-viewport').evaluate((v) => { v.scrollTop = 0; });
            await painted(p.page);
            await p.page.locator('.vt-row[aria-rowindex="3"]').click();
            const f = frames[2]!;
            await p.send([{ type: 'flows/detail', id: f.row.id, packet: packetTree(f.bytes, 'ethernet') }]);
            await painted(p.page);
            await p.page.locator('.pv-item[aria-level="1"]').nth(1).locator('> .pv-row').click();
          } else if (kind === 'talkers') {
            await p.send([{ type: 'talkers/snapshot', ts: T0, window: 10, by: 'bytes', flows: 57, rows: talkerRows(12) }]);
          } else {
            await p.send([
              { type: 'rtt/session', peer: '203.0.113.129', state: 'Established' },
              { type: 'rtt/append', samples: [...rttSamples('host-1', 300, 1.6), ...rttSamples('host-3', 300, 2.3)] },
              { type: 'rtt/lost', ts: T0 + 120_500, seq: 121, responders: ['host-3'] },
              { type: 'rtt/held', responder: 'host-1', ts: T0, turnaroundUs: 38 },
            ]);
          }
          await shot(p, `${kind}-${themeName}`);
          await assertClean(p);
        } finally {
          await p.close();
        }
      }
    });
  }
});

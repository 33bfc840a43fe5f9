/**
 * The capture viewer's page: a virtualised packet list whose rows are fetched from the extension a window
 * at a time (one request in flight), the selected packet's layers beside its bytes, and statistics tabs
 * (conversations, top talkers, protocol hierarchy). The page holds no packets beyond a cache of rows.
 * The filter box sends its expression to the extension, whose worker runs labtel's pcap-filter compiler and
 * interpreter over the file: the list becomes the matches (a new view, numbered), or the compiler's error is
 * shown under the box with the part of the expression at fault marked, and the list stays as it was.
 */
import '../common/panel.css';
import './capture.css';
import type { CaptureRow, CaptureStatistics, CaptureToWebview, FilterErrorInfo, FilterState, WebviewToCapture } from '../../src/shared/captureMessages';
import { ipProtocolName } from '../../src/shared/format';
import { el, formatCount, setText } from '../common/dom';
import { PacketView } from '../common/packetView';
import { connectHost } from '../common/vscodeApi';
import { VirtualTable, type Column } from '../common/virtualTable';

const ROW_HEIGHT = 22;
/** Rows asked for beyond those in view, so a scroll of a screen or so needs no new request. */
const FETCH_MARGIN = 60;
/** Rows the page keeps; beyond it the cache is emptied and refilled from what is in view. */
const CACHE_LIMIT = 20_000;
/** Shown in the statistics tables at most (the extension sorts them, biggest first). */
const STAT_ROWS = 500;

interface State { selected?: number; tab?: string }

const host = connectHost<State, CaptureToWebview, WebviewToCapture>();
/** Rows of the list shown, by their place in it; `positions` says where a packet number is. */
const cache = new Map<number, CaptureRow>();
const positions = new Map<number, number>();
/** Packets indexed in the file. */
let count = 0;
let done = false;
/** The list shown: 0 is every packet, else the filter of that number (its state in `filter`). */
let view = 0;
let filter: FilterState | undefined;
/** Rows in the list shown. */
const shown = (): number => (view === 0 ? count : filter?.matched ?? 0);
let inFlight: { from: number; to: number } | undefined;
let wanted: { from: number; to: number } | undefined;
let selected: number | undefined = host.state?.selected;
let fileSize = 0;

const placeholder = (i: number): CaptureRow => ({ number: i + 1, time: Number.NaN, source: '', destination: '', protocol: '', length: Number.NaN, info: '…' });

const columns: Column<CaptureRow>[] = [
  { key: 'no', title: 'No.', width: '64px', align: 'right', text: (r) => String(r.number) },
  { key: 'time', title: 'Time', width: '96px', align: 'right', text: (r) => (Number.isNaN(r.time) ? '' : r.time.toFixed(6)) },
  { key: 'src', title: 'Source', width: 'minmax(120px, 1fr)', text: (r) => r.source },
  { key: 'dst', title: 'Destination', width: 'minmax(120px, 1fr)', text: (r) => r.destination },
  { key: 'proto', title: 'Protocol', width: '72px', text: (r) => r.protocol },
  { key: 'len', title: 'Length', width: '64px', align: 'right', text: (r) => (Number.isNaN(r.length) ? '' : String(r.length)) },
  { key: 'info', title: 'Info', width: 'minmax(200px, 3fr)', text: (r) => r.info },
];

let missingLow = Number.POSITIVE_INFINITY;
let missingHigh = -1;
const table = new VirtualTable<CaptureRow>({
  label: 'Packets',
  columns,
  follow: false,
  rowHeight: ROW_HEIGHT,
  row: (i) => {
    const r = cache.get(i);
    if (r) return r;
    missingLow = Math.min(missingLow, i);
    missingHigh = Math.max(missingHigh, i);
    queueMicrotask(fetchMissing);
    return placeholder(i);
  },
  key: (r) => r.number,
  indexOfKey: (n) => (view === 0 ? ((n as number) <= count ? (n as number) - 1 : -1) : positions.get(n as number) ?? -1),
  onSelect: (r) => choose(r?.number),
  onActivate: (r) => choose(r.number),
});

function fetchMissing(): void {
  if (missingHigh < 0) return;
  const from = Math.max(0, missingLow - FETCH_MARGIN);
  const to = Math.min(shown(), missingHigh + 1 + FETCH_MARGIN);
  missingLow = Number.POSITIVE_INFINITY;
  missingHigh = -1;
  if (from >= to) return;
  if (inFlight) {
    wanted = { from, to }; // the latest wish wins; asked for when the answer in flight arrives
    return;
  }
  inFlight = { from, to };
  host.post({ type: 'capture/rowsRequest', view, from, to });
}

function clearRows(): void {
  cache.clear();
  positions.clear();
}

// ---- the page ----
const title = el('h1', 'panel-title', undefined, 'Capture');
const progress = el('span', 'count', { 'aria-live': 'polite' });

const filterInput = el('input', 'filter mono', {
  type: 'text', placeholder: 'pcap-filter expression, e.g. udp port 6343', 'aria-label': 'pcap-filter expression',
  spellcheck: 'false', autocomplete: 'off', title: 'pcap-filter expression (libpcap\'s syntax), compiled by labtel; Enter applies it, Escape clears it',
});
const filterClear = el('button', 'secondary icon clear-filter', { type: 'button', title: 'Show every packet', 'aria-label': 'Clear the filter', hidden: true }, '×');
const filterStatus = el('span', 'note filter-status', { 'aria-live': 'polite', 'data-view': '0' });
const filterError = el('div', 'filter-error', { role: 'alert', hidden: true });
const portsInput = el('input', 'ports mono', { type: 'text', 'aria-label': 'UDP ports decoded as sFlow', spellcheck: 'false', title: 'UDP ports whose payload is decoded as sFlow v5, separated by commas' });
const applyPorts = el('button', 'secondary', { type: 'button' }, 'Decode as sFlow');
const exportSelected = el('button', 'secondary', { type: 'button', disabled: true }, 'Export selected…');
const exportAll = el('button', 'secondary export-shown', { type: 'button', disabled: true }, 'Export all…');
// Export sits in the header beside the count it writes; the toolbar leaves the filter room for an expression.
const header = el('header', 'panel-header', undefined, title, el('span', 'note file-size'),
  el('div', 'header-extra', undefined, progress, el('span', 'header-actions', undefined, exportSelected, exportAll)));
const toolbar = el('div', 'toolbar', undefined,
  el('label', 'field filter-field', undefined, 'Filter', filterInput), filterClear, filterStatus, el('span', 'spacer'),
  el('label', 'field', undefined, 'UDP ports', portsInput), applyPorts);
const banner = el('div', 'banner', { role: 'alert', hidden: true });
const notice = el('div', 'notice note', { 'aria-live': 'polite', hidden: true });

const tabs = ['packets', 'conversations', 'talkers', 'hierarchy'] as const;
type Tab = (typeof tabs)[number];
const tabTitles: Record<Tab, string> = { packets: 'Packets', conversations: 'Conversations', talkers: 'Top talkers', hierarchy: 'Protocol hierarchy' };
const tabButtons = new Map<Tab, HTMLButtonElement>();
const tabBar = el('div', 'tabs', { role: 'tablist' });
for (const t of tabs) {
  const b = el('button', 'tab', { type: 'button', role: 'tab', 'data-tab': t, 'aria-selected': 'false' }, tabTitles[t]);
  b.addEventListener('click', () => showTab(t));
  tabButtons.set(t, b);
  tabBar.append(b);
}

const packet = new PacketView();
packet.clear('Select a packet to see its layers and bytes.');
const detailTitle = el('span', 'detail-title', undefined, 'Packet');
const packetsPane = el('section', 'pane packets', { role: 'tabpanel' },
  el('div', 'table-area', undefined, table.element),
  el('section', 'detail', { 'aria-label': 'Selected packet' }, el('div', 'detail-bar', undefined, detailTitle), packet.element));
const conversationsPane = el('section', 'pane stats', { role: 'tabpanel', hidden: true });
const talkersPane = el('section', 'pane stats', { role: 'tabpanel', hidden: true });
const hierarchyPane = el('section', 'pane stats', { role: 'tabpanel', hidden: true });
const panes: Record<Tab, HTMLElement> = { packets: packetsPane, conversations: conversationsPane, talkers: talkersPane, hierarchy: hierarchyPane };
for (const p of [conversationsPane, talkersPane, hierarchyPane]) p.append(el('div', 'empty', undefined, 'Statistics appear once the whole file is indexed.'));

document.body.append(header, toolbar, filterError, banner, notice, tabBar, ...Object.values(panes));
table.mount();
showTab((host.state?.tab as Tab | undefined) ?? 'packets');

function save(): void {
  host.saveState({ selected, tab: [...tabButtons].find(([, b]) => b.getAttribute('aria-selected') === 'true')?.[0] });
}

function showTab(t: Tab): void {
  for (const [k, b] of tabButtons) {
    b.setAttribute('aria-selected', String(k === t));
    panes[k].hidden = k !== t;
  }
  if (t === 'packets') table.update(shown());
  save();
}

function choose(n: number | undefined): void {
  if (n === undefined || n === selected) return;
  selected = n;
  exportSelected.disabled = false;
  setText(detailTitle, `Packet ${n}`);
  packet.clear('Decoding…');
  host.post({ type: 'capture/detailRequest', number: n });
  save();
}

function parsePorts(text: string): number[] | string {
  const ports = text.split(/[\s,]+/).filter(Boolean).map(Number);
  if (ports.length === 0) return 'name at least one UDP port';
  const bad = ports.find((p) => !Number.isInteger(p) || p < 1 || p > 65535);
  return bad === undefined ? ports : `${bad} is not a UDP port (1-65535)`;
}

applyPorts.addEventListener('click', () => {
  const ports = parsePorts(portsInput.value);
  if (typeof ports === 'string') return showNotice(ports, true);
  clearRows();
  host.post({ type: 'capture/decodeAs', sflowPorts: ports });
});
portsInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyPorts.click(); });
exportSelected.addEventListener('click', () => { if (selected !== undefined) host.post({ type: 'capture/export', numbers: [selected] }); });
exportAll.addEventListener('click', () => host.post({ type: 'capture/export' }));

// ---- the filter ----
let applied = '';
function applyFilter(expression: string): void {
  filterInput.setAttribute('aria-busy', 'true');
  host.post({ type: 'capture/filter', expression });
}
filterInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') applyFilter(filterInput.value);
  else if (e.key === 'Escape' && filterInput.value !== '') {
    filterInput.value = '';
    applyFilter('');
  }
});
filterInput.addEventListener('input', () => filterInput.classList.toggle('edited', filterInput.value.trim() !== applied.trim()));
filterClear.addEventListener('click', () => {
  filterInput.value = '';
  applyFilter('');
  filterInput.focus();
});

/** The compiler's message, then the expression with the part at fault marked (a caret where a token is missing). */
function showFilterError(e: FilterErrorInfo): void {
  filterInput.removeAttribute('aria-busy');
  filterInput.setAttribute('aria-invalid', 'true');
  const at = el('mark', e.end > e.start ? 'at' : 'at missing', undefined, e.expression.slice(e.start, e.end) || ' ');
  filterError.replaceChildren(
    el('span', 'filter-error-message', undefined, e.message),
    el('code', 'filter-error-source', undefined, e.expression.slice(0, e.start), at, e.expression.slice(e.end)),
  );
  filterError.setAttribute('data-start', String(e.start));
  filterError.setAttribute('data-end', String(e.end));
  filterError.hidden = false;
}

function showFilter(state: FilterState): void {
  filterInput.removeAttribute('aria-busy');
  filterInput.removeAttribute('aria-invalid');
  filterError.hidden = true;
  if (state.view !== view) {
    view = state.view;
    clearRows();
    inFlight = undefined;
    wanted = undefined;
  }
  filter = state.view === 0 ? undefined : state;
  applied = state.expression;
  if (document.activeElement !== filterInput || filterInput.value.trim() === '' || !filterInput.classList.contains('edited')) filterInput.value = state.expression;
  filterInput.classList.remove('edited');
  filterInput.classList.toggle('active', state.view !== 0);
  filterClear.hidden = state.view === 0;
  filterStatus.setAttribute('data-view', String(state.view));
  filterStatus.setAttribute('data-matched', String(state.matched));
  filterStatus.setAttribute('data-done', String(state.done));
  filterStatus.setAttribute('data-expression', state.expression);
  const untested = state.untested.reduce((n, u) => n + u.frames, 0);
  setText(filterStatus, state.view === 0 ? ''
    : `${state.done ? '' : 'filtering… '}${formatCount(state.matched)} of ${formatCount(state.done ? state.scanned : count)} match${untested ? ` · ${formatCount(untested)} not tested` : ''}`);
  filterStatus.title = state.untested.map((u) => `${formatCount(u.frames)} frame(s): ${u.reason}`).join('\n');
  setText(exportAll, state.view === 0 ? 'Export all…' : 'Export matches…');
  exportAll.title = state.view === 0 ? 'Write every packet to a new pcapng' : `Write the packets matching ${state.expression} to a new pcapng`;
  updateExport();
  table.update(shown());
}

function updateExport(): void {
  exportAll.disabled = view === 0 ? !done || count === 0 : !filter?.done || filter.matched === 0;
}

function showNotice(text: string, error = false): void {
  notice.hidden = false;
  notice.classList.toggle('error', error);
  setText(notice, text);
}

function formatBytes(n: number): string {
  return n >= 1 << 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : n >= 1 << 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

function statTable(caption: string, heads: readonly string[], rows: ReadonlyArray<readonly string[]>, rightFrom: number, indent?: readonly number[]): HTMLElement {
  const head = el('tr', undefined, undefined, ...heads.map((h, i) => el('th', i >= rightFrom ? 'right' : undefined, { scope: 'col' }, h)));
  const body = rows.slice(0, STAT_ROWS).map((r, k) => el('tr', undefined, undefined, ...r.map((c, i) =>
    el('td', `${i >= rightFrom ? 'right' : ''}${i === 0 && indent ? ` depth-${Math.min(indent[k]!, 8)}` : ''}${i < rightFrom ? ' mono' : ''}`, undefined, c))));
  const more = rows.length > STAT_ROWS ? el('div', 'note more', undefined, `${formatCount(rows.length - STAT_ROWS)} more not shown`) : undefined;
  return el('div', 'stat-block', undefined, el('h2', 'stat-title', undefined, caption), el('table', 'stat', undefined, el('thead', undefined, undefined, head), el('tbody', undefined, undefined, ...body)), more);
}

function showStatistics(s: CaptureStatistics): void {
  const n = (v: number) => formatCount(v);
  conversationsPane.replaceChildren(statTable(`IP conversations (${n(s.conversations.length)})`,
    ['Address A', 'Address B', 'Frames A → B', 'Bytes A → B', 'Frames B → A', 'Bytes B → A', 'Frames', 'Bytes'],
    s.conversations.map((c) => [c.a, c.b, n(c.framesAtoB), n(c.bytesAtoB), n(c.framesBtoA), n(c.bytesBtoA), n(c.framesAtoB + c.framesBtoA), n(c.bytesAtoB + c.bytesBtoA)]), 2));
  const talkerRows = (rows: CaptureStatistics['talkers']) => rows.map((t, i) => [String(i + 1), t.a, t.b, ipProtocolName(t.protocol), n(t.packets), n(t.bytes), `${(t.share * 100).toFixed(1)} %`]);
  const heads = ['#', 'Endpoint A', 'Endpoint B', 'Protocol', 'Packets', 'Bytes', 'Share'];
  talkersPane.replaceChildren(
    statTable('Packets in the file', heads, talkerRows(s.talkers), 4),
    statTable(`Flows sampled inside sFlow (${n(s.sflowSamples)} flow samples, scaled by their sampling rate)`, heads, talkerRows(s.sampledTalkers), 4));
  const total = s.hierarchy[0]?.frames ?? 0;
  hierarchyPane.replaceChildren(statTable('Protocol hierarchy', ['Protocol', 'Frames', '% frames', 'Bytes'],
    s.hierarchy.map((h) => [h.name, n(h.frames), total ? `${((h.frames / total) * 100).toFixed(2)} %` : '', n(h.bytes)]), 1, s.hierarchy.map((h) => h.depth)));
}

host.start((m) => {
  switch (m.type) {
    case 'capture/info':
      setText(title, m.fileName);
      fileSize = m.fileSize;
      setText(header.querySelector('.file-size')!, formatBytes(m.fileSize));
      portsInput.value = m.sflowPorts.join(', ');
      break;
    case 'capture/progress': {
      if (m.count < count) clearRows(); // a new pass (decode as): the rows are summarised again
      count = m.count;
      done = m.done;
      const pct = fileSize ? ` · ${Math.round((m.bytesRead / fileSize) * 100)} %` : '';
      setText(progress, done ? `${formatCount(count)} packets` : `indexing… ${formatCount(count)} packets${pct}`);
      progress.setAttribute('data-count', String(count));
      progress.setAttribute('data-done', String(done));
      updateExport();
      banner.hidden = !m.error;
      if (m.error) {
        setText(banner, `The file breaks at byte ${formatCount(m.error.offset)}, packet ${formatCount(m.error.packetNumber)}: ${m.error.message}. The ${formatCount(count)} packets before it are shown.`);
      }
      if (view === 0) table.update(count);
      if (view === 0 && selected !== undefined && selected <= count && !cache.has(selected - 1) && m.done) {
        const n = selected;
        selected = undefined;
        table.select(n);
        choose(n);
      }
      break;
    }
    case 'capture/rows': {
      inFlight = undefined;
      if (m.view === view) {
        if (cache.size > CACHE_LIMIT) clearRows();
        m.rows.forEach((r, k) => {
          cache.set(m.from + k, r);
          positions.set(r.number, m.from + k);
        });
      }
      if (wanted) {
        const w = wanted;
        wanted = undefined;
        inFlight = w;
        host.post({ type: 'capture/rowsRequest', view, from: w.from, to: w.to });
      }
      table.update(shown());
      break;
    }
    case 'capture/filter':
      showFilter(m.state);
      break;
    case 'capture/filterError':
      showFilterError(m.error);
      break;
    case 'capture/detail':
      if (m.number === selected) packet.show(m.packet);
      break;
    case 'capture/statistics':
      showStatistics(m.statistics);
      break;
    case 'capture/notice':
      showNotice(m.text, m.error);
      break;
  }
});

/**
 * The Flows panel: the capture agent's flow records in a virtualised table (newest at the bottom, followed
 * while scrolled to the end), a filter box, and a row's sampled packet as a tree beside its bytes.
 * "Copy as BPF filter" and "Capture this flow" turn the selected row into a pcap-filter expression.
 */
import '../common/panel.css';
import './flows.css';
import type { DecodedPacket } from '../../src/shared/packetTree';
import type { ExtensionToWebview, FlowRow } from '../../src/shared/webviewMessages';
import { flowFilter } from '../../src/shared/flowFilter';
import { formatEndpoint, formatSflowInterface, formatTimeOfDay, ipProtocolName } from '../../src/shared/format';
import { el, formatCount, setText } from '../common/dom';
import { PacketView } from '../common/packetView';
import { SourceHeader, emptyState } from '../common/sourceHeader';
import { connectHost } from '../common/vscodeApi';
import { VirtualTable, type Column } from '../common/virtualTable';
import { compileFilter, type RowFilter } from './rowFilter';

/** Rows kept in the page, as in the extension's model. */
const CAPACITY = 100_000;
const ROW_HEIGHT = 24;
/** A filter is applied this long after the last keystroke. */
const FILTER_DELAY_MS = 120;

interface State { filter: string }

const host = connectHost<State>();
let rows: FlowRow[] = [];
/** The rows the filter lets through (rows itself when there is no filter). */
let view: FlowRow[] = rows;
let filter: RowFilter | undefined;
let selected: FlowRow | undefined;
let detailFor: number | undefined;

const columns: Column<FlowRow>[] = [
  { key: 'ts', title: 'Time', width: '96px', text: (r) => formatTimeOfDay(r.ts) },
  { key: 'node', title: 'Node', width: 'minmax(64px, 0.5fr)', text: (r) => r.node },
  { key: 'agent', title: 'Agent', width: 'minmax(96px, 0.7fr)', text: (r) => r.agentAddress },
  { key: 'rate', title: 'Sampling', width: '72px', align: 'right', text: (r) => `1:${r.samplingRate}` },
  { key: 'in', title: 'In', width: '64px', align: 'right', text: (r) => formatSflowInterface(r.inputInterface, r.inputFormat) },
  { key: 'out', title: 'Out', width: '64px', align: 'right', text: (r) => formatSflowInterface(r.outputInterface, r.outputFormat) },
  { key: 'src', title: 'Source', width: 'minmax(150px, 1.4fr)', text: (r) => formatEndpoint(r.src, r.srcPort) },
  { key: 'dst', title: 'Destination', width: 'minmax(150px, 1.4fr)', text: (r) => formatEndpoint(r.dst, r.dstPort) },
  { key: 'proto', title: 'Protocol', width: '84px', text: (r) => ipProtocolName(r.protocol) },
  { key: 'len', title: 'Length', width: '64px', align: 'right', text: (r) => String(r.frameLength) },
];

/** Binary search: ids grow along both rows and view. */
function indexOfId(list: readonly FlowRow[], id: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid]!.id;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const header = new SourceHeader('Flows', 'capture');
const table = new VirtualTable<FlowRow>({
  label: 'Flow records',
  columns,
  rowHeight: ROW_HEIGHT,
  row: (i) => view[i]!,
  key: (r) => r.id,
  indexOfKey: (id) => indexOfId(view, id as number),
  onSelect: (r) => choose(r),
  onActivate: (r) => choose(r),
});

const filterInput = el('input', 'filter', {
  type: 'search', placeholder: 'Filter, e.g. 203.0.113.2 proto:udp port:5201', title: 'Words that must all match; field:value for src, dst, host, port, sport, dport, proto, node, agent, in, out', 'aria-label': 'Filter flows', spellcheck: 'false',
});
const count = el('span', 'count', { 'aria-live': 'polite' });
const filterNote = el('span', 'note');
const expression = el('code', 'expression mono', { title: 'pcap-filter expression for the selected flow' });
const copyButton = el('button', 'secondary', { type: 'button', disabled: true, title: 'Copy the selected flow as a pcap-filter expression' }, 'Copy as BPF filter');
const captureButton = el('button', undefined, { type: 'button', disabled: true, title: 'Restart the capture agent with this filter' }, 'Capture this flow');
const captureNote = el('span', 'note', { 'aria-live': 'polite' });
const packet = new PacketView();

const empty = emptyState('No flow records yet.', 'Start the capture agent in a node that sees sFlow:', 'labtel: Start Agent → capture');
const tableArea = el('div', 'table-area', undefined, table.element, empty);
const detail = el('section', 'detail', { 'aria-label': 'Selected flow' },
  el('div', 'detail-bar', undefined, el('span', 'detail-title', undefined, 'Sampled packet'), expression, el('span', 'spacer'), captureNote, copyButton, captureButton),
  packet.element);

document.body.append(
  header.element,
  el('div', 'toolbar', undefined, filterInput, filterNote, el('span', 'spacer'), count),
  tableArea,
  detail,
);
table.mount();

function choose(r: FlowRow | undefined): void {
  selected = r;
  const expr = r ? flowFilter(r) : undefined;
  setText(expression, expr ?? (r ? 'no addresses to filter on' : ''));
  copyButton.disabled = captureButton.disabled = expr === undefined;
  if (!r) return;
  if (!r.hasHeader) {
    packet.clear('The exporter sent no packet header for this sample (a sampled IPv4/IPv6 record): nothing to decode.');
    return;
  }
  if (detailFor !== r.id) {
    detailFor = r.id;
    packet.clear('Decoding…');
    host.post({ type: 'flows/detailRequest', id: r.id });
  }
}

function refresh(): void {
  table.update(view.length);
  empty.hidden = rows.length > 0;
  table.element.hidden = rows.length === 0;
  setText(count, filter ? `${formatCount(view.length)} of ${formatCount(rows.length)} flows` : `${formatCount(rows.length)} flows`);
}

function applyFilter(text: string): void {
  const compiled = compileFilter(text);
  if (typeof compiled === 'string') {
    setText(filterNote, compiled);
    filterNote.classList.add('error');
    return;
  }
  filterNote.classList.remove('error');
  setText(filterNote, '');
  filter = compiled;
  view = filter ? rows.filter(filter) : rows;
  refresh();
  host.saveState({ filter: text });
}

function append(newRows: readonly FlowRow[]): void {
  for (const r of newRows) rows.push(r);
  if (filter) for (const r of newRows) if (filter(r)) view.push(r);
  if (rows.length > CAPACITY) {
    rows = rows.slice(rows.length - CAPACITY);
    view = filter ? view.slice(Math.max(0, indexOfFirstAtLeast(view, rows[0]!.id))) : rows;
  } else if (!filter) view = rows;
  refresh();
}

function indexOfFirstAtLeast(list: readonly FlowRow[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function showDetail(id: number, p: DecodedPacket): void {
  if (id !== detailFor) return;
  packet.show(p);
}

let filterTimer = 0;
filterInput.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = window.setTimeout(() => applyFilter(filterInput.value), FILTER_DELAY_MS);
});
copyButton.addEventListener('click', () => {
  const expr = selected && flowFilter(selected);
  if (expr) {
    host.post({ type: 'flows/copyFilter', filter: expr });
    setText(captureNote, 'Copied.');
    captureNote.className = 'note ok';
  }
});
captureButton.addEventListener('click', () => {
  const expr = selected && flowFilter(selected);
  if (expr) {
    host.post({ type: 'flows/captureFlow', filter: expr });
    setText(captureNote, 'Restarting capture…');
    captureNote.className = 'note';
  }
});

if (host.state?.filter) {
  filterInput.value = host.state.filter;
  applyFilter(host.state.filter);
}
refresh();

host.start((m: ExtensionToWebview) => {
  switch (m.type) {
    case 'sources': header.set(m.sources); return;
    case 'flows/clear':
      rows = [];
      view = filter ? [] : rows;
      selected = undefined;
      detailFor = undefined;
      packet.clear('Select a flow to see its sampled packet: layers, fields and bytes.');
      refresh();
      return;
    case 'flows/append': append(m.rows); return;
    case 'flows/detail': showDetail(m.id, m.packet); return;
    case 'flows/filter':
      setText(captureNote, m.error ? `Capture not restarted: ${m.error}` : `Capturing: ${m.filter}`);
      captureNote.className = m.error ? 'note error' : 'note ok';
      return;
    default:
      return;
  }
});

/**
 * The Top Talkers panel: the live ranking from a top-talkers agent (rank, from, to, protocol, estimated
 * rate, share, samples), sortable by any column, with the agent's window, top-N and unit as selectors
 * (posted to the extension, which restarts the agent with them) and a pause that freezes the view while
 * rankings keep arriving.
 */
import '../common/panel.css';
import './talkers.css';
import type { TalkerRow } from '../../src/shared/events';
import type { ExtensionToWebview, TalkersSnapshotMessage } from '../../src/shared/webviewMessages';
import { formatBitRate, formatTimeOfDay, ipProtocolName } from '../../src/shared/format';
import { el, formatCount, setText } from '../common/dom';
import { SourceHeader, emptyState } from '../common/sourceHeader';
import { connectHost } from '../common/vscodeApi';
import { VirtualTable, type Column, type SortState } from '../common/virtualTable';

const ROW_HEIGHT = 26;
const WINDOWS = [5, 10, 30, 60, 300];
const TOPS = [10, 20, 50, 100, 1000];
const UNITS = ['bytes', 'packets', 'samples'] as const;
type Unit = (typeof UNITS)[number];

interface State { sort: SortState; paused: boolean; window: number; top: number; by: Unit }

const host = connectHost<State>();
const state: State = { sort: { key: 'rank', descending: false }, paused: false, window: 10, top: 20, by: 'bytes', ...host.state };

let latest: TalkersSnapshotMessage | undefined;
let shown: TalkersSnapshotMessage | undefined;
let rows: readonly TalkerRow[] = [];
let received = 0;

const percent = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

const columns: Column<TalkerRow>[] = [
  { key: 'rank', title: '#', width: '44px', align: 'right', sortable: true, text: (r) => String(r.rank) },
  { key: 'a', title: 'From', width: 'minmax(150px, 1fr)', sortable: true, text: (r) => r.a },
  { key: 'b', title: 'To', width: 'minmax(150px, 1fr)', sortable: true, text: (r) => r.b },
  { key: 'protocol', title: 'Protocol', width: '76px', sortable: true, text: (r) => ipProtocolName(r.protocol) },
  { key: 'bps', title: 'Est. rate', width: '110px', align: 'right', sortable: true, text: (r) => formatBitRate(r.bps) },
  {
    key: 'share', title: 'Share', width: 'minmax(160px, 1.1fr)', sortable: true, text: () => '',
    decorate: (cell, r) => {
      let bar = cell.firstElementChild as HTMLElement | null;
      if (!bar) {
        bar = el('span', 'share', undefined, el('span', 'share-track', undefined, el('span', 'share-fill')), el('span', 'share-text'));
        cell.append(bar);
      }
      const fill = bar.querySelector<HTMLElement>('.share-fill')!;
      fill.style.width = `${Math.max(0, Math.min(1, r.share)) * 100}%`;
      setText(bar.querySelector('.share-text')!, percent.format(r.share));
    },
  },
  { key: 'samples', title: 'Samples', width: '80px', align: 'right', sortable: true, text: (r) => formatCount(r.samples) },
];

type Key = keyof Pick<TalkerRow, 'rank' | 'a' | 'b' | 'protocol' | 'bps' | 'share' | 'samples'>;
const collator = new Intl.Collator(undefined, { numeric: true });

/** The agent sends its ranking by rank: in that order there is nothing to sort (bench/ui.ts, talkers-top10000). */
function inRankOrder(list: readonly TalkerRow[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i]!.rank < list[i - 1]!.rank) return false;
  return true;
}

function sorted(list: readonly TalkerRow[], sort: SortState): readonly TalkerRow[] {
  if (sort.key === 'rank' && !sort.descending && inRankOrder(list)) return list;
  const key = sort.key as Key;
  const dir = sort.descending ? -1 : 1;
  return [...list].sort((x, y) => {
    const a = x[key];
    const b = y[key];
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
    return c === 0 ? x.rank - y.rank : c * dir;
  });
}

const keyOf = (r: TalkerRow) => `${r.a}|${r.b}|${r.protocol}`;
const header = new SourceHeader('Top Talkers', 'top-talkers');
const table = new VirtualTable<TalkerRow>({
  label: 'Top talkers',
  columns,
  rowHeight: ROW_HEIGHT,
  row: (i) => rows[i]!,
  key: keyOf,
  indexOfKey: (k) => rows.findIndex((r) => keyOf(r) === k),
  onSort: (key) => {
    // A new column sorts its natural way: numbers largest first, text A to Z, rank 1 first.
    const numeric = key !== 'a' && key !== 'b' && key !== 'rank' && key !== 'protocol';
    state.sort = state.sort.key === key ? { key, descending: !state.sort.descending } : { key, descending: numeric };
    host.saveState(state);
    render();
  },
});

/** A labelled selector of the agent's settings; `show` puts the agent's own value in it (added if not listed). */
function select<T extends string | number>(label: string, values: readonly T[], current: T, format: (v: T) => string, onChange: (v: T) => void): { element: HTMLElement; show: (v: T) => void } {
  const s = el('select', undefined, { 'aria-label': label });
  const known = [...values];
  const option = (v: T) => el('option', undefined, { value: String(v) }, format(v));
  for (const v of known) s.append(option(v));
  const show = (v: T) => {
    if (!known.includes(v)) {
      known.push(v);
      const after = Array.from(s.options).find((o) => typeof v === 'number' && Number(o.value) > v);
      s.insertBefore(option(v), after ?? null);
    }
    s.value = String(v);
  };
  show(current);
  s.addEventListener('change', () => onChange(known.find((v) => String(v) === s.value)!));
  return { element: el('label', 'field', undefined, label, s), show };
}

/** Settings posted and not yet seen in a ranking: until then, rankings of the agent being replaced do not reset the selectors. */
let configPending = false;

function sendConfig(): void {
  host.saveState(state);
  configPending = true;
  host.post({ type: 'talkers/config', window: state.window, top: state.top, by: state.by });
  setText(configNote, `Restarting top-talkers: ${state.window} s window, top ${state.top}, by ${state.by}…`);
}

/**
 * The selectors show what the agent ranks with: its window, top-N and unit come in each ranking (an agent
 * started from the palette or a launch configuration has its own flags, not the panel's last choice).
 */
function adoptAgentSettings(m: TalkersSnapshotMessage): void {
  const matches = m.window === state.window && m.by === state.by && (m.top === undefined || m.top === state.top);
  if (configPending) {
    // The agent the choice started: its first ranking ends the "Restarting…" note.
    if (matches) {
      configPending = false;
      setText(configNote, '');
    }
    return;
  }
  if (matches) return;
  if (Number.isInteger(m.window) && m.window > 0) { state.window = m.window; windowSelect.show(m.window); }
  if (m.top !== undefined) { state.top = m.top; topSelect.show(m.top); }
  state.by = m.by;
  bySelect.show(m.by);
  host.saveState(state);
}

const configNote = el('span', 'note', { 'aria-live': 'polite' });
const pause = el('button', 'secondary pause', { type: 'button', 'aria-pressed': String(state.paused), title: 'Freeze the view; rankings keep arriving' }, state.paused ? 'Resume' : 'Pause');
const summary = el('span', 'count', { 'aria-live': 'off' });
const pausedBadge = el('span', 'badge paused', { hidden: !state.paused }, 'Paused');
const empty = emptyState('No ranking yet.', 'Start top-talkers in the node that collects sFlow (host-2 in the netgo lab):', 'labtel: Start Agent → top-talkers');

const windowSelect = select('Window', WINDOWS, state.window, (v) => `${v} s`, (v) => { state.window = v; sendConfig(); });
const topSelect = select('Top', TOPS, state.top, (v) => String(v), (v) => { state.top = v; sendConfig(); });
const bySelect = select('By', UNITS, state.by, (v) => v, (v) => { state.by = v; sendConfig(); });

document.body.append(
  header.element,
  el('div', 'toolbar', undefined,
    windowSelect.element, topSelect.element, bySelect.element,
    pause, pausedBadge, configNote, el('span', 'spacer'), summary),
  el('div', 'table-area', undefined, table.element, empty),
);
table.mount();

pause.addEventListener('click', () => {
  state.paused = !state.paused;
  host.saveState(state);
  pause.setAttribute('aria-pressed', String(state.paused));
  setText(pause, state.paused ? 'Resume' : 'Pause');
  pausedBadge.hidden = !state.paused;
  if (!state.paused) shown = latest;
  render();
});

function render(): void {
  const snap = shown;
  rows = snap ? sorted(snap.rows, state.sort) : [];
  table.setSort(state.sort);
  table.update(rows.length);
  empty.hidden = !!snap;
  table.element.hidden = !snap;
  if (snap) {
    const behind = state.paused && latest !== snap ? ` · ${formatCount(received - shownAt)} newer rankings held` : '';
    setText(summary, `${formatCount(snap.flows)} conversations · top ${snap.rows.length} by ${snap.by} over ${snap.window} s · ${formatTimeOfDay(snap.ts)}${behind}`);
  } else setText(summary, '');
}
let shownAt = 0;

/** Rankings can arrive faster than frames: render the newest once, in the next frame. */
let renderFrame = 0;
function scheduleRender(): void {
  if (renderFrame) return;
  renderFrame = requestAnimationFrame(() => {
    renderFrame = 0;
    render();
  });
}

render();

host.start((m: ExtensionToWebview) => {
  switch (m.type) {
    case 'sources': header.set(m.sources); return;
    case 'talkers/snapshot':
      latest = m;
      received++;
      adoptAgentSettings(m);
      if (!state.paused || !shown) { shown = m; shownAt = received; }
      scheduleRender();
      return;
    default:
      return;
  }
});

/**
 * The BGP RTT panel: per responder a card with its RTT over time (every sample a point; lost probes
 * marked in red along the top), its distribution (log-spaced histogram with p50, p90, p99 and max
 * marked), how long the responder itself held the probes, and the BGP session's state. Charts are uPlot;
 * more samples than pixels are decimated to each pixel column's min and max, so outliers stay.
 */
import 'uplot/dist/uPlot.min.css';
import '../common/panel.css';
import './rtt.css';
import uPlot from 'uplot';
import type { ExtensionToWebview, RttSample } from '../../src/shared/webviewMessages';
import { formatMs, formatTimeOfDay, formatUs } from '../../src/shared/format';
import { el, formatCount, reducedMotion, setText } from '../common/dom';
import { SourceHeader, emptyState } from '../common/sourceHeader';
import { connectHost } from '../common/vscodeApi';
import { RttSeries, type Drawable } from './series';

const HIST_BINS = 36;
/** The histogram's x range reaches this factor beyond the smallest and largest sample (log scale). */
const HIST_MARGIN = 1.15;
const QUANTILE_LABEL_ROOM = 28;
const LOG_STEPS = [1, 2, 5];

/** Ticks for a log axis: 1-2-5 per decade inside [min, max]; fewer when the range spans many decades. */
function logTicks(min: number | null, max: number | null): number[] {
  const out: number[] = [];
  if (min === null || max === null || !(min > 0) || !(max >= min)) return out;
  const decades = Math.log10(max / min);
  const steps = decades > 3 ? [1] : LOG_STEPS;
  for (let d = Math.floor(Math.log10(min)); d <= Math.ceil(Math.log10(max)); d++) {
    for (const s of steps) {
      const v = s * 10 ** d;
      if (v >= min && v <= max) out.push(v);
    }
  }
  return out;
}

/** A tick value in ms without trailing zeros: 0.5, 2, 20, 1000. */
function msLabel(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '';
  return v >= 1 ? String(Math.round(v)) : String(Number(v.toPrecision(2)));
}

/** Time ticks as a clock: HH:MM, or HH:MM:SS when the ticks fall within minutes. */
function clockLabels(vals: number[]): string[] {
  const withSeconds = vals.some((v) => Math.round(v) % 60 !== 0);
  return vals.map((v) => {
    const d = new Date(v * 1000);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${two(d.getHours())}:${two(d.getMinutes())}${withSeconds ? `:${two(d.getSeconds())}` : ''}`;
  });
}
const SERIES_HEIGHT = 190;
const HIST_HEIGHT = 190;

interface Theme { fg: string; muted: string; grid: string; points: string; lost: string; p50: string; p90: string; p99: string; max: string; bar: string; font: string }

function readTheme(): Theme {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const fg = v('--vscode-foreground', '#cccccc');
  return {
    fg,
    muted: v('--vscode-descriptionForeground', fg),
    grid: v('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
    points: v('--vscode-charts-blue', '#3794ff'),
    lost: v('--vscode-charts-red', '#f14c4c'),
    p50: v('--vscode-charts-green', '#89d185'),
    p90: v('--vscode-charts-yellow', '#cca700'),
    p99: v('--vscode-charts-orange', '#d18616'),
    max: v('--vscode-charts-red', '#f14c4c'),
    bar: v('--vscode-charts-purple', '#b180d7'),
    font: `${v('--vscode-font-size', '12px')} ${v('--vscode-font-family', 'sans-serif')}`,
  };
}

/** Room for a y axis's longest label ("1000 ms"): uPlot's fixed sizes cut four digits off. */
function axisWidthFor(_u: uPlot, values: string[] | null): number {
  const longest = Math.max(4, ...(values ?? []).map((v) => v.length));
  return Math.ceil(longest * AXIS_CHAR_PX) + AXIS_PADDING_PX;
}
const AXIS_CHAR_PX = 7;
const AXIS_PADDING_PX = 18;
/** The histogram's last tick sits at its right edge; its label, centred there, is up to "10000" (10 s). */
const HIST_RIGHT_ROOM = Math.ceil((5 * AXIS_CHAR_PX) / 2) + 4;

/** Axis colours, grid and font for a uPlot axis from the theme. */
function axis(t: Theme, extra: uPlot.Axis = {}): uPlot.Axis {
  return { stroke: t.muted, font: t.font, grid: { stroke: t.grid, width: 1 }, ticks: { stroke: t.grid, width: 1, size: 4 }, ...extra };
}

class ResponderCard {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly held: HTMLElement;
  private readonly stats: Record<'last' | 'p50' | 'p90' | 'p99' | 'max', HTMLElement>;
  private readonly hover: HTMLElement;
  private readonly seriesBox: HTMLElement;
  private readonly histBox: HTMLElement;
  private series: uPlot | undefined;
  private hist: uPlot | undefined;
  private lastDrawn: Drawable | undefined;
  dirty = true;

  constructor(readonly data: RttSeries, private theme: Theme) {
    this.title = el('h2', 'responder', { title: 'responder' }, data.responder);
    this.counts = el('span', 'counts');
    this.held = el('span', 'held');
    const stat = (name: string, cls: string) => {
      const value = el('span', 'stat-value');
      return [el('span', `stat ${cls}`, undefined, el('span', 'stat-name', undefined, name), value), value] as const;
    };
    const [last, lastV] = stat('last', 'last');
    const [p50, p50V] = stat('p50', 'p50');
    const [p90, p90V] = stat('p90', 'p90');
    const [p99, p99V] = stat('p99', 'p99');
    const [max, maxV] = stat('max', 'max');
    this.stats = { last: lastV, p50: p50V, p90: p90V, p99: p99V, max: maxV };
    this.hover = el('span', 'hover note');
    this.seriesBox = el('div', 'chart series-chart', { role: 'img', 'aria-label': `RTT over time for ${data.responder}` });
    this.histBox = el('div', 'chart hist-chart', { role: 'img', 'aria-label': `RTT distribution for ${data.responder}` });
    this.element = el('section', 'card', { 'aria-label': `Responder ${data.responder}` },
      el('div', 'card-head', undefined, this.title, this.counts, el('span', 'spacer'), this.held),
      el('div', 'stats', undefined, last, p50, p90, p99, max, el('span', 'spacer'), this.hover),
      el('div', 'charts', undefined,
        el('div', 'chart-wrap', undefined, el('div', 'chart-title', undefined, 'RTT over time', el('span', 'legend-lost', undefined, 'lost probe')), this.seriesBox),
        el('div', 'chart-wrap', undefined, el('div', 'chart-title', undefined, 'Distribution (log scale)'), this.histBox)));
  }

  setTheme(t: Theme): void {
    this.theme = t;
    this.series?.destroy();
    this.hist?.destroy();
    this.series = this.hist = undefined;
    this.dirty = true;
  }

  private makeCharts(): void {
    const t = this.theme;
    const w = Math.max(200, this.seriesBox.clientWidth);
    const hw = Math.max(160, this.histBox.clientWidth);
    const lost = this.data.lost;
    const hover = this.hover;
    this.series = new uPlot({
      width: w, height: SERIES_HEIGHT, legend: { show: false }, cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [axis(t, { values: (_u, vals) => clockLabels(vals), space: 70 }), axis(t, { size: axisWidthFor, values: (_u, vals) => vals.map((v) => `${v} ms`) })],
      series: [{}, { stroke: t.points, width: 1, alpha: 0.35, points: { show: true, size: 4, fill: t.points, stroke: t.points }, spanGaps: false }],
      hooks: {
        // Lost probes: a red tick from the top of the plot, at the time the probe was given up.
        draw: [(u) => {
          const ctx = u.ctx;
          const { left, top, width } = u.bbox;
          const px = devicePixelRatio;
          ctx.save();
          ctx.fillStyle = t.lost;
          ctx.strokeStyle = t.lost;
          ctx.lineWidth = 1.5 * px;
          const [xmin, xmax] = [u.scales.x!.min!, u.scales.x!.max!];
          for (const ts of lost) {
            if (ts < xmin || ts > xmax) continue;
            const x = u.valToPos(ts, 'x', true);
            if (x < left || x > left + width) continue;
            ctx.beginPath();
            ctx.moveTo(x - 4 * px, top);
            ctx.lineTo(x + 4 * px, top);
            ctx.lineTo(x, top + 7 * px);
            ctx.closePath();
            ctx.fill();
            ctx.globalAlpha = 0.25;
            ctx.beginPath();
            ctx.moveTo(x, top + 7 * px);
            ctx.lineTo(x, top + u.bbox.height);
            ctx.stroke();
            ctx.globalAlpha = 1;
          }
          ctx.restore();
        }],
        setCursor: [(u) => {
          const i = u.cursor.idx;
          if (i === null || i === undefined) { setText(hover, ''); return; }
          const x = u.data[0][i];
          const y = u.data[1]![i];
          setText(hover, x === undefined || y === null || y === undefined ? '' : `${formatTimeOfDay(x * 1000)} · ${formatMs(y)}`);
        }],
      },
    }, [[], []], this.seriesBox);

    const marks = () => {
      const s = this.lastDrawn?.summary;
      return s && s.count ? ([['p50', s.p50, t.p50], ['p90', s.p90, t.p90], ['p99', s.p99, t.p99], ['max', s.max, t.max]] as const) : [];
    };
    this.hist = new uPlot({
      width: hw, height: HIST_HEIGHT, legend: { show: false }, cursor: { show: false },
      // Room above the plot for the quantile labels, and right of it for half the last tick's label.
      padding: [QUANTILE_LABEL_ROOM, HIST_RIGHT_ROOM, 0, 0],
      scales: {
        x: { time: false, distr: 3, range: (_u, min, max) => (min > 0 && max > 0 ? [min / HIST_MARGIN, max * HIST_MARGIN] : [1, 10]) },
        y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.08] },
      },
      axes: [
        axis(t, { splits: (_u, _i, min, max) => logTicks(min, max), filter: (_u, splits) => splits, values: (_u, vals) => vals.map((v) => msLabel(v as number | null)), label: 'RTT (ms)', labelSize: 18, labelFont: t.font }),
        axis(t, { size: 44, values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? formatCount(v) : '')) }),
      ],
      series: [{}, { stroke: t.bar, fill: `${t.bar}99`, width: 1, paths: uPlot.paths.bars!({ size: [0.92, 40], align: 0 }), points: { show: false } }],
      hooks: {
        // p50, p90, p99 and max as labelled vertical lines over the bars.
        draw: [(u) => {
          const ctx = u.ctx;
          const { top, height } = u.bbox;
          const px = devicePixelRatio;
          ctx.save();
          ctx.font = `${11 * px}px ${getComputedStyle(document.body).fontFamily}`;
          ctx.textBaseline = 'top';
          // Labels sit above the plot in two rows: each goes to the first row with room for it; one that
          // fits in neither (quantiles a pixel or two apart) joins the label before it ("p99 max").
          const labels: Array<{ text: string; x: number; row: number; colour: string }> = [];
          const rowRight = [-Infinity, -Infinity];
          const gap = 4 * px;
          for (const [name, value, colour] of marks()) {
            const x = Math.round(u.valToPos(value, 'x', true));
            ctx.strokeStyle = colour;
            ctx.lineWidth = (name === 'max' ? 1.5 : 1.2) * px;
            ctx.setLineDash(name === 'max' ? [] : [4 * px, 3 * px]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
            ctx.stroke();
            const w = ctx.measureText(name).width;
            const row = rowRight.findIndex((right) => x - w / 2 > right + gap);
            if (row >= 0) {
              labels.push({ text: name, x, row, colour });
              rowRight[row] = x + w / 2;
            } else if (labels.length) {
              const last = labels[labels.length - 1]!;
              last.text += ` ${name}`;
              rowRight[last.row] = last.x + ctx.measureText(last.text).width / 2;
            }
          }
          for (const l of labels) {
            ctx.fillStyle = l.colour;
            ctx.fillText(l.text, l.x - ctx.measureText(l.text).width / 2, top - (l.row === 0 ? 25 : 13) * px);
          }
          ctx.restore();
        }],
      },
    }, [[], []], this.histBox);
  }

  resize(): void {
    this.series?.setSize({ width: Math.max(200, this.seriesBox.clientWidth), height: SERIES_HEIGHT });
    this.hist?.setSize({ width: Math.max(160, this.histBox.clientWidth), height: HIST_HEIGHT });
    this.dirty = true;
  }

  draw(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (!this.series) this.makeCharts();
    const d = this.data.drawable(this.series!.bbox.width / devicePixelRatio || this.seriesBox.clientWidth, HIST_BINS);
    this.lastDrawn = d;
    const s = d.summary;
    this.series!.setData([d.x as unknown as number[], d.y as unknown as number[]]);
    this.hist!.setData([d.binX as unknown as number[], d.binCount as unknown as number[]]);
    const lostCount = this.data.lost.length;
    const sent = s.count + lostCount;
    setText(this.counts, `${formatCount(s.count)} answered · ${formatCount(lostCount)} lost${sent ? ` (${((100 * lostCount) / sent).toFixed(1)} %)` : ''}`);
    this.counts.classList.toggle('has-lost', lostCount > 0);
    setText(this.held, this.data.heldUs === undefined ? 'held by responder: no reply events yet' : `held by responder ${formatUs(this.data.heldUs)}`);
    setText(this.stats.last, formatMs(s.last));
    setText(this.stats.p50, formatMs(s.p50));
    setText(this.stats.p90, formatMs(s.p90));
    setText(this.stats.p99, formatMs(s.p99));
    setText(this.stats.max, formatMs(s.max));
  }
}

const host = connectHost<Record<string, never>>();
const header = new SourceHeader('BGP RTT', 'bgp-ping');
const session = el('span', 'session', { 'aria-live': 'polite' });
header.right.append(session);
const cards = el('div', 'cards');
const empty = emptyState('No RTT samples yet.', 'Start bgp-ping in a host (host-2 probing host-1 and host-3 in the netgo lab):', 'labtel: Start Agent → bgp-ping');
const main = el('main', 'rtt-main', undefined, empty, cards);
document.body.append(header.element, main);

let theme = readTheme();
const series = new Map<string, ResponderCard>();
const sessions = new Map<string, { state: string; reason?: string }>();
let frame = 0;

function card(responder: string): ResponderCard {
  let c = series.get(responder);
  if (!c) {
    c = new ResponderCard(new RttSeries(responder), theme);
    series.set(responder, c);
    // Cards in a stable order: by responder name.
    const after = [...series.keys()].sort().indexOf(responder);
    const next = cards.children[after];
    cards.insertBefore(c.element, next ?? null);
    empty.hidden = true;
  }
  return c;
}

function schedule(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    // One responder's card a frame: every batch touches every responder, and their charts redrawn in one
    // frame made it the slowest (bench/ui.ts, rtt: p95 17 ms with two responders drawn together).
    const cards = [...series.values()];
    cards.find((c) => c.dirty)?.draw();
    if (cards.some((c) => c.dirty)) schedule();
  });
}

function append(samples: readonly RttSample[]): void {
  for (const s of samples) {
    const c = card(s.responder);
    c.data.push(s.ts, s.rttMs);
    c.dirty = true;
  }
  schedule();
}

function renderSession(): void {
  session.replaceChildren();
  for (const [peer, s] of sessions) {
    const ok = s.state === 'Established';
    session.append(el('span', `session-item ${ok ? 'up' : 'down'}`, { title: s.reason ?? '' }, `BGP ${peer} `, el('strong', undefined, undefined, s.state)));
  }
}

// Only a change of width resizes the charts: their own height changes must not loop back here.
let cardsWidth = 0;
new ResizeObserver((entries) => {
  const width = Math.round(entries[0]?.contentRect.width ?? 0);
  if (width === cardsWidth) return;
  cardsWidth = width;
  for (const c of series.values()) c.resize();
  schedule();
}).observe(cards);

// VS Code changes the body's class when the colour theme changes: charts are canvas, redraw them in its colours.
new MutationObserver(() => {
  theme = readTheme();
  for (const c of series.values()) c.setTheme(theme);
  schedule();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

if (reducedMotion()) document.body.classList.add('reduced-motion');

host.start((m: ExtensionToWebview) => {
  switch (m.type) {
    case 'sources': header.set(m.sources); return;
    case 'rtt/clear':
      for (const c of series.values()) c.element.remove();
      series.clear();
      sessions.clear();
      renderSession();
      empty.hidden = false;
      return;
    case 'rtt/append': append(m.samples); return;
    case 'rtt/lost':
      for (const r of m.responders) { const c = card(r); c.data.addLost(m.ts); c.dirty = true; }
      schedule();
      return;
    case 'rtt/held': {
      const c = card(m.responder);
      c.data.heldUs = m.turnaroundUs;
      c.data.heldTs = m.ts;
      c.dirty = true;
      schedule();
      return;
    }
    case 'rtt/session':
      sessions.set(m.peer, { state: m.state, ...(m.reason ? { reason: m.reason } : {}) });
      renderSession();
      return;
    default:
      return;
  }
});

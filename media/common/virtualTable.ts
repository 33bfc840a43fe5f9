/**
 * A table that draws only the rows in view (TanStack Virtual, fixed row height) from a pool of row
 * elements it reuses, so 100,000 rows scroll like 100. Columns share one CSS grid template; the header
 * sorts; arrows, Page Up/Down, Home/End move the selection, Enter opens a row; a table scrolled to its
 * end follows new rows.
 */
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
import { el, setText } from './dom';

export interface Column<R> {
  readonly key: string;
  readonly title: string;
  /** Its track in the grid template: '92px', 'minmax(140px, 1fr)'. */
  readonly width: string;
  readonly align?: 'right';
  readonly sortable?: boolean;
  /** The cell's text (also its tooltip when the cell is too narrow). */
  text(row: R): string;
  /** Draws more than text into the cell (the share bar); called after the text is set. */
  decorate?(cell: HTMLElement, row: R): void;
}

export interface SortState {
  readonly key: string;
  readonly descending: boolean;
}

export interface TableOptions<R> {
  readonly label: string;
  readonly columns: readonly Column<R>[];
  readonly rowHeight: number;
  row(index: number): R;
  key(row: R): number | string;
  /** Where the row with this key is now, or -1. */
  indexOfKey(key: number | string): number;
  onSelect?(row: R | undefined): void;
  onActivate?(row: R): void;
  onSort?(key: string): void;
}

const OVERSCAN = 12;

export class VirtualTable<R> {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly headerCells = new Map<string, HTMLElement>();
  private readonly pool: Array<{ row: HTMLElement; cells: HTMLElement[]; index: number; key: number | string | undefined }> = [];
  private readonly virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  private count = 0;
  private selectedKey: number | string | undefined;
  private frame = 0;
  /** Bumped when rows change under the same indexes (a new ranking): every pooled row is redrawn. */
  private version = 0;
  private drawnVersion = -1;

  constructor(private readonly o: TableOptions<R>) {
    const template = o.columns.map((c) => c.width).join(' ');
    const header = el('div', 'vt-header', { role: 'row' });
    for (const c of o.columns) {
      const cell = c.sortable
        ? el('button', `vt-cell vt-sort${c.align === 'right' ? ' right' : ''}`, { role: 'columnheader', type: 'button', 'data-key': c.key }, c.title, el('span', 'vt-arrow', { 'aria-hidden': 'true' }))
        : el('div', `vt-cell${c.align === 'right' ? ' right' : ''}`, { role: 'columnheader' }, c.title);
      if (c.sortable) cell.addEventListener('click', () => o.onSort?.(c.key));
      this.headerCells.set(c.key, cell);
      header.append(cell);
    }
    this.spacer = el('div', 'vt-spacer', { role: 'presentation' });
    this.viewport = el('div', 'vt-viewport', { tabindex: 0, role: 'rowgroup', 'aria-label': o.label }, this.spacer);
    this.element = el('div', 'vt', { role: 'grid', 'aria-label': o.label, 'aria-rowcount': 0 }, header, this.viewport);
    // CSSOM writes are not inline style attributes: a CSP without 'unsafe-inline' allows them.
    this.element.style.setProperty('--vt-columns', template);
    this.element.style.setProperty('--vt-row-height', `${o.rowHeight}px`);

    this.virtualizer = new Virtualizer<HTMLElement, HTMLElement>({
      count: 0,
      getScrollElement: () => this.viewport,
      estimateSize: () => o.rowHeight,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      overscan: OVERSCAN,
      onChange: () => this.schedule(),
    });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => {
      const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.vt-row');
      const slot = rowEl ? this.pool.find((p) => p.row === rowEl) : undefined;
      if (slot && slot.index < this.count) this.selectIndex(slot.index, false);
    });
    this.viewport.addEventListener('dblclick', () => {
      const i = this.selectedIndex();
      if (i >= 0) this.o.onActivate?.(this.o.row(i));
    });
  }

  /** Call once the element is in the document. */
  mount(): void {
    this.virtualizer._didMount();
    this.virtualizer._willUpdate();
    this.schedule();
  }

  /** The rows changed: `count` of them now; a table scrolled to its end stays at the end. */
  update(count: number): void {
    const follow = this.atEnd();
    this.count = count;
    this.version++;
    this.element.setAttribute('aria-rowcount', String(count));
    this.virtualizer.setOptions({ ...this.virtualizer.options, count });
    this.virtualizer._willUpdate();
    this.spacer.style.height = `${this.virtualizer.getTotalSize()}px`;
    if (follow && count > 0) this.viewport.scrollTop = this.viewport.scrollHeight;
    this.schedule();
  }

  /** Scrolled to within a row of the end (or nothing to scroll). */
  atEnd(): boolean {
    const v = this.viewport;
    return v.scrollTop + v.clientHeight >= v.scrollHeight - this.o.rowHeight;
  }

  setSort(sort: SortState | undefined): void {
    for (const [key, cell] of this.headerCells) {
      const on = sort?.key === key;
      cell.setAttribute('aria-sort', on ? (sort!.descending ? 'descending' : 'ascending') : 'none');
      cell.classList.toggle('sorted', on);
      cell.classList.toggle('descending', on && sort!.descending);
    }
  }

  selectedIndex(): number {
    return this.selectedKey === undefined ? -1 : this.o.indexOfKey(this.selectedKey);
  }

  select(key: number | string | undefined): void {
    this.selectedKey = key;
    this.version++;
    this.schedule();
  }

  private selectIndex(index: number, scroll: boolean): void {
    if (this.count === 0) return;
    const i = Math.max(0, Math.min(this.count - 1, index));
    const row = this.o.row(i);
    this.selectedKey = this.o.key(row);
    this.version++;
    if (scroll) this.virtualizer.scrollToIndex(i, { align: 'auto' });
    this.schedule();
    this.o.onSelect?.(row);
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / this.o.rowHeight) - 1);
    const current = this.selectedIndex();
    const moves: Record<string, number> = {
      ArrowDown: current + 1, ArrowUp: current < 0 ? this.count - 1 : current - 1, PageDown: current + page, PageUp: current - page, Home: 0, End: this.count - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      this.selectIndex(moves[e.key]!, true);
    } else if (e.key === 'Enter' && current >= 0) {
      e.preventDefault();
      this.o.onActivate?.(this.o.row(current));
    }
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Draws now (for a caller that measures). */
  draw(): void {
    const items = this.virtualizer.getVirtualItems();
    while (this.pool.length < items.length) {
      const cells = this.o.columns.map((c) => el('div', `vt-cell${c.align === 'right' ? ' right' : ''} col-${c.key}`, { role: 'gridcell' }));
      const row = el('div', 'vt-row', { role: 'row' }, ...cells);
      this.viewport.append(row);
      this.pool.push({ row, cells, index: -1, key: undefined });
    }
    const redrawAll = this.drawnVersion !== this.version;
    this.drawnVersion = this.version;
    for (let k = 0; k < this.pool.length; k++) {
      const slot = this.pool[k]!;
      const item = items[k];
      if (!item || item.index >= this.count) {
        if (!slot.row.hidden) slot.row.hidden = true;
        slot.index = -1;
        continue;
      }
      slot.row.hidden = false;
      if (!redrawAll && slot.index === item.index) continue;
      slot.index = item.index;
      slot.row.style.transform = `translateY(${item.start}px)`;
      const data = this.o.row(item.index);
      const key = this.o.key(data);
      slot.key = key;
      slot.row.setAttribute('aria-rowindex', String(item.index + 1));
      slot.row.setAttribute('aria-selected', String(key === this.selectedKey));
      slot.row.classList.toggle('odd', item.index % 2 === 1);
      this.o.columns.forEach((c, i) => {
        const cell = slot.cells[i]!;
        setText(cell, c.text(data));
        c.decorate?.(cell, data);
      });
    }
  }
}

/**
 * A sampled packet's layers as a tree beside its bytes in hex, the selection linked both ways (as the hex
 * editor and Wireshark do): selecting a node lights its bytes; clicking a byte selects the deepest node
 * whose range holds it. The tree arrives from the extension (src/protocols/packetTree); this only draws it.
 */
import type { DecodedPacket, PacketTreeNode } from '../../src/shared/packetTree';
import { el } from './dom';

const BYTES_PER_LINE = 16;
const PRINTABLE_FIRST = 0x20;
const PRINTABLE_LAST = 0x7e;

interface Drawn {
  readonly node: PacketTreeNode;
  readonly item: HTMLElement;
  readonly parent: Drawn | undefined;
  readonly depth: number;
  group: HTMLElement | undefined;
}

export class PacketView {
  readonly element: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly hex: HTMLElement;
  private readonly status: HTMLElement;
  private drawn: Drawn[] = [];
  private hexCells: HTMLElement[] = [];
  private asciiCells: HTMLElement[] = [];
  private selected: Drawn | undefined;

  constructor() {
    this.tree = el('div', 'pv-tree', { role: 'tree', 'aria-label': 'Packet layers', tabindex: 0 });
    this.hex = el('div', 'pv-hex mono', { role: 'grid', 'aria-label': 'Packet bytes' });
    this.status = el('div', 'pv-status note');
    this.element = el('div', 'pv', undefined, el('div', 'pv-panes', undefined, this.tree, this.hex), this.status);
    this.tree.addEventListener('keydown', (e) => this.onKey(e));
    this.clear('Select a flow to see its sampled packet: layers, fields and bytes.');
  }

  clear(message: string): void {
    this.drawn = [];
    this.selected = undefined;
    this.tree.replaceChildren(el('div', 'pv-placeholder', undefined, message));
    this.hex.replaceChildren();
    this.hexCells = [];
    this.asciiCells = [];
    this.status.textContent = '';
  }

  show(packet: DecodedPacket): void {
    this.drawn = [];
    this.selected = undefined;
    this.tree.replaceChildren();
    const add = (nodes: readonly PacketTreeNode[], into: HTMLElement, parent: Drawn | undefined, depth: number) => {
      for (const node of nodes) {
        const hasChildren = !!node.children?.length;
        const label = el('span', 'pv-label', undefined, node.label);
        const row = el('div', 'pv-row', undefined,
          el('span', `pv-twisty${hasChildren ? '' : ' leaf'}`, { 'aria-hidden': 'true' }), label,
          ...(node.value === undefined ? [] : [el('span', 'pv-value', undefined, node.value)]),
          el('span', 'pv-range', undefined, node.end > node.start ? `${node.start}–${node.end - 1}` : ''));
        const item = el('div', 'pv-item', { role: 'treeitem', 'aria-level': depth, 'aria-selected': 'false', ...(hasChildren ? { 'aria-expanded': depth === 1 ? 'true' : 'false' } : {}) }, row);
        const d: Drawn = { node, item, parent, depth, group: undefined };
        this.drawn.push(d);
        row.addEventListener('click', (e) => {
          if ((e.target as HTMLElement).classList.contains('pv-twisty') && hasChildren) this.toggle(d);
          this.select(d);
        });
        into.append(item);
        if (hasChildren) {
          d.group = el('div', 'pv-group', { role: 'group' });
          item.append(d.group);
          add(node.children!, d.group, d, depth + 1);
        }
      }
    };
    add(packet.tree, this.tree, undefined, 1);
    this.drawHex(packet.hex);
    this.status.textContent = packet.error ?? '';
    this.status.classList.toggle('error', !!packet.error);
    if (packet.tree.length === 0) this.tree.append(el('div', 'pv-placeholder', undefined, 'No layers decoded.'));
  }

  private drawHex(hex: string): void {
    const n = hex.length / 2;
    this.hexCells = [];
    this.asciiCells = [];
    const lines: HTMLElement[] = [];
    for (let line = 0; line < n; line += BYTES_PER_LINE) {
      const hexPart = el('span', 'pv-bytes');
      const asciiPart = el('span', 'pv-ascii');
      for (let i = line; i < Math.min(n, line + BYTES_PER_LINE); i++) {
        const v = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
        const h = el('span', 'pv-byte', { 'data-offset': i }, hex.slice(2 * i, 2 * i + 2));
        const a = el('span', 'pv-char', { 'data-offset': i }, v >= PRINTABLE_FIRST && v <= PRINTABLE_LAST ? String.fromCharCode(v) : '·');
        if ((i - line) === BYTES_PER_LINE / 2) hexPart.append(el('span', 'pv-gap'));
        hexPart.append(h);
        asciiPart.append(a);
        this.hexCells.push(h);
        this.asciiCells.push(a);
      }
      lines.push(el('div', 'pv-line', { role: 'row' }, el('span', 'pv-offset', undefined, line.toString(16).padStart(4, '0')), hexPart, asciiPart));
    }
    this.hex.replaceChildren(...lines);
    this.hex.onclick = (e) => {
      const offset = (e.target as HTMLElement).getAttribute('data-offset');
      if (offset !== null) this.selectByte(Number(offset));
    };
  }

  /** Selects the deepest node whose range holds the byte; among equals the smallest range, then the first. */
  selectByte(offset: number): void {
    let best: Drawn | undefined;
    for (const d of this.drawn) {
      if (!(d.node.start <= offset && offset < d.node.end)) continue;
      const size = d.node.end - d.node.start;
      if (!best || d.depth > best.depth || (d.depth === best.depth && size < best.node.end - best.node.start)) best = d;
    }
    if (best) this.select(best);
  }

  private toggle(d: Drawn, open?: boolean): void {
    if (!d.group) return;
    const expanded = open ?? d.item.getAttribute('aria-expanded') !== 'true';
    d.item.setAttribute('aria-expanded', String(expanded));
  }

  select(d: Drawn): void {
    this.selected?.item.setAttribute('aria-selected', 'false');
    this.selected?.item.classList.remove('selected');
    this.selected = d;
    d.item.setAttribute('aria-selected', 'true');
    d.item.classList.add('selected');
    for (let p = d.parent; p; p = p.parent) this.toggle(p, true);
    const { start, end } = d.node;
    for (let i = 0; i < this.hexCells.length; i++) {
      const on = i >= start && i < end;
      this.hexCells[i]!.classList.toggle('hl', on);
      this.asciiCells[i]!.classList.toggle('hl', on);
    }
    this.hexCells[start]?.scrollIntoView({ block: 'nearest' });
    d.item.firstElementChild?.scrollIntoView({ block: 'nearest' });
  }

  /** The visible items in order (collapsed groups skipped), for arrow keys. */
  private visible(): Drawn[] {
    return this.drawn.filter((d) => {
      for (let p = d.parent; p; p = p.parent) if (p.item.getAttribute('aria-expanded') !== 'true') return false;
      return true;
    });
  }

  private onKey(e: KeyboardEvent): void {
    const list = this.visible();
    if (list.length === 0) return;
    const i = this.selected ? list.indexOf(this.selected) : -1;
    const cur = this.selected;
    let next: Drawn | undefined;
    if (e.key === 'ArrowDown') next = list[Math.min(list.length - 1, i + 1)];
    else if (e.key === 'ArrowUp') next = list[Math.max(0, i - 1)];
    else if (e.key === 'Home') next = list[0];
    else if (e.key === 'End') next = list[list.length - 1];
    else if (e.key === 'ArrowRight' && cur?.group) { this.toggle(cur, true); next = cur; }
    else if (e.key === 'ArrowLeft' && cur) { if (cur.group && cur.item.getAttribute('aria-expanded') === 'true') { this.toggle(cur, false); next = cur; } else next = cur.parent ?? cur; }
    else return;
    e.preventDefault();
    if (next) this.select(next);
  }
}

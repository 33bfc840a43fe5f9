/**
 * Building DOM from data: text is always set as text (textContent), never parsed as HTML — the panels
 * draw addresses, responder ids and interface names that come off the wire.
 */

type Attrs = Readonly<Record<string, string | number | boolean | undefined>>;

/** An element with a class, attributes and children; strings among the children become text nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  attrs?: Attrs,
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c === undefined) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

/** Sets an element's text only when it changed (a text write invalidates layout even when equal). */
export function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

/** Groups thousands the viewer's way: 100,000. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export function formatCount(n: number): string {
  return integer.format(n);
}

/** True when the user asked the system for less motion. */
export function reducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

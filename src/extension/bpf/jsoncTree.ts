/**
 * A small JSON-with-comments reader that keeps each value's place in the text, enough to find the strings of a
 * launch.json (comments, trailing commas). A malformed file gives undefined: VS Code's JSON editor reports it.
 */
export type JsonNode =
  | { type: 'object'; offset: number; end: number; properties: Array<{ key: string; value: JsonNode }> }
  | { type: 'array'; offset: number; end: number; items: JsonNode[] }
  | { type: 'string'; offset: number; end: number; value: string }
  | { type: 'other'; offset: number; end: number };

class Malformed extends Error {}

export function parseJsonc(text: string): JsonNode | undefined {
  let i = 0;
  const skip = (): void => {
    for (;;) {
      const ws = /[\s\uFEFF]*/y;
      ws.lastIndex = i;
      ws.exec(text);
      i = ws.lastIndex;
      if (text.startsWith('//', i)) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl + 1;
      } else if (text.startsWith('/*', i)) {
        const close = text.indexOf('*/', i + 2);
        if (close < 0) throw new Malformed();
        i = close + 2;
      } else return;
    }
  };
  const value = (): JsonNode => {
    skip();
    const offset = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const properties: Array<{ key: string; value: JsonNode }> = [];
      for (;;) {
        skip();
        if (text[i] === '}') break;
        const key = value();
        if (key.type !== 'string') throw new Malformed();
        skip();
        if (text[i++] !== ':') throw new Malformed();
        properties.push({ key: key.value, value: value() });
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') throw new Malformed();
      }
      i++;
      return { type: 'object', offset, end: i, properties };
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      for (;;) {
        skip();
        if (text[i] === ']') break;
        items.push(value());
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') throw new Malformed();
      }
      i++;
      return { type: 'array', offset, end: i, items };
    }
    if (c === '"') {
      const s = /"(?:[^"\\\n]|\\.)*"/y;
      s.lastIndex = i;
      const m = s.exec(text);
      if (!m) throw new Malformed();
      i = s.lastIndex;
      return { type: 'string', offset, end: i, value: JSON.parse(m[0]) as string };
    }
    const other = /[-+.0-9A-Za-z]+/y;
    other.lastIndex = i;
    if (!other.exec(text)) throw new Malformed();
    i = other.lastIndex;
    return { type: 'other', offset, end: i };
  };
  try {
    const root = value();
    skip();
    return i === text.length ? root : undefined;
  } catch (err) {
    if (err instanceof Malformed || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** An object's property by name. */
export function property(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.type === 'object' ? node.properties.find((p) => p.key === key)?.value : undefined;
}

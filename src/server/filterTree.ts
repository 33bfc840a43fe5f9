/**
 * Walking a parsed filter: its primitives (the leaves: a qualified value, a protocol, a keyword primitive, a
 * relation) in source order, the one under a position, and the text a primitive would be written as on its own —
 * with the qualifiers it inherited spelled out (`host a and b` → `host b`), so it can be compiled alone.
 */
import type { FilterAst, FilterNode, KeywordNode, ProtocolNode, QualifiedNode, RelationNode } from '../bpf/ast';

export type Primitive = QualifiedNode | ProtocolNode | KeywordNode | RelationNode;

/** Every primitive of the expression, left to right. */
export function primitives(ast: FilterAst): Primitive[] {
  const out: Primitive[] = [];
  const walk = (n: FilterNode): void => {
    switch (n.type) {
      case 'and':
      case 'or':
        walk(n.left);
        walk(n.right);
        break;
      case 'not':
        walk(n.operand);
        break;
      default:
        out.push(n);
    }
  };
  if (ast.root) walk(ast.root);
  return out;
}

/** The primitive whose text holds the character at `offset` (or ends just before it), if any. */
export function primitiveAt(ast: FilterAst, offset: number): Primitive | undefined {
  const all = primitives(ast);
  return all.find((p) => p.range.start <= offset && offset < p.range.end) ?? all.find((p) => p.range.end === offset);
}

/** Keyword spellings of the parser's protocol names, where they differ (`link` is written `ether`). */
const PROTOCOL_SPELLING: Record<string, string> = { link: 'ether' };

/** A qualified value's qualifiers as words: `ip6 src net`. */
export function qualifierWords(node: QualifiedNode): string[] {
  const q = node.qualifiers;
  return [q.proto === undefined ? undefined : PROTOCOL_SPELLING[q.proto] ?? q.proto, q.dir, q.type].filter((w): w is string => w !== undefined);
}

/** The primitive as an expression of its own: what it tests, whatever came before it. */
export function standaloneText(node: Primitive, source: string): string {
  if (node.type !== 'qualified') return source.slice(node.range.start, node.range.end);
  // Written with its head (`src host a`): as written. Inherited, or one value of `host (a or b)`: rebuilt.
  if (!node.inherited && node.range.start < node.value.range.start) return source.slice(node.range.start, node.range.end);
  const value = source.slice(node.value.range.start, node.range.end);
  return [...qualifierWords(node), value].join(' ');
}

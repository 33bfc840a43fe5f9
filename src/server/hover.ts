/**
 * The hover over a filter: what the primitive under the cursor accepts, and the program it compiles to on its own,
 * printed as `tcpdump -d` prints it. Over `and`, `or`, `not`: how they bind. While the file does not parse, the
 * words still explain themselves.
 */
import { compile, disassemble, ParseError, tokenize, type Token } from '../bpf';
import { primitiveAt, primitives, standaloneText } from './filterTree';
import type { FilterAnalysis } from './findings';
import { explainPrimitive, KEYWORD_DOCS, PROTOCOL_DOCS } from './primitiveDocs';

export interface HoverContent {
  /** Markdown. */
  markdown: string;
  start: number;
  end: number;
}

/** Primitives that move the offsets of everything after them (pcap-filter(7), `vlan`). */
const OFFSET_SHIFTING = new Set(['vlan', 'mpls', 'pppoes', 'geneve']);
const C_SPELLING: Readonly<Record<string, string>> = { '&&': 'and', '||': 'or', '!': 'not' };

function tokenAt(expression: string, offset: number): Token | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(expression);
  } catch {
    return undefined;
  }
  return tokens.find((t) => t.kind !== 'end' && t.start <= offset && offset < t.end);
}

/** The listing of `text` compiled alone, or the reason it does not compile alone. */
function listing(text: string): string {
  try {
    return `Compiled on its own (\`tcpdump -d '${text}'\`):\n\n\`\`\`bpf-asm\n${disassemble(compile(text))}\`\`\``;
  } catch (err) {
    if (err instanceof ParseError) return `On its own, \`${text}\` does not compile: ${err.reason}.`;
    throw err;
  }
}

export function hover(analysis: FilterAnalysis, offset: number): HoverContent | undefined {
  const { expression, ast } = analysis;
  const token = tokenAt(expression, offset);
  const word = token ? C_SPELLING[token.text] ?? token.text : undefined;
  if (token && (word === 'and' || word === 'or' || word === 'not') && (token.kind === 'keyword' || token.kind === 'op')) {
    return { markdown: KEYWORD_DOCS[word]!, start: token.start, end: token.end };
  }
  const node = ast ? primitiveAt(ast, offset) : undefined;
  if (ast && node) {
    const text = standaloneText(node, expression);
    const parts = [`**\`${text}\`**`, explainPrimitive(node), listing(text)];
    const shifter = primitives(ast).find((p) => p.type === 'keyword' && OFFSET_SHIFTING.has(p.keyword) && p.range.end <= node.range.start);
    if (shifter && shifter.type === 'keyword') {
      parts.push(`In this expression it comes after \`${shifter.keyword}\`, which moves the offsets: "Show Compiled BPF" shows the program as a whole.`);
    }
    return { markdown: parts.join('\n\n'), start: node.range.start, end: node.range.end };
  }
  if (token?.kind === 'keyword' && word) {
    const doc = KEYWORD_DOCS[word] ?? PROTOCOL_DOCS[word];
    if (doc) return { markdown: `**\`${word}\`**\n\n${doc}`, start: token.start, end: token.end };
  }
  return undefined;
}

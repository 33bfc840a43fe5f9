// Tokenizes text the way VS Code does: vscode-textmate driving the grammars in syntaxes/ with the
// Oniguruma regex engine compiled to WebAssembly (vscode-oniguruma), line by line, carrying the rule stack.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';
import { OnigScanner, OnigString, loadWASM } from 'vscode-oniguruma';
import { repoRoot } from '../../helpers/corpus';

/** One token: its text, the scopes from the root (`source.*`) to the innermost, and where it sits. */
export interface Token {
  text: string;
  scopes: string[];
  line: number;
  start: number;
  end: number;
}

/** The grammars package.json contributes, by scope name (paths as the manifest gives them). */
function contributedGrammars(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { grammars: { scopeName: string; path: string }[] };
  };
  return new Map(manifest.contributes.grammars.map((g) => [g.scopeName, path.join(repoRoot, g.path)]));
}

let registry: Registry | undefined;

function getRegistry(): Registry {
  if (registry) return registry;
  const wasm = readFileSync(path.join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  // loadWASM may run only once per process: the registry (and this promise) are cached.
  const onigLib = loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
    createOnigScanner: (patterns: string[]) => new OnigScanner(patterns),
    createOnigString: (s: string) => new OnigString(s),
  }));
  const grammars = contributedGrammars();
  registry = new Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      const file = grammars.get(scopeName);
      if (!file) return null;
      return parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
  });
  return registry;
}

const loaded = new Map<string, Promise<IGrammar>>();

export function loadGrammar(scopeName: string): Promise<IGrammar> {
  let p = loaded.get(scopeName);
  if (!p) {
    p = getRegistry().loadGrammar(scopeName).then((g) => {
      if (!g) throw new Error(`no grammar contributed for ${scopeName}`);
      return g;
    });
    loaded.set(scopeName, p);
  }
  return p;
}

/** Tokenizes a whole text (lines split on \n), as an editor would, carrying state across lines. */
export async function tokenize(scopeName: string, text: string): Promise<Token[]> {
  const grammar = await loadGrammar(scopeName);
  const out: Token[] = [];
  let stack: StateStack = INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, stack);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end <= t.startIndex) continue;
      out.push({ text: lineText.slice(t.startIndex, end), scopes: t.scopes, line, start: t.startIndex, end });
    }
    stack = r.ruleStack;
  });
  return out;
}

/** The innermost scope of a token. */
export function innermost(t: Token): string {
  return t.scopes[t.scopes.length - 1];
}

/** Tokens that are not only whitespace, as `text → innermost scope` (for readable assertion messages). */
export function describe(tokens: Token[]): string {
  return tokens.filter((t) => t.text.trim() !== '').map((t) => `${JSON.stringify(t.text)} → ${innermost(t)}`).join('\n');
}

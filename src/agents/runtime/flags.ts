import { parseArgs } from 'node:util';

/** One flag of an agent. `short` is a one-letter alias; Go-style single-dash long forms are accepted too. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  default?: string | boolean;
  /** Shown in --help as the value's name, e.g. ADDR:PORT. */
  value?: string;
  description: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]: S[K]['type'] extends 'boolean' ? boolean : S[K] extends { default: string } ? string : string | undefined;
};

/** A mistake in an agent's command line: printed with the agent's --help, exit code 2. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

export interface ParsedFlags<S extends FlagSpecs> {
  values: FlagValues<S>;
  positionals: string[];
  help: boolean;
}

/**
 * Parses argv with node:util parseArgs. The book's agents were Go programs whose flags were
 * single-dash words (`-laddr`, `-nlri`); those are accepted by rewriting `-word` to `--word` when
 * `word` is a declared flag, so `-laddr x` and `--laddr x` mean the same.
 */
export function parseFlags<S extends FlagSpecs>(specs: S, argv: string[]): ParsedFlags<S> {
  const longs = new Set(Object.keys(specs));
  const normalised = argv.map((a) => {
    const m = /^-([a-z][a-z0-9-]+)(=.*)?$/.exec(a);
    return m && longs.has(m[1]!) ? `-${a}` : a;
  });
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, s] of Object.entries(specs)) {
    options[name] = { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.default !== undefined ? { default: s.default } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: normalised, options, allowPositionals: true, strict: true });
    const { help, ...rest } = values as Record<string, unknown>;
    return { values: rest as FlagValues<S>, positionals, help: help === true };
  } catch (err) {
    throw new FlagError((err as Error).message.replace(/^.*?: /, ''));
  }
}

/** The --help text, generated from the same specs the parser uses. */
export function helpText(usage: string, summary: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'string' ? ` ${s.value ?? 'VALUE'}` : ''}`;
    const def = s.default !== undefined && s.default !== false ? ` (default ${String(s.default)})` : '';
    return [left, `${s.description}${def}`] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length), 10);
  return [`usage: ${usage}`, '', summary, '', 'options:', ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`), `  ${'-h, --help'.padEnd(width)}  show this help`].join('\n');
}

/** "ADDR:PORT", "[v6]:PORT" or ":PORT" → host and port; `flag` names the flag in the error. */
export function parseHostPort(flag: string, value: string, defaultHost = '0.0.0.0'): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  if (!m) throw new FlagError(`--${flag} "${value}": expected ADDR:PORT`);
  const port = Number(m[3]);
  if (port > 65535) throw new FlagError(`--${flag} "${value}": port ${port} is out of range 0-65535`);
  return { host: m[1] ?? (m[2] || defaultHost), port };
}

/** A whole number within [min, max]; `flag` names the flag in the error. */
export function parseInteger(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new FlagError(`--${flag} "${value}": expected a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new FlagError(`--${flag} ${n}: must be between ${min} and ${max}`);
  return n;
}

/** A Go-style duration ("10s", "500ms", "1m", "1.5s", or bare seconds) → milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  if (!m) throw new FlagError(`--${flag} "${value}": expected a duration such as 10s, 500ms or 1m`);
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(m[1]) * scale;
  if (ms <= 0) throw new FlagError(`--${flag} "${value}": must be greater than zero`);
  return ms;
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw new FlagError(`--${flag} "${value}": expected one of ${choices.join(', ')}`);
  return value as T;
}

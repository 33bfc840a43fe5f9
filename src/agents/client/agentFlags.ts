/**
 * An agent's flags with some set to new values: each `--name VALUE` (or `--name=VALUE`, or the book's
 * `-name VALUE`) already there is replaced in place, the others are appended. The rest is kept as it was,
 * so a restart from a panel ("Capture this flow", the Top Talkers selectors) changes only what it means to.
 */
export function withFlags(args: readonly string[], values: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(a);
    const name = m?.[1];
    if (name !== undefined && Object.hasOwn(values, name)) {
      out.push(`--${name}`, values[name]!);
      done.add(name);
      if (m![2] === undefined) i++; // the value that followed
      continue;
    }
    out.push(a);
  }
  for (const [name, value] of Object.entries(values)) if (!done.has(name)) out.push(`--${name}`, value);
  return out;
}

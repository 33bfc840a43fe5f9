import { isIP } from 'node:net';

/**
 * containerlab's `exec:` entries are command lines that containerlab hands to the container's runtime.
 * labtel never hands them to a shell: each is split into an argv array here (quotes group words, a
 * backslash escapes one character) and shell syntax is refused, so an entry means the same thing with
 * either backend and cannot smuggle a second command. `ip addr add` and `ip route add` entries are
 * checked further (addresses, prefix lengths, gateways, and that `dev` names an interface of the node),
 * because those are what labs use exec for and a typo there only shows up later as a silent black hole.
 */

export class ExecLineError extends Error {
  override readonly name = 'ExecLineError';
}

const shellOperators = ['|', '&', ';', '>', '<', '`', '$(', '${'];

/** Splits one exec entry into words. Throws ExecLineError for unbalanced quotes or shell operators. */
export function splitExecLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; inWord = true; continue; }
    if (c === '\\') {
      if (i + 1 >= line.length) throw new ExecLineError('a backslash ends the line');
      word += line[++i]; inWord = true; continue;
    }
    if (/\s/.test(c)) {
      if (inWord) { words.push(word); word = ''; inWord = false; }
      continue;
    }
    const op = shellOperators.find((o) => line.startsWith(o, i));
    if (op) throw new ExecLineError(`"${op}" is shell syntax; exec entries run as one command without a shell`);
    word += c; inWord = true;
  }
  if (quote) throw new ExecLineError(`unbalanced ${quote} quote`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new ExecLineError('empty command');
  return words;
}

/** An address with a prefix length, "203.0.113.0/31" or "2001:db8::1/64"; returns the reason it is not. */
export function cidrProblem(text: string): string | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(addr);
  if (family === 0) return `"${addr}" is not an IP address`;
  if (slash < 0) return null;
  const len = text.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(len) || Number(len) > max) return `"/${len}" is not a prefix length for IPv${family} (0-${max})`;
  return null;
}

const addrObjects = new Set(['a', 'ad', 'add', 'addr', 'addre', 'addres', 'address']);
const routeObjects = new Set(['r', 'ro', 'rou', 'rout', 'route']);

/**
 * Checks an `ip … addr add` / `ip … route add` argv against the node's interfaces. Other commands
 * pass unchecked (they still run without a shell).
 */
export function checkIpCommand(argv: readonly string[], interfaces: ReadonlySet<string>): void {
  if (argv[0] !== 'ip') return;
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-')) i++; // -4, -6, -d …
  const object = argv[i];
  const verb = argv[i + 1];
  if (object === undefined || (verb !== 'add' && verb !== 'replace')) return;
  const rest = argv.slice(i + 2);
  const dev = valueAfter(rest, 'dev');
  if (dev !== undefined && dev !== 'lo' && !interfaces.has(dev)) {
    const known = [...interfaces].sort().join(', ') || 'none';
    throw new ExecLineError(`dev "${dev}" is not an interface of this node (its links give it: ${known})`);
  }
  if (addrObjects.has(object)) {
    const address = rest[0] === 'local' ? rest[1] : rest[0];
    if (address === undefined) throw new ExecLineError('ip addr add without an address');
    const problem = cidrProblem(address);
    if (problem) throw new ExecLineError(`bad address in ip addr add: ${problem}`);
    if (dev === undefined) throw new ExecLineError('ip addr add needs "dev IFACE"');
  } else if (routeObjects.has(object)) {
    const dest = rest[0];
    if (dest === undefined) throw new ExecLineError('ip route add without a destination');
    if (dest !== 'default') {
      const problem = cidrProblem(dest);
      if (problem) throw new ExecLineError(`bad destination in ip route add: ${problem}`);
    }
    const via = valueAfter(rest, 'via');
    if (via !== undefined && isIP(via) === 0) throw new ExecLineError(`bad gateway in ip route add: "${via}" is not an IP address`);
    if (via === undefined && dev === undefined) throw new ExecLineError('ip route add needs "via GATEWAY" or "dev IFACE"');
  }
}

function valueAfter(words: readonly string[], key: string): string | undefined {
  const k = words.indexOf(key);
  return k >= 0 ? words[k + 1] : undefined;
}

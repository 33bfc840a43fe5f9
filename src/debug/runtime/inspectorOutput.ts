/**
 * What Node's inspector writes on the agent's stderr. `--inspect-brk=127.0.0.1:0` picks a free port
 * and announces it as "Debugger listening on ws://127.0.0.1:PORT/UUID"; the other lines are its
 * chatter, kept out of the Debug Console.
 */
/** The announcement, once its line is whole (a chunk may end in the middle of the port). */
const LISTENING = /^Debugger listening on (ws:\/\/\S+)\r?\n/m;
const CHATTER = [
  /^Debugger listening on ws:\/\//,
  /^For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector/,
  /^Debugger attached\.$/,
  /^Debugger ending on ws:\/\//,
  /^Waiting for the debugger to disconnect\.\.\.$/,
];

export interface InspectorAddress {
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

/** The inspector's WebSocket URL in `text` (stderr so far), or undefined while it is not there yet. */
export function findInspectorUrl(text: string): InspectorAddress | undefined {
  const m = LISTENING.exec(text);
  if (!m) return undefined;
  const url = new URL(m[1]!);
  return { url: m[1]!, host: url.hostname, port: Number(url.port) };
}

/** True for a stderr line that is the inspector's own, not the agent's. */
export function isInspectorChatter(line: string): boolean {
  return CHATTER.some((re) => re.test(line));
}

/** Node prints this when the program has finished but a debugger is still attached. */
export function isWaitingForDisconnect(line: string): boolean {
  return line === 'Waiting for the debugger to disconnect...';
}

/**
 * The variables by which Node hands a forked child its IPC channel (child_process.fork: the channel's
 * fd and serialization; cluster's worker id). VS Code's extension host is such a child (NODE_CHANNEL_FD=3),
 * so a process the inline adapter starts inherits them, and a `node` that finds NODE_CHANNEL_FD opens
 * that fd as its own channel — which in an agent or a relay is no channel — and aborts.
 */
export const IPC_CHANNEL_VARIABLES = ['NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE', 'NODE_UNIQUE_ID'] as const;

/** argv run through env(1) without the IPC channel's variables: the same on this machine and on a lab host. */
export function withoutIpcChannel(argv: readonly string[]): string[] {
  return ['env', ...IPC_CHANNEL_VARIABLES.flatMap((v) => ['-u', v]), ...argv];
}

import path from 'node:path';

/**
 * Where a file the agent sees (a path in the lab node) is in the workspace, and back. With the netns
 * backend, and containerlab running the host's tools, the node sees the host's own file system and
 * the mapping is the identity; an agent run from a container image or on a remote lab host sees the
 * workspace under another root (a bind mount, a copy): one prefix pair per root, longest first.
 */
export class PathMapper {
  private readonly pairs: ReadonlyArray<{ remote: string; local: string }>;

  constructor(pairs: ReadonlyArray<{ remote: string; local: string }> = []) {
    this.pairs = [...pairs].map((p) => ({ remote: withSep(path.posix.normalize(p.remote)), local: withSep(path.normalize(p.local)) }))
      .sort((a, b) => b.remote.length - a.remote.length);
  }

  toLocal(remote: string): string {
    for (const p of this.pairs) if (remote.startsWith(p.remote)) return path.join(p.local, remote.slice(p.remote.length));
    return remote;
  }

  toRemote(local: string): string {
    for (const p of [...this.pairs].sort((a, b) => b.local.length - a.local.length)) {
      if (local.startsWith(p.local)) return path.posix.join(p.remote, local.slice(p.local.length).split(path.sep).join('/'));
    }
    return local;
  }
}

function withSep(p: string): string {
  return p.endsWith('/') || p.endsWith(path.sep) ? p : `${p}/`;
}

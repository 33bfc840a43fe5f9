import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The private folder of labtel's SSH control sockets: whoever can open a host's control socket runs
 * commands on that host as the user, so the folder is the user's alone (mode 700) and checked each
 * time. $XDG_RUNTIME_DIR (per-user tmpfs) when there is one, the temp folder otherwise;
 * LABTEL_SSH_CONTROL_DIR overrides (tests use their own).
 */
export function sshControlDir(): string {
  const uid = process.getuid?.() ?? 0;
  const dir = process.env.LABTEL_SSH_CONTROL_DIR ?? path.join(process.env.XDG_RUNTIME_DIR ?? tmpdir(), `labtel-ssh-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new Error(`${dir} holds labtel's SSH control sockets and must be a folder of yours that only you can open (chmod 700 ${dir}), or set LABTEL_SSH_CONTROL_DIR`);
  }
  return dir;
}

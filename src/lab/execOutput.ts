import type { Backend } from './backend';

export interface ExecOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs argv in a node through Backend.exec and collects its output (for short commands: vtysh, ip, ping). */
export function execOutput(backend: Backend, node: string, argv: readonly string[], timeoutMs = 30_000): Promise<ExecOutput> {
  return new Promise((resolve, reject) => {
    const child = backend.exec(node, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? (signal ? 128 : 1) });
    });
  });
}

import { spawnSync } from 'node:child_process';

/**
 * tshark's fields for every packet of a capture, one array per packet (-T fields, tab-separated, first
 * occurrence of a repeated field). The oracle the viewer's summaries and trees are checked against.
 */
export function tsharkFields(file: string, fields: readonly string[], args: readonly string[] = []): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', file, ...args, '-T', 'fields', '-E', 'occurrence=f', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8', maxBuffer: 1 << 28,
  });
  if (r.status !== 0 && r.stdout === '') throw new Error(`tshark -r ${file} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** tshark's text output for a statistics option (-q -z …). */
export function tsharkStats(file: string, z: string, args: readonly string[] = []): string {
  const r = spawnSync('tshark', ['-n', '-q', '-r', file, ...args, '-z', z], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`tshark -z ${z} ${file} failed: ${r.stderr}`);
  return r.stdout;
}

/** capinfos -c: the number of packets it counts (it reads what it can of a damaged file). */
export function capinfosCount(file: string): number {
  const r = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' });
  const m = /Number of packets:\s*(\d+)/.exec(r.stdout);
  if (!m) throw new Error(`capinfos -c ${file}: ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

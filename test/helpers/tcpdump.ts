/**
 * libpcap as the oracle, through Debian's tcpdump: the program it compiles for an expression (`-d`, `-ddd`)
 * against a capture's link type, and the frames of a capture it accepts (`tcpdump -r FILE -w - EXPR`, the
 * written records matched back to the input's frame numbers).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseCapture, type CapturedPacket } from '../../src/protocols/capture';

export interface TcpdumpResult {
  ok: boolean;
  stdout: string;
  /** tcpdump's message without the "reading from file" line. */
  error: string;
}

const READING = /^reading from file .*\n?/m;

/** `tcpdump -r FILE FLAG -- EXPR` (FLAG: -d, -dd, -ddd; with -O, unoptimised). */
export function tcpdumpCompile(file: string, expression: string, flags: string[] = ['-d']): TcpdumpResult {
  const r = spawnSync('tcpdump', ['-r', file, ...flags, '--', expression], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { ok: r.status === 0, stdout: r.stdout, error: r.stderr.replace(READING, '').trim() };
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The 0-based indices of the frames of `packets` (the capture `file`) that `tcpdump -r file EXPR` accepts. */
export function tcpdumpAccepts(file: string, expression: string, packets: CapturedPacket[]): number[] {
  const r = spawnSync('tcpdump', ['-r', file, '-w', '-', '--', expression], { maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`tcpdump -r ${file} '${expression}': ${r.stderr.toString().replace(READING, '').trim()}`);
  const out = [...parseCapture(r.stdout)];
  const matches: number[] = [];
  let next = 0;
  for (const o of out) {
    // Filtering keeps the order: find the next input frame with the same time and bytes.
    while (next < packets.length && !(packets[next]!.timestampNs === o.timestampNs && sameBytes(packets[next]!.data, o.data))) next++;
    if (next === packets.length) throw new Error(`tcpdump wrote a frame not in ${file}`);
    matches.push(next++);
  }
  return matches;
}

/** Every frame of a capture file. */
export function readPackets(file: string): CapturedPacket[] {
  return [...parseCapture(readFileSync(file))];
}

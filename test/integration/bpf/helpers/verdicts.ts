/**
 * The two verdicts the differential tests compare, for an expression and a capture: libpcap's (through
 * Debian's tcpdump: `-d` accepts or refuses it, `-r FILE -w -` gives the frames it accepts) and labtel's
 * (compile, then `accepts` on every frame), each as the refusal's message or the 0-based frames accepted.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { parseCapture, type CapturedPacket } from '../../../../src/protocols/capture';
import { accepts, compile, parseDecimal, type LinkType, type Program } from '../../../../src/bpf';
import { BPF_JA, BPF_JMP, BPF_LD, BPF_LDX, BPF_MEM, BPF_RET, BPF_ST, BPF_STX, bpfClass, bpfMode, bpfOp } from '../../../../src/bpf/instruction';

export interface Verdict {
  error?: string;
  frames?: number[];
}

/** tcpdump processes at a time. */
const PARALLEL = 4;

function run(args: string[]): Promise<{ status: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('tcpdump', args);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? 1, stdout: Buffer.concat(out), stderr: err }));
  });
}

const READING = /^reading from file .*\n/m;

/** libpcap's verdict: its message when it refuses the expression, else the 0-based frames it accepts. */
export async function libpcap(file: string, expression: string, packets: CapturedPacket[]): Promise<Verdict> {
  const compiled = await run(['-r', file, '-d', '--', expression]);
  if (compiled.status !== 0) return { error: compiled.stderr.replace(READING, '').trim() };
  const r = await run(['-r', file, '-w', '-', '--', expression]);
  assert.equal(r.status, 0, `tcpdump -r ${file} '${expression}': ${r.stderr}`);
  return { frames: framesOf(r.stdout, packets) };
}

/**
 * libpcap's verdict from one `tcpdump -r FILE -w -` run: `-r` compiles the expression as `-d` does and exits
 * with status 1 and the same message when libpcap refuses it, so a refusal is a failed run that wrote no frame.
 */
export async function libpcapFiltering(file: string, expression: string, packets: CapturedPacket[]): Promise<Verdict> {
  const r = await run(['-r', file, '-w', '-', '--', expression]);
  if (r.status !== 0) {
    assert.equal(r.stdout.length, 0, `tcpdump -r ${file} '${expression}' failed after writing: ${r.stderr}`);
    return { error: r.stderr.replace(READING, '').trim() };
  }
  return { frames: framesOf(r.stdout, packets) };
}

/** The 0-based input frames of what `tcpdump -w -` wrote, matched by timestamp (each frame's is its own). */
function framesOf(written: Buffer, packets: CapturedPacket[]): number[] {
  const frames: number[] = [];
  let next = 0;
  for (const o of parseCapture(written)) {
    while (next < packets.length && packets[next]!.timestampNs !== o.timestampNs) next++;
    frames.push(next++);
  }
  return frames;
}

/** labtel's verdict: the compiler's message when it refuses, else the frames its program accepts. */
export function labtel(expression: string, linkType: LinkType, packets: CapturedPacket[]): Verdict {
  let program: Program;
  try {
    program = compile(expression, { linkType });
  } catch (e) {
    return { error: (e as Error).message };
  }
  return { frames: packets.flatMap((p, i) => (accepts(program, p.data, p.originalLength) ? [i] : [])) };
}

/** Runs f over the items, PARALLEL at a time. */
export async function inParallel<T>(items: T[], f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < items.length) await f(items[next++]!);
  }));
}

export const describe = (r: Verdict): string => (r.error !== undefined ? `refuses (${r.error})` : `accepts frames [${r.frames!.map((i) => i + 1)}]`);

/** Whether two verdicts agree: both refuse, or both accept the same frames. */
export const same = (a: Verdict, b: Verdict): boolean =>
  (a.error !== undefined) === (b.error !== undefined) && (a.frames ?? []).join() === (b.frames ?? []).join();

/** libpcap's optimised program for an expression (`tcpdump -ddd`). */
export async function libpcapProgram(file: string, expression: string): Promise<Program> {
  const r = await run(['-r', file, '-ddd', '--', expression]);
  assert.equal(r.status, 0, `tcpdump -ddd '${expression}': ${r.stderr}`);
  return parseDecimal(r.stdout.toString());
}

/**
 * Whether a program can read a scratch memory word no instruction stored on the way there. libpcap's filter
 * (bpf_filter.c) keeps M[] in an uninitialised local, so such a read sees what the previous packet's run left
 * and the verdict depends on the frames before it (the kernel refuses such programs; libpcap's code for
 * `geneve` followed by `or` reads the offsets it stores only when the packet is Geneve).
 */
export function readsUnsetMemory(program: Program): boolean {
  const ALL = (1 << 16) - 1;
  // stored[pc]: the words stored on every way into pc (a bit set); undefined until a way arrives.
  const stored: Array<number | undefined> = new Array(program.length);
  stored[0] = 0;
  const reach = (pc: number, set: number): void => {
    stored[pc] = stored[pc] === undefined ? set : stored[pc]! & set;
  };
  for (let pc = 0; pc < program.length; pc++) {
    let set = stored[pc];
    if (set === undefined) continue;
    const { code, k } = program[pc]!;
    const cls = bpfClass(code);
    if ((cls === BPF_LD || cls === BPF_LDX) && bpfMode(code) === BPF_MEM && !(set & (1 << k))) return true;
    if (cls === BPF_ST || cls === BPF_STX) set = (set | (1 << k)) & ALL;
    if (cls === BPF_RET) continue;
    if (cls === BPF_JMP) {
      const insn = program[pc]!;
      if (bpfOp(code) === BPF_JA) reach(pc + 1 + k, set);
      else {
        reach(pc + 1 + insn.jt, set);
        reach(pc + 1 + insn.jf, set);
      }
    } else reach(pc + 1, set);
  }
  return false;
}

/** The frames a program accepts, run in labtel's interpreter (scratch memory zeroed for each packet). */
export const acceptedBy = (program: Program, packets: CapturedPacket[]): number[] =>
  packets.flatMap((p, i) => (accepts(program, p.data, p.originalLength) ? [i] : []));

/**
 * libpcap's verdict to hold labtel's against (`got`): tcpdump's, unless the two differ and libpcap's program
 * reads scratch memory it did not store (readsUnsetMemory); tcpdump's verdict on a frame then depends on the
 * frames before it, and its program's verdict is taken as on a capture's first frame (M[] zeroed).
 */
export async function libpcapAgainst(file: string, expression: string, packets: CapturedPacket[], got: Verdict): Promise<{ want: Verdict; unsetMemory: boolean }> {
  const want = await libpcapFiltering(file, expression, packets);
  if (same(want, got) || !want.frames) return { want, unsetMemory: false };
  const program = await libpcapProgram(file, expression);
  if (!readsUnsetMemory(program)) return { want, unsetMemory: false };
  return { want: { frames: acceptedBy(program, packets) }, unsetMemory: true };
}


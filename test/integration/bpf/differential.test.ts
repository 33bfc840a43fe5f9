// labtel's compiler against libpcap (Debian's tcpdump): for every expression of the project's corpus
// (expressions.ts) labtel accepts exactly what `tcpdump -d` accepts, and for every accepted expression its
// program, run in labtel's interpreter, accepts exactly the frames `tcpdump -r FILE EXPR` prints, on the
// generated Ethernet and raw-IP captures. The same for the shared corpus (../shared/corpus/bpf) when present.
// Every family is compiled: any difference, refusals included, fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets } from '../../helpers/tcpdump';
import { corpusPath, repoRoot } from '../../helpers/corpus';
import { parseCapture, type CapturedPacket } from '../../../src/protocols/capture';
import { corpus } from './expressions';
import { accepts, compile, type LinkType, type Program } from '../../../src/bpf';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'bpf');
const captures: Array<{ file: string; linkType: LinkType }> = [
  { file: path.join(fixtures, 'varied.pcap'), linkType: 'en10mb' },
  { file: path.join(fixtures, 'varied-raw.pcap'), linkType: 'raw' },
];
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

/** libpcap's verdict: undefined when it refuses the expression, else the 0-based frames it accepts. */
async function libpcap(file: string, expression: string, packets: CapturedPacket[]): Promise<{ error?: string; frames?: number[] }> {
  const compiled = await run(['-r', file, '-d', '--', expression]);
  if (compiled.status !== 0) return { error: compiled.stderr.replace(/^reading from file .*\n/m, '').trim() };
  const r = await run(['-r', file, '-w', '-', '--', expression]);
  assert.equal(r.status, 0, `tcpdump -r ${file} '${expression}': ${r.stderr}`);
  const frames: number[] = [];
  let next = 0;
  for (const o of parseCapture(r.stdout)) {
    while (next < packets.length && packets[next]!.timestampNs !== o.timestampNs) next++;
    frames.push(next++);
  }
  return { frames };
}

function labtel(expression: string, linkType: LinkType, packets: CapturedPacket[]): { error?: string; frames?: number[] } {
  let program: Program;
  try {
    program = compile(expression, { linkType });
  } catch (e) {
    return { error: (e as Error).message };
  }
  return { frames: packets.flatMap((p, i) => (accepts(program, p.data, p.originalLength) ? [i] : [])) };
}

async function inParallel<T>(items: T[], f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < items.length) await f(items[next++]!);
  }));
}

const describe = (r: { error?: string; frames?: number[] }): string => (r.error !== undefined ? `refuses (${r.error})` : `accepts frames [${r.frames!.map((i) => i + 1)}]`);

for (const { file, linkType } of captures) {
  test(`labtel accepts what tcpdump -d accepts and matches tcpdump -r's frames of ${path.basename(file)}, for all ${corpus.length} corpus expressions`, async (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    const packets = readPackets(file);
    const disagreements: string[] = [];
    let agreedAccepted = 0;
    await inParallel(corpus, async ({ family, expression }) => {
      const want = await libpcap(file, expression, packets);
      const got = labtel(expression, linkType, packets);
      const same = (want.error !== undefined) === (got.error !== undefined) && (want.frames ?? []).join() === (got.frames ?? []).join();
      if (!same) disagreements.push(`[${family}] '${expression}': libpcap ${describe(want)}; labtel ${describe(got)}`);
      else if (want.frames) agreedAccepted++;
    });
    assert.deepEqual(disagreements.sort(), []);
    assert.ok(agreedAccepted > 150, `only ${agreedAccepted} accepted expressions compared`);
  });
}

/** The shared corpus's verdict files: expressions with the frames libpcap 1.10.3 accepts, and those it refuses. */
function sharedCorpus(t: { skip: (why: string) => void }): string | undefined {
  try {
    return corpusPath('bpf');
  } catch (e) {
    // Visible outside CI; under CI=true a missing corpus fails.
    if (process.env.CI === 'true') throw e;
    t.skip((e as Error).message);
    return undefined;
  }
}

for (const name of ['libpcap-tests.json', 'filters.json']) {
  test(`labtel agrees with libpcap 1.10.3's recorded verdicts in the shared corpus's ${name}`, (t) => {
    const dir = sharedCorpus(t);
    if (!dir) return;
    const data = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { pcap: string; filters: Record<string, number[]>; rejected_by_libpcap?: unknown };
    const packets = readPackets(path.join(dir, data.pcap));
    const rejected = Array.isArray(data.rejected_by_libpcap) ? (data.rejected_by_libpcap as string[]) : Object.keys((data.rejected_by_libpcap ?? {}) as object);
    const disagreements: string[] = [];
    for (const [expression, frames] of Object.entries(data.filters)) {
      const got = labtel(expression, 'en10mb', packets);
      const want = { frames: frames.map((f) => f - 1) };
      if (got.error !== undefined || got.frames!.join() !== want.frames.join()) disagreements.push(`'${expression}': libpcap ${describe(want)}; labtel ${describe(got)}`);
    }
    for (const expression of rejected) {
      const got = labtel(expression, 'en10mb', packets);
      if (got.error === undefined) disagreements.push(`'${expression}': libpcap refuses it; labtel ${describe(got)}`);
    }
    assert.deepEqual(disagreements, []);
  });
}

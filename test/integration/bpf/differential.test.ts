// labtel's compiler against libpcap (Debian's tcpdump): for every expression of the project's corpus
// (expressions.ts) labtel accepts exactly what `tcpdump -d` accepts, and for every accepted expression its
// program, run in labtel's interpreter, accepts exactly the frames `tcpdump -r FILE EXPR` prints, on the
// generated Ethernet and raw-IP captures. The same for the shared corpus (../shared/corpus/bpf) when present.
// Every family is compiled: any difference, refusals included, fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets } from '../../helpers/tcpdump';
import { corpusPath, repoRoot } from '../../helpers/corpus';
import { corpus } from './expressions';
import type { LinkType } from '../../../src/bpf';
import { describe, inParallel, labtel, libpcap, same } from './helpers/verdicts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'bpf');
const captures: Array<{ file: string; linkType: LinkType }> = [
  { file: path.join(fixtures, 'varied.pcap'), linkType: 'en10mb' },
  { file: path.join(fixtures, 'varied-raw.pcap'), linkType: 'raw' },
];

for (const { file, linkType } of captures) {
  test(`labtel accepts what tcpdump -d accepts and matches tcpdump -r's frames of ${path.basename(file)}, for all ${corpus.length} corpus expressions`, async (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    const packets = readPackets(file);
    const disagreements: string[] = [];
    let agreedAccepted = 0;
    await inParallel(corpus, async ({ family, expression }) => {
      const want = await libpcap(file, expression, packets);
      const got = labtel(expression, linkType, packets);
      if (!same(want, got)) disagreements.push(`[${family}] '${expression}': libpcap ${describe(want)}; labtel ${describe(got)}`);
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

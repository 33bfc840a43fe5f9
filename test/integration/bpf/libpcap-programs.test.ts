// The instruction model, interpreter, disassembler and exports checked against libpcap's own programs, with no
// compiler involved: for every expression of the corpus that tcpdump compiles, labtel reads `tcpdump -ddd`,
// prints it as `tcpdump -d` and `-dd` do (compared byte for byte), and runs it on every frame of the
// generated captures, giving the same verdict as `tcpdump -r FILE EXPR`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets, tcpdumpAccepts, tcpdumpCompile } from '../../helpers/tcpdump';
import { repoRoot } from '../../helpers/corpus';
import { corpus } from './expressions';
import { disassemble } from '../../../src/bpf/disassembler';
import { parseDecimal, toC, toDecimal } from '../../../src/bpf/export';
import { accepts } from '../../../src/bpf/interpreter';

const captures = ['varied.pcap', 'varied-raw.pcap'].map((f) => path.join(repoRoot, 'test', 'fixtures', 'bpf', f));

for (const file of captures) {
  test(`libpcap's programs for the corpus, read from -ddd, print as -d/-dd and judge ${path.basename(file)} as tcpdump -r does`, async (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    const packets = readPackets(file);
    let compiled = 0;
    const failures: string[] = [];
    for (const { expression } of corpus) {
      const ddd = tcpdumpCompile(file, expression, ['-ddd']);
      if (!ddd.ok) continue;
      compiled++;
      const program = parseDecimal(ddd.stdout);
      assert.equal(toDecimal(program), ddd.stdout, `-ddd round trip of '${expression}'`);
      if (file === captures[0]) {
        assert.equal(disassemble(program), tcpdumpCompile(file, expression, ['-d']).stdout, `-d of '${expression}'`);
        assert.equal(toC(program), tcpdumpCompile(file, expression, ['-dd']).stdout, `-dd of '${expression}'`);
      }
      const want = tcpdumpAccepts(file, expression, packets);
      const got = packets.flatMap((p, i) => (accepts(program, p.data, p.originalLength) ? [i] : []));
      if (want.join() !== got.join()) failures.push(`'${expression}': tcpdump accepts [${want.map((i) => i + 1)}], labtel's interpreter [${got.map((i) => i + 1)}]`);
    }
    assert.deepEqual(failures, []);
    assert.ok(compiled > 200, `only ${compiled} expressions compiled`);
  });
}

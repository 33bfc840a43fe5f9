// What follows `geneve` on a packet that is not Geneve (after `or`, under `not`) reads Geneve's offsets from
// scratch registers its code never stored on that packet; libpcap's program then reads what earlier code left
// in the registers gen_geneve took (its allocator hands out registers a relation or protochain used before),
// and a load at that offset past a short frame rejects it. labtel mirrors those values
// (src/bpf/codegen/libpcapRegisters.ts). Each row against `tcpdump -r` on the Ethernet, short and raw-IP
// captures; where libpcap's program reads a register nothing stored, as on a first frame (random.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { requirePrereqs } from '../../helpers/tools';
import { readPackets } from '../../helpers/tcpdump';
import { describe, labtel, libpcapAgainst, same } from './helpers/verdicts';
import { GENERATED_CAPTURES as captures } from './helpers/generatedCaptures';

/** Expressions where a register Geneve takes holds, on other packets, what the code before it stored. */
const INHERITED_REGISTERS: Array<{ what: string; expression: string }> = [
  // From the random expressions (seeds 16, 18, 19, 21, 22).
  { what: "protochain's next header (its outer register is never freed)", expression: '(not protochain 6 or geneve) and (greater 64 && not atalk)' },
  { what: "a relation's right-hand constant", expression: 'not (not len - 14 > 40 && geneve) and not (port 80 || ether proto 0x88cc)' },
  { what: "a relation's constant after a load's result", expression: '(ip[2:2] - 20 > 30 || geneve) or not portrange 1-100' },
  // The same mechanism through the other sources of a store.
  { what: 'ip6 protochain (its register freed, then taken)', expression: '(not ip6 protochain 17 or geneve) and not atalk' },
  { what: 'ip protochain', expression: '(not ip protochain 6 or geneve) and not atalk' },
  { what: 'protochain and a product before geneve', expression: 'not (protochain 6 and len * 2 > 100 and geneve) and not arp' },
  { what: 'a relation of constants', expression: '(not 2 > 3 and geneve) or not ether proto 0x88cc' },
  { what: 'a negated length', expression: '(-len > 5 or geneve) or not port 80' },
  { what: 'a masked TCP flags byte', expression: '(tcp[tcpflags] & tcp-syn != 0 or geneve) or udp port 53' },
  { what: 'a variable index', expression: '(ip[ip[0] & 0xf] = 3 or geneve) and not ip' },
  { what: 'two geneves, each after a relation', expression: '(len - 14 > 40 or geneve) and (ip[2:2] - 20 > 30 or geneve) and not tcp' },
];


for (const { what, expression } of INHERITED_REGISTERS) {
  test(`after geneve, offsets inherited from ${what} agree with tcpdump: ${expression}`, async (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    for (const { file, linkType } of captures) {
      const packets = readPackets(file);
      const got = labtel(expression, linkType, packets);
      const { want } = await libpcapAgainst(file, expression, packets, got);
      assert.ok(same(want, got), `${path.basename(file)}: libpcap ${describe(want)}; labtel ${describe(got)}`);
    }
  });
}

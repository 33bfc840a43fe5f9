// The bpf-asm grammar, tokenized as VS Code does, on real `tcpdump -d` output (generated here by libpcap
// from the corpus expressions and a few that exercise the rest of the instruction set) and on a table of
// bpf_asm source lines (labels, comma targets, comments, extensions) and invalid input.
import { describe as suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusPath, corpusSkip } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { describe, innermost, tokenize } from './textmate';
import { compileWithTcpdump } from './pcapFilterReference';

const GRAMMAR = 'source.bpf-asm';
const S = {
  lineNumber: 'constant.numeric.line-number.bpf-asm',
  control: 'keyword.control.bpf-asm',
  opcode: 'keyword.other.opcode.bpf-asm',
  branch: 'keyword.other.branch.bpf-asm',
  decimal: 'constant.numeric.decimal.bpf-asm',
  hex: 'constant.numeric.hex.bpf-asm',
  octal: 'constant.numeric.octal.bpf-asm',
  binary: 'constant.numeric.binary.bpf-asm',
  immediate: 'punctuation.definition.immediate.bpf-asm',
  extension: 'support.constant.extension.bpf-asm',
  register: 'variable.language.register.bpf-asm',
  memory: 'variable.language.scratch-memory.bpf-asm',
  label: 'entity.name.label.bpf-asm',
  labelColon: 'punctuation.separator.label.bpf-asm',
  comma: 'punctuation.separator.comma.bpf-asm',
  bracketOpen: 'punctuation.section.brackets.begin.bpf-asm',
  bracketClose: 'punctuation.section.brackets.end.bpf-asm',
  parenOpen: 'punctuation.section.parens.begin.bpf-asm',
  parenClose: 'punctuation.section.parens.end.bpf-asm',
  arithmetic: 'keyword.operator.arithmetic.bpf-asm',
  bitwise: 'keyword.operator.bitwise.bpf-asm',
  comment: 'comment.line.semicolon.bpf-asm',
  commentStart: 'punctuation.definition.comment.bpf-asm',
  block: 'comment.block.bpf-asm',
  blockStart: 'punctuation.definition.comment.begin.bpf-asm',
  blockEnd: 'punctuation.definition.comment.end.bpf-asm',
  invalid: 'invalid.illegal.bpf-asm',
} as const;

/** Classic BPF opcodes (libpcap bpf_image, Linux bpf_asm): jumps and ret are control flow, the rest operations. */
const CONTROL = ['ja', 'jmp', 'jeq', 'jneq', 'jne', 'jlt', 'jle', 'jgt', 'jge', 'jset', 'ret'];
const OPERATIONS = ['ld', 'ldh', 'ldb', 'ldi', 'ldx', 'ldxi', 'ldxb', 'ldxh', 'st', 'stx', 'add', 'sub', 'mul', 'div', 'mod', 'neg',
  'and', 'or', 'xor', 'lsh', 'rsh', 'tax', 'txa'];

type Expected = Array<[text: string, scope: string]>;

async function scoped(text: string): Promise<Expected> {
  return (await tokenize(GRAMMAR, text)).filter((t) => t.text.trim() !== '').map((t) => [t.text.trim(), innermost(t)]);
}

const table: Array<[what: string, line: string, expected: Expected]> = [
  ['absolute load', '(000) ldh      [12]', [['(000)', S.lineNumber], ['ldh', S.opcode], ['[', S.bracketOpen], ['12', S.decimal], [']', S.bracketClose]]],
  ['conditional jump with jt/jf', '(001) jeq      #0x800           jt 2\tjf 5', [['(001)', S.lineNumber], ['jeq', S.control], ['#', S.immediate],
    ['0x800', S.hex], ['jt', S.branch], ['2', S.decimal], ['jf', S.branch], ['5', S.decimal]]],
  ['indirect load', '(011) ldh      [x + 16]', [['(011)', S.lineNumber], ['ldh', S.opcode], ['[', S.bracketOpen], ['x', S.register],
    ['+', S.arithmetic], ['16', S.decimal], [']', S.bracketClose]]],
  ['IP header length into X', '(010) ldxb     4*([14]&0xf)', [['(010)', S.lineNumber], ['ldxb', S.opcode], ['4', S.decimal], ['*', S.arithmetic],
    ['(', S.parenOpen], ['[', S.bracketOpen], ['14', S.decimal], [']', S.bracketClose], ['&', S.bitwise], ['0xf', S.hex], [')', S.parenClose]]],
  ['scratch memory', '(011) st       M[0]', [['(011)', S.lineNumber], ['st', S.opcode], ['M', S.memory], ['[', S.bracketOpen], ['0', S.decimal],
    [']', S.bracketClose]]],
  ['ALU with X', '(015) add      x', [['(015)', S.lineNumber], ['add', S.opcode], ['x', S.register]]],
  ['register transfer, no operand', '(016) tax      ', [['(016)', S.lineNumber], ['tax', S.opcode]]],
  ['unconditional jump', '(018) ja       4', [['(018)', S.lineNumber], ['ja', S.control], ['4', S.decimal]]],
  ['accept', '(004) ret      #262144', [['(004)', S.lineNumber], ['ret', S.control], ['#', S.immediate], ['262144', S.decimal]]],
  ['packet length', '(000) ld       #pktlen', [['(000)', S.lineNumber], ['ld', S.opcode], ['#', S.immediate], ['pktlen', S.extension]]],
  ['label and extension', 'start: ld #proto ; EtherType', [['start', S.label], [':', S.labelColon], ['ld', S.opcode], ['#', S.immediate],
    ['proto', S.extension], [';', S.commentStart], ['EtherType', S.comment]]],
  ['bpf_asm jump with comma targets', '  jeq #0x800, ipv4, drop /* IPv4? */', [['jeq', S.control], ['#', S.immediate], ['0x800', S.hex],
    [',', S.comma], ['ipv4', S.label], [',', S.comma], ['drop', S.label], ['/*', S.blockStart], ['IPv4?', S.block], ['*/', S.blockEnd]]],
  ['bpf_asm negated jump, one target', '  jneq #0b101, out', [['jneq', S.control], ['#', S.immediate], ['0b101', S.binary], [',', S.comma],
    ['out', S.label]]],
  ['jt to a label', '  jgt x jt big jf small', [['jgt', S.control], ['x', S.register], ['jt', S.branch], ['big', S.label], ['jf', S.branch],
    ['small', S.label]]],
  ['jump to a label', '  jmp start', [['jmp', S.control], ['start', S.label]]],
  ['registers a, %x', '  ret a\n  add %x', [['ret', S.control], ['a', S.register], ['add', S.opcode], ['%x', S.register]]],
  ['immediates: negative, octal', '  ldi #-1\n  ldxi #017', [['ldi', S.opcode], ['#', S.immediate], ['-1', S.decimal], ['ldxi', S.opcode],
    ['#', S.immediate], ['017', S.octal]]],
  ['Linux extensions', '  ld vlan_avail\n  ld #rxhash\n  ldx len', [['ld', S.opcode], ['vlan_avail', S.extension], ['ld', S.opcode],
    ['#', S.immediate], ['rxhash', S.extension], ['ldx', S.opcode], ['len', S.extension]]],
  ['block comment over lines', '/* a\n b */ ret #0', [['/*', S.blockStart], ['a', S.block], ['b', S.block], ['*/', S.blockEnd],
    ['ret', S.control], ['#', S.immediate], ['0', S.decimal]]],
  ['unknown words are invalid, not opcodes', '  ldw [12]\n  jump 3\n  retx', [['ldw', S.invalid], ['[', S.bracketOpen], ['12', S.decimal],
    [']', S.bracketClose], ['jump', S.invalid], ['3', S.decimal], ['retx', S.invalid]]],
  ['an opcode is not a prefix match', '  ldhx [12]', [['ldhx', S.invalid], ['[', S.bracketOpen], ['12', S.decimal], [']', S.bracketClose]]],
];

suite('bpf-asm grammar: table of lines and scopes', () => {
  for (const [what, line, expected] of table) {
    test(`scopes ${what}: ${JSON.stringify(line)}`, async () => {
      assert.deepEqual(await scoped(line), expected, describe(await tokenize(GRAMMAR, line)));
    });
  }

  test('every opcode alone is scoped as control flow or operation', async () => {
    for (const op of CONTROL) assert.deepEqual(await scoped(op), [[op, S.control]], op);
    for (const op of OPERATIONS) assert.deepEqual(await scoped(op), [[op, S.opcode]], op);
  });
});

// Expressions whose programs use, between them, most of the classic BPF instruction set.
const EXTRA_FILTERS = [
  'ip6 protochain 6',
  '- ip[0] > 1',
  '0 - ip[0] > 1 and ip[0] * ip[1] > 1 and ip[0] % ip[1] > 0 and ip[0] << ip[1] > 0',
  'ip[0] / 2 > 1 and ip[1] >> 1 > 1 and ip[2] | 1 > 1 and ip[3] + ip[4] > 1 and ip[5] & ip[6] != 0',
  'ip[0] > ip[1] and ip[2] >= ip[3] and ip[4] == ip[5]',
  'tcp port 80 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)',
  'len - 14 > 100',
  'ip[0] ^ ip[1] > 1',
  // The lab's own filters and the pcap-filter forms a user of labtel writes.
  'udp dst port 6343 and src host 198.51.100.2',
  'not udp port 6343',
  'ip6 and (tcp or udp) and dst net 2001:db8::/32',
  'icmp6 and ip6[40] == 1',
  'icmp[icmptype] == icmp-timxceed or icmp[icmptype] == icmp-unreach',
  'tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and port 179',
  'portrange 5201-5203 and host 203.0.113.254',
  'vlan and udp',
  'ether host aa:bb:cc:dd:ee:ff or ether broadcast',
  'greater 100 and less 1500',
  'ip proto 89 or ip6 proto 89',
];
/** Instruction lines compiled from EXTRA_FILTERS alone; the corpus's expressions add ~500. */
const EXTRA_LINES = 150;

suite('bpf-asm grammar on real tcpdump -d output', () => {
  test('every instruction libpcap prints gets a line number, an opcode scope for its opcode, and scoped operands', async (t) => {
    if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
    // The third-party corpus's expressions when present (always under CI), and the ones listed here.
    const corpus = corpusSkip ? { filters: {} } : JSON.parse(readFileSync(corpusPath('bpf', 'filters.json'), 'utf8')) as { filters: Record<string, number[]> };
    const opcodesSeen = new Set<string>();
    let lines = 0;
    for (const expr of [...Object.keys(corpus.filters), ...EXTRA_FILTERS]) {
      const r = compileWithTcpdump(expr);
      assert.ok(r.ok, `tcpdump -d refused "${expr}": ${r.stderr}`);
      const program = r.program.replace(/\n$/, '');
      const tokens = await tokenize(GRAMMAR, program);
      program.split('\n').forEach((text, line) => {
        lines++;
        const m = /^\((\d{3})\) (\w+)/.exec(text);
        assert.ok(m, `not an instruction line: ${text}`);
        const mine = tokens.filter((tk) => tk.line === line && tk.text.trim() !== '');
        const where = `"${expr}" line ${JSON.stringify(text)}:\n${describe(mine)}`;
        assert.deepEqual([mine[0].text, innermost(mine[0])], [`(${m[1]})`, S.lineNumber], where);
        const op = m[2];
        opcodesSeen.add(op);
        assert.deepEqual([mine[1].text, innermost(mine[1])], [op, CONTROL.includes(op) ? S.control : S.opcode], where);
        for (const tk of mine) {
          assert.ok(tk.scopes.length > 1, `unscoped ${JSON.stringify(tk.text)} in ${where}`);
          assert.ok(!tk.scopes.some((s) => s.startsWith('invalid')), `invalid ${JSON.stringify(tk.text)} in ${where}`);
        }
      });
    }
    // The generated programs really exercised the grammar: loads, stores, ALU, transfers, jumps, return.
    for (const op of ['ld', 'ldh', 'ldb', 'ldx', 'ldxb', 'st', 'jeq', 'jgt', 'jge', 'jset', 'ja', 'add', 'sub', 'mul', 'div', 'mod',
      'neg', 'and', 'or', 'xor', 'lsh', 'rsh', 'tax', 'txa', 'ret']) {
      assert.ok(opcodesSeen.has(op), `no program used ${op}; seen: ${[...opcodesSeen].sort().join(' ')}`);
    }
    assert.ok(lines > (corpusSkip ? EXTRA_LINES : 500), `only ${lines} instruction lines`);
  });
});

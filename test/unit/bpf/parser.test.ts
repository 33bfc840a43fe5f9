// The parser's shape of the language (precedence, associativity, inherited qualifiers, ranges) and its errors:
// each mistake reports where it is (offsets, line, column), what was expected and what was found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, ParseError, type FilterNode } from '../../../src/bpf';

/** A compact form of a tree: (and a b), (not a), host=1.2.3.4, proto:tcp … */
function shape(n: FilterNode | undefined): string {
  if (!n) return '';
  switch (n.type) {
    case 'and':
    case 'or':
      return `(${n.type} ${shape(n.left)} ${shape(n.right)})`;
    case 'not':
      return `(not ${shape(n.operand)})`;
    case 'protocol':
      return n.proto;
    case 'keyword':
      return `${n.proto ? `${n.proto} ` : ''}${n.keyword}${n.argument ? ` ${n.argument.text}` : ''}`;
    case 'relation':
      return `rel${n.operator}`;
    case 'qualified': {
      const q = n.qualifiers;
      return `${[q.proto, q.dir, q.type].filter(Boolean).join(' ')}${n.inherited ? '^' : ''}=${n.value.text}${n.prefixLength ? `/${n.prefixLength.text}` : ''}`;
    }
  }
}

const shapes: Array<[string, string]> = [
  ['tcp or udp and icmp', '(and (or tcp udp) icmp)'],
  ['tcp and udp or icmp', '(or (and tcp udp) icmp)'],
  ['not tcp or udp', '(or (not tcp) udp)'],
  ['not (tcp or udp)', '(not (or tcp udp))'],
  ['! tcp && ! udp', '(and (not tcp) (not udp))'],
  ['host 192.0.2.1 and 192.0.2.2', '(and host=192.0.2.1 host^=192.0.2.2)'],
  ['tcp dst port 80 or 443', '(or tcp dst port=80 tcp dst port^=443)'],
  ['port 80 and not 53', '(and port=80 (not port^=53))'],
  ['port 80 or (53 or 123)', '(or port=80 (or port^=53 port^=123))'],
  ['src or dst net 2001:db8::/32', 'src or dst net=2001:db8::/32'],
  ['ether src aa:bb:cc:dd:ee:01', 'link src=aa:bb:cc:dd:ee:01'],
  ['vlan 100 and ip multicast', '(and vlan 100 ip multicast)'],
  ['tcp[13] & 2 != 0', 'rel!='],
  ['(ip[0] & 0xf) > 5', 'rel>'],
  ['', ''],
];
for (const [expression, want] of shapes) {
  test(`'${expression}' parses as ${want || 'nothing (accept all)'}`, () => {
    assert.equal(shape(parse(expression).root), want);
  });
}

test('ranges cover a primitive with its qualifiers, and a binary node both sides', () => {
  const root = parse('tcp and src host 192.0.2.1').root!;
  assert.ok(root.type === 'and');
  assert.deepEqual(root.range, { start: 0, end: 26 });
  assert.deepEqual(root.right.range, { start: 8, end: 26 });
});

const mistakes: Array<{ expression: string; message: string; start: number; end: number; expected: string; found: string }> = [
  { expression: 'host and tcp', message: "1:6: expected a host address after 'host', found 'and'", start: 5, end: 8, expected: 'a host address', found: 'and' },
  { expression: 'tcp port', message: "1:9: expected a port number or name after 'port', found the end of the expression", start: 8, end: 8, expected: 'a port number or name', found: '' },
  { expression: 'net', message: "1:4: expected a network address after 'net', found the end of the expression", start: 3, end: 3, expected: 'a network address', found: '' },
  { expression: 'tcp and', message: "1:8: expected a filter primitive after 'and', found the end of the expression", start: 7, end: 7, expected: 'a filter primitive', found: '' },
  { expression: '(tcp', message: "1:5: expected ')' after 'tcp', found the end of the expression", start: 4, end: 4, expected: "')'", found: '' },
  { expression: 'tcp udp', message: "1:5: expected 'and' or 'or' after 'tcp', found 'udp'", start: 4, end: 7, expected: "'and' or 'or'", found: 'udp' },
  { expression: 'ip and 80', message: "1:8: '80' has no qualifier to take from the primitive before it; write its kind, e.g. 'host 80' or 'port 80'", start: 7, end: 9, expected: 'a qualified primitive', found: '80' },
  { expression: 'tcp\nand host', message: "2:9: expected a host address after 'host', found the end of the expression", start: 12, end: 12, expected: 'a host address', found: '' },
  { expression: 'tcp @ udp', message: '1:5: illegal token: @', start: 4, end: 5, expected: 'a filter expression', found: '@' },
  { expression: 'tcp[0:3] = 1', message: '1:7: data size must be 1, 2, or 4, not 3', start: 6, end: 7, expected: 'a size (1, 2 or 4)', found: '3' },
  { expression: 'len > 99999999999', message: '1:7: number 99999999999 overflows 32 bits', start: 6, end: 17, expected: 'a number', found: '99999999999' },
  { expression: 'port 089', message: '1:6: number 089 contains non-octal digit', start: 5, end: 8, expected: 'a number', found: '089' },
];
for (const m of mistakes) {
  test(`'${m.expression.replace('\n', '\\n')}' is a ParseError at ${m.message.split(': ')[0]}: expected ${m.expected}`, () => {
    assert.throws(() => parse(m.expression), (e: unknown) => {
      assert.ok(e instanceof ParseError);
      assert.equal(e.message, m.message);
      assert.deepEqual({ start: e.start, end: e.end, expected: e.expected, found: e.found }, { start: m.start, end: m.end, expected: m.expected, found: m.found });
      return true;
    });
  });
}

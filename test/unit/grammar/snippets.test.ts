// The pcap-filter snippets: the file parses as JSON, the prefixes a lab engineer types are there with a
// description, and every body, once its placeholders take their defaults, is an expression libpcap compiles
// and the grammar tokenizes without an invalid token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { describe, tokenize } from './textmate';
import { compileWithTcpdump } from './pcapFilterReference';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

function readSnippets(): Record<string, Snippet> {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { snippets: { language: string; path: string }[] };
  };
  const entry = manifest.contributes.snippets.find((s) => s.language === 'pcap-filter');
  assert.ok(entry, 'package.json contributes no pcap-filter snippets');
  return JSON.parse(readFileSync(path.join(repoRoot, entry.path), 'utf8')) as Record<string, Snippet>;
}

/**
 * A snippet body as VS Code inserts it when every placeholder keeps its default: ${1:x} → x, ${1|a,b|} → a,
 * $1 / ${1} / $0 → nothing; nested placeholders resolve from the inside out; \$ \} \\ unescape.
 */
function withDefaults(body: string): string {
  let text = body;
  for (let prev = ''; prev !== text;) {
    prev = text;
    text = text
      .replace(/(?<!\\)\$\{\d+\|((?:[^,|\\]|\\.)*)(?:,(?:[^|\\]|\\.)*)*\|\}/g, '$1')
      .replace(/(?<!\\)\$\{\d+:((?:[^{}$\\]|\\.)*)\}/g, '$1');
  }
  return text.replace(/(?<!\\)\$\{\d+\}|(?<!\\)\$\d+/g, '').replace(/\\([$}\\])/g, '$1');
}

const bodyText = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);
const prefixes = (s: Snippet) => (Array.isArray(s.prefix) ? s.prefix : [s.prefix]);

// The filters a lab engineer types most, by prefix, and what each must expand to with its defaults.
const REQUIRED: Array<[prefix: string, expands: RegExp]> = [
  ['sflow', /^udp port 6343$/],
  ['bgp', /^tcp port 179$/],
  ['ipudp', /^ip and udp$/],
  ['flow', /^host 192\.0\.2\.1 and host 192\.0\.2\.2$/],
  ['syn', /^tcp\[tcpflags\] & \(tcp-syn\|tcp-ack\) == tcp-syn$/],
  ['ping', /icmp-echo\b.*icmp-echoreply|icmp-echoreply.*icmp-echo\b/],
  ['vlan', /^vlan \d+$/],
  ['ip6', /^ip6$/],
  ['portrange', /\bportrange \d+-\d+$/],
];

test('the snippets file parses and every snippet has a prefix, a body and a description', () => {
  const snippets = readSnippets();
  assert.ok(Object.keys(snippets).length >= REQUIRED.length);
  const seen = new Set<string>();
  for (const [name, s] of Object.entries(snippets)) {
    assert.ok(prefixes(s).every((p) => typeof p === 'string' && p.length > 0), `${name}: prefix`);
    assert.ok(bodyText(s).trim().length > 0, `${name}: empty body`);
    assert.ok((s.description ?? '').length > 10, `${name}: no description`);
    for (const p of prefixes(s)) {
      assert.ok(!seen.has(p), `prefix ${p} used twice`);
      seen.add(p);
    }
  }
});

test('the required prefixes exist and expand to the expected filters', () => {
  const byPrefix = new Map(Object.values(readSnippets()).flatMap((s) => prefixes(s).map((p) => [p, s] as const)));
  for (const [prefix, expands] of REQUIRED) {
    const s = byPrefix.get(prefix);
    assert.ok(s, `no snippet with prefix ${prefix}`);
    assert.match(withDefaults(bodyText(s)), expands, prefix);
  }
});

test('placeholder defaults are resolved the way VS Code inserts them', () => {
  const cases: Array<[body: string, inserted: string]> = [
    ['udp port ${1:6343}', 'udp port 6343'],
    ['${1|tcp,udp|} portrange ${2:1}-${3:2}', 'tcp portrange 1-2'],
    ['host ${1:${2:192.0.2.1}}$0', 'host 192.0.2.1'],
    ['ether host ${1:02:00:00:00:00:01}', 'ether host 02:00:00:00:00:01'],
    ['a \\$1 ${1:b\\}}', 'a $1 b}'],
  ];
  for (const [body, inserted] of cases) assert.equal(withDefaults(body), inserted, body);
});

test('every snippet body with its defaults compiles with libpcap (tcpdump -d)', (t) => {
  if (!requirePrereqs(t, { tools: ['tcpdump'] })) return;
  for (const [name, s] of Object.entries(readSnippets())) {
    const expr = withDefaults(bodyText(s));
    const r = compileWithTcpdump(expr);
    assert.ok(r.ok, `${name} (${prefixes(s).join(', ')}): "${expr}" → ${r.stderr}`);
  }
});

test('every snippet body with its defaults tokenizes with no invalid token', async () => {
  for (const [name, s] of Object.entries(readSnippets())) {
    const expr = withDefaults(bodyText(s));
    const tokens = await tokenize('source.pcap-filter', expr);
    assert.ok(!tokens.some((tk) => tk.scopes.some((sc) => sc.startsWith('invalid'))), `${name}: ${expr}\n${describe(tokens)}`);
  }
});

// Filters in agent arguments and launch configurations: which argument holds the capture agent's filter in each
// spelling its flag parser accepts, the message — the capture agent's own, as it prints it for the same
// arguments — and, in a launch.json with comments and trailing commas, the place of the mistake inside the string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { filterArgumentProblem, filterArguments } from '../../../src/extension/bpf/filterArguments';
import { parseJsonc } from '../../../src/extension/bpf/jsoncTree';
import { launchFilterProblems } from '../../../src/extension/bpf/launchFilters';
import { repoRoot } from '../../helpers/corpus';

const spellings: Array<[argv: string[], index: number, expression: string]> = [
  [['--intf', 'eth1', '--filter', 'udp port 6343'], 3, 'udp port 6343'],
  [['-f', 'tcp'], 1, 'tcp'],
  [['-filter', 'ip6'], 1, 'ip6'],
  [['--filter=host 192.0.2.1'], 0, 'host 192.0.2.1'],
  [['-filter=icmp'], 0, 'icmp'],
];
for (const [argv, index, expression] of spellings) {
  test(`filterArguments(${JSON.stringify(argv)}) finds '${expression}' in argument ${index}`, () => {
    assert.deepEqual(filterArguments(argv).map((f) => [f.index, f.expression]), [[index, expression]]);
  });
}

test('after -- nothing is a flag', () => {
  assert.deepEqual(filterArguments(['--', '--filter', 'host and']), []);
});

for (const argv of [['--intf', 'eth1', '--filter', 'host and tcp'], ['--filter=tcp port'], ['-f', 'tcp and 80']]) {
  test(`a bad filter in ${JSON.stringify(argv)} reads as the capture agent says it`, () => {
    const agent = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'agents', 'capture.ts'),
      '--read', path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap'), ...argv], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(agent.status, 2, agent.stderr);
    assert.equal(filterArgumentProblem(argv), agent.stderr.split('\n')[0]);
  });
}

test('good filters raise no problem', () => {
  assert.equal(filterArgumentProblem(['--filter', 'udp port 6343', '-f', 'vlan and tcp']), undefined);
});

const launch = `{
  // the lab's launch configurations
  "version": "0.2.0",
  "configurations": [
    { "type": "labtel", "request": "launch", "name": "capture", "agent": "capture", "node": "r3",
      "args": ["--intf", "eth1", "--filter", "udp port 6343 and host", ], },
    { "type": "labtel", "request": "launch", "name": "joined", "agent": "capture", "node": "r3",
      "args": ["--filter=tcp AND udp"] },
    { "type": "labtel", "request": "launch", "name": "escaped", "agent": "capture", "node": "r3",
      "args": ["--filter", "host \\"x\\""] },
    /* not the capture agent: its args are its own */
    { "type": "labtel", "request": "launch", "name": "talkers", "agent": "top-talkers", "node": "h2", "args": ["--filter", "host and"] },
    { "type": "node", "request": "launch", "name": "other", "args": ["--filter", "host and"] },
  ],
}`;

test('launch.json: each capture configuration\'s bad filter, marked where the compiler says inside the string', () => {
  const problems = launchFilterProblems(launch);
  const marked = problems.map((p) => [launch.slice(p.start, p.end), p.message]);
  assert.deepEqual(marked, [
    // The end of the expression: a zero-width mark before the closing quote.
    ['', "pcap-filter: expected a host address after 'host', found the end of the expression"],
    ['AND', "pcap-filter: expected 'and' or 'or' after 'tcp', found 'AND'"],
    // With escapes the string is marked whole.
    ['"host \\"x\\""', 'pcap-filter: illegal token: "'],
  ]);
  assert.equal(launch[problems[0]!.start], '"');
  assert.equal(launch.slice(problems[0]!.start - 4, problems[0]!.start), 'host');
});

test('a launch.json that does not parse gives no problems (the JSON editor reports it)', () => {
  assert.equal(parseJsonc('{ "configurations": [ }'), undefined);
  assert.deepEqual(launchFilterProblems('{ "configurations": [ '), []);
});

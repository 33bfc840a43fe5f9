import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingFor, parseHealth, renderHealth } from '../../../../src/lab/host/healthCheck';
import { parseBackendAnswer } from '../../../../src/lab/host/hostProtocol';
import { explainSshFailure } from '../../../../src/lab/host/sshErrors';

/** What the health script prints on a Debian host with the embedded backend's packages, as root. */
const fullHost = [
  'uid\t0', 'path.ip\t/usr/sbin/ip', 'path.tar\t/usr/bin/tar', 'path.unshare\t/usr/bin/unshare', 'path.vtysh\t/usr/bin/vtysh',
  'path.pmacctd\t/usr/sbin/pmacctd', 'path.tcpdump\t/usr/bin/tcpdump', 'path.iperf3\t/usr/bin/iperf3', 'path.containerlab\t', 'path.docker\t',
  'node\tv20.20.2 115 x64 linux', 'frr.zebra\t/usr/lib/frr/zebra', 'frr.bgpd\t/usr/lib/frr/bgpd', 'frr.user\t100', 'priv\troot', 'netns\tyes',
].join('\n');

const edit = (lines: Record<string, string>) => fullHost.split('\n').map((l) => {
  const key = l.split('\t')[0]!;
  return key in lines ? `${key}\t${lines[key]}` : l;
}).join('\n');

test('a host with everything the embedded backend needs misses only containerlab and Docker', () => {
  const h = parseHealth('lab1', fullHost, ['sudo', '-n']);
  assert.equal(h.root, true);
  assert.deepEqual(missingFor(h, 'netns'), []);
  assert.deepEqual(missingFor(h, 'containerlab').map((i) => i.name), ['containerlab', 'docker']);
  assert.match(renderHealth(h, 'netns'), /ready for the netns backend and the agents/);
});

test('each missing piece is named with what needs it', () => {
  const cases: [string, Record<string, string>, string[]][] = [
    ['no iperf3', { 'path.iperf3': '' }, ['iperf3']],
    ['no pmacct', { 'path.pmacctd': '' }, ['pmacctd']],
    ['no FRR', { 'frr.zebra': '', 'frr.bgpd': '', 'path.vtysh': '' }, ['frr', 'vtysh']],
    ['an old node', { node: 'v18.19.0 108 x64 linux' }, ['node']],
    ['no node', { node: '' }, ['node']],
    ['no namespaces', { netns: 'no' }, ['namespaces']],
    ['not root and sudo refuses', { uid: '1000', priv: 'no' }, ['root']],
    ['no tcpdump', { 'path.tcpdump': '' }, ['tcpdump']],
  ];
  for (const [what, change, missing] of cases) {
    const h = parseHealth('lab1', edit(change), ['sudo', '-n']);
    assert.deepEqual(missingFor(h, 'netns').map((i) => i.name), missing, what);
    for (const name of missing) assert.match(renderHealth(h, 'netns'), new RegExp(`MISSING\\s+${name}`), what);
  }
  const sudo = parseHealth('lab1', edit({ uid: '1000', priv: 'prefix' }), ['sudo', '-n']);
  assert.equal(sudo.root, false);
  assert.deepEqual(missingFor(sudo, 'netns'), [], 'a working privilege prefix is enough');
  assert.match(sudo.items.find((i) => i.name === 'root')!.detail, /"sudo -n" works/);
});

test('OpenSSH\'s failures become one sentence each that says what to do', () => {
  const cases: [string, string, RegExp][] = [
    ['key-refused', 'root@198.51.100.50: Permission denied (publickey).', /lab1 refused the login \(publickey\): add your public key/],
    ['host-key-changed', '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n' +
      'Offending ED25519 key in /home/u/.ssh/known_hosts:3\nHost key for 198.51.100.50 has changed and you have requested strict checking.\nHost key verification failed.',
    /lab1: its host key is not the one recorded in known_hosts \(\/home\/u\/\.ssh\/known_hosts:3\)/],
    ['host-key-unknown', 'No ED25519 host key is known for 198.51.100.50 and you have requested strict checking.\nHost key verification failed.', /not in known_hosts\. Connect once with "ssh lab1"/],
    ['unreachable', 'ssh: connect to host 198.51.100.51 port 22: Connection refused', /lab1 is not reachable: ssh: connect to host/],
    ['unreachable', 'ssh: Could not resolve hostname nosuch: Name or service not known', /not reachable/],
    ['connection-lost', '', /the connection to lab1 was lost/],
  ];
  for (const [reason, log, message] of cases) {
    const e = explainSshFailure('lab1', log, 255);
    assert.equal(e.reason, reason, log);
    assert.match(e.message, message, log);
  }
});

test('the host\'s answer is the last JSON line with "ok", whatever was printed before it', () => {
  assert.deepEqual(parseBackendAnswer('log line\n{"ok":true,"result":{"created":true,"seconds":1.2}}\n'), { ok: true, result: { created: true, seconds: 1.2 } });
  assert.deepEqual(parseBackendAnswer('{"ok":false,"name":"LabNotDeployedError","error":"lab netgo is not deployed"}'), { ok: false, name: 'LabNotDeployedError', error: 'lab netgo is not deployed' });
  assert.equal(parseBackendAnswer('{"v":1}\nnot json {'), undefined);
  assert.equal(parseBackendAnswer(''), undefined);
});

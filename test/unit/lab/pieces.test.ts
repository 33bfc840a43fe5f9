import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkIpCommand, ExecLineError, splitExecLine } from '../../../src/lab/execLine';
import { frrDaemonArgv, parseBgpSummary } from '../../../src/lab/frr';
import { enabledDaemons } from '../../../src/lab/nodeRoles';
import { pmacctdConfig, pmacctdValue } from '../../../src/lab/sflowProbe';
import { isValidInterfaceName, namespaceName } from '../../../src/lab/names';
import { loadTrafficProfile } from '../../../src/lab/traffic';
import { ContainerlabBackend } from '../../../src/lab/containerlabBackend';
import { loadTopology } from '../../../src/lab/topology';
import { repoRoot } from '../../helpers/corpus';

test('exec entries split into argv like a shell would, without a shell', () => {
  const cases: [string, string[]][] = [
    ['ip addr add 203.0.113.0/31 dev eth1', ['ip', 'addr', 'add', '203.0.113.0/31', 'dev', 'eth1']],
    ['  ip   route add 203.0.113.0/24   via 203.0.113.1 ', ['ip', 'route', 'add', '203.0.113.0/24', 'via', '203.0.113.1']],
    ["echo 'two words' \"and \\\"more\\\"\"", ['echo', 'two words', 'and "more"']],
    ['touch a\\ b', ['touch', 'a b']],
    ["printf ''", ['printf', '']],
  ];
  for (const [line, argv] of cases) assert.deepEqual(splitExecLine(line), argv, line);
});

test('exec entries with shell syntax or broken quoting are refused', () => {
  for (const line of ['ip a; reboot', 'echo $(id)', 'cat < /etc/passwd', 'ls | wc', "echo 'open", '', 'echo `id`']) {
    assert.throws(() => splitExecLine(line), ExecLineError, line);
  }
});

test('ip addr/route add entries are checked against the node interfaces and address syntax', () => {
  const ifs = new Set(['eth1']);
  const ok = ['ip addr add 203.0.113.0/31 dev eth1', 'ip -4 address add 2001:db8::1/64 dev eth1', 'ip route add default via 203.0.113.1',
    'ip route add 198.51.100.0/24 dev eth1', 'ip addr add 198.51.100.9/32 dev lo', 'ip link set eth1 up', 'sysctl -w net.ipv4.ip_forward=1'];
  for (const line of ok) assert.doesNotThrow(() => checkIpCommand(splitExecLine(line), ifs), line);
  const bad: [string, RegExp][] = [
    ['ip addr add 203.0.113.256/31 dev eth1', /not an IP address/],
    ['ip addr add 2001:db8::1/129 dev eth1', /prefix length for IPv6/],
    ['ip addr add 203.0.113.0/31 dev eth2', /dev "eth2" is not an interface/],
    ['ip addr add 203.0.113.0/31', /needs "dev IFACE"/],
    ['ip route add 203.0.113.0/24 via gateway', /bad gateway/],
    ['ip route add 203.0.113.0/24', /needs "via GATEWAY" or "dev IFACE"/],
  ];
  for (const [line, why] of bad) assert.throws(() => checkIpCommand(splitExecLine(line), ifs), why, line);
});

test('names: namespaces are named as containerlab names containers; interface names fit IFNAMSIZ', () => {
  assert.equal(namespaceName('netgo', 'host-2'), 'clab-netgo-host-2');
  assert.ok(isValidInterfaceName('eth1') && isValidInterfaceName('e1-1') && isValidInterfaceName('a'.repeat(15)));
  for (const bad of ['a'.repeat(16), 'eth/1', 'eth 1', 'eth:1', '', '.', '..']) assert.ok(!isValidInterfaceName(bad), bad);
});

test('the daemons file enables zebra always and the daemons set to yes, in start order', () => {
  assert.deepEqual(enabledDaemons('bgpd=yes\nospfd=no\nstaticd=yes\n# isisd=yes\nzebra_options="-A 127.0.0.1"\n'), ['zebra', 'staticd', 'bgpd']);
  assert.deepEqual(enabledDaemons(''), ['zebra']);
});

test('FRR daemons get their own vty socket folder, zserv socket, pid file, config and log', () => {
  const argv = frrDaemonArgv('bgpd', { dir: '/run/labtel/netgo/r1', config: '/run/labtel/netgo/r1/frr.conf' });
  assert.equal(argv[0], '/usr/lib/frr/bgpd');
  const opt = (o: string) => argv[argv.indexOf(o) + 1];
  assert.equal(opt('--vty_socket'), '/run/labtel/netgo/r1');
  assert.equal(opt('-z'), '/run/labtel/netgo/r1/zserv.api');
  assert.equal(opt('-i'), '/run/labtel/netgo/r1/bgpd.pid');
  assert.equal(opt('-f'), '/run/labtel/netgo/r1/frr.conf');
  assert.equal(opt('-u'), 'frr');
  assert.ok(!argv.includes('-d'), 'daemons stay in the foreground so labtel owns their pids');
});

// Recorded from FRR 8.4.4 (Debian) on r3 of the netgo lab: two sessions to r2 Established, the one to host-3 Active.
const r3Summary = '{"ipv4Unicast":{"routerId":"198.51.100.2","as":65002,"vrfId":0,"vrfName":"default","tableVersion":9,"ribCount":17,"ribMemory":3264,"peerCount":3,"peerMemory":2224392,"peers":{"192.0.2.2":{"hostname":"r2","remoteAs":65001,"localAs":65002,"version":4,"msgRcvd":10,"msgSent":9,"tableVersion":0,"outq":0,"inq":0,"peerUptime":"00:00:02","peerUptimeMsec":2000,"peerUptimeEstablishedEpoch":1795589043,"pfxRcd":7,"pfxSnt":9,"state":"Established","peerState":"OK","connectionsEstablished":1,"connectionsDropped":0,"desc":"r2-link1","idType":"ipv4"},"192.0.2.4":{"hostname":"r2","remoteAs":65001,"localAs":65002,"version":4,"msgRcvd":10,"msgSent":9,"tableVersion":0,"outq":0,"inq":0,"peerUptime":"00:00:02","peerUptimeMsec":2000,"peerUptimeEstablishedEpoch":1795589043,"pfxRcd":7,"pfxSnt":9,"state":"Established","peerState":"OK","connectionsEstablished":1,"connectionsDropped":0,"desc":"r2-link2","idType":"ipv4"},"203.0.113.254":{"remoteAs":65005,"localAs":65002,"version":4,"msgRcvd":0,"msgSent":0,"tableVersion":0,"outq":0,"inq":0,"peerUptime":"never","peerUptimeMsec":0,"pfxRcd":0,"pfxSnt":0,"state":"Active","peerState":"OK","connectionsEstablished":0,"connectionsDropped":0,"desc":"host-3","idType":"ipv4"}},"failedPeers":1,"displayedPeers":3,"totalPeers":3,"dynamicPeers":0,"bestPath":{"multiPathRelax":"false"}}}';

test('show bgp summary json: every peer with its state, remote AS and description', () => {
  assert.deepEqual(parseBgpSummary(r3Summary).map((s) => [s.peer, s.remoteAs, s.state, s.description]), [
    ['192.0.2.2', 65001, 'Established', 'r2-link1'],
    ['192.0.2.4', 65001, 'Established', 'r2-link2'],
    ['203.0.113.254', 65005, 'Active', 'host-3'],
  ]);
  assert.deepEqual(parseBgpSummary('{}'), [], 'an instance without router bgp prints {}');
});

test('pmacctd config: labtel owns daemonize, pidfile and logfile, and the lab may set the sampling rate', () => {
  const bound = '! c\ndaemonize: true\npidfile: /var/run/x.pid\nplugins: sfprobe\nsampling_rate: 100\nsfprobe_receiver: 203.0.113.2:6343\n';
  const out = pmacctdConfig(bound, { pidFile: '/s/p.pid', logFile: '/s/p.log', samplingRate: 10 });
  assert.equal(pmacctdValue(out, 'daemonize'), 'false');
  assert.equal(pmacctdValue(out, 'pidfile'), '/s/p.pid');
  assert.equal(pmacctdValue(out, 'logfile'), '/s/p.log');
  assert.equal(pmacctdValue(out, 'sampling_rate'), '10');
  assert.equal(out.split('\n').filter((l) => l.startsWith('sampling_rate')).length, 1);
  assert.equal(pmacctdValue(out, 'sfprobe_receiver'), '203.0.113.2:6343');
  assert.equal(pmacctdValue(pmacctdConfig(bound, { pidFile: 'p', logFile: 'l' }), 'sampling_rate'), '100', 'without a label the file decides');
  assert.throws(() => pmacctdConfig(bound, { pidFile: 'p', logFile: 'l', samplingRate: 0 }), /sampling rate/);
});

test('the default traffic profile is the book\'s: host-1 → host-3, UDP 1 KB at 900K/600K/400K, 60 s', () => {
  const lab = new ContainerlabBackend(loadTopology(`${repoRoot}/lab/netgo.clab.yml`));
  const p = loadTrafficProfile(lab);
  assert.equal(p.server, 'host-3');
  assert.equal(p.client, 'host-1');
  assert.equal(p.duration, 60);
  assert.deepEqual(p.flows.map((f) => [f.to, f.rate, f.length]), [['203.0.113.253', '900K', 1024], ['203.0.113.252', '600K', 1024], ['203.0.113.251', '400K', 1024]]);
  assert.throws(() => loadTrafficProfile(lab, 'nope'), /no traffic profile "nope"/);
  assert.throws(() => loadTrafficProfile(lab, '../x'), /not valid/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultLabHost, findLabHost, LabHostsError, loadLabHostsFile, parseLabHosts } from '../../../../src/lab/host/labHosts';
import { labHostsFrom } from '../../../../src/lab/host/labHost';

test('a host entry takes its defaults from the name: ssh destination, working folder, sudo -n, node, netns', () => {
  const [h] = parseLabHosts([{ name: 'lab1' }]);
  assert.deepEqual(h, { name: 'lab1', ssh: 'lab1', sshConfig: undefined, workDir: '.cache/labtel', privilegePrefix: ['sudo', '-n'], node: 'node', backend: 'netns' });
});

test('every key of an entry is read', () => {
  const [h] = parseLabHosts([{ name: 'big', ssh: 'ops@10.0.0.9', sshConfig: '/etc/labs/ssh_config', workDir: '/srv/labtel', privilegePrefix: ['doas'], node: '/opt/node22/bin/node', backend: 'containerlab' }]);
  assert.deepEqual(h, { name: 'big', ssh: 'ops@10.0.0.9', sshConfig: '/etc/labs/ssh_config', workDir: '/srv/labtel', privilegePrefix: ['doas'], node: '/opt/node22/bin/node', backend: 'containerlab' });
  assert.deepEqual(parseLabHosts([{ name: 'a', privilegePrefix: 'sudo  -n -E' }])[0]!.privilegePrefix, ['sudo', '-n', '-E']);
});

test('mistakes in the setting are one error naming the entry and key', () => {
  const cases: [unknown, RegExp][] = [
    [{ name: 'x' }, /^labtel\.labHosts: must be a list/],
    [['lab1'], /^labtel\.labHosts\[0\]: must be an object/],
    [[{}], /^labtel\.labHosts\[0\]\.name: every host needs a name/],
    [[{ name: 'local' }], /labtel\.labHosts\[0\]\.name: "local" is this machine/],
    [[{ name: 'a b' }], /labtel\.labHosts\[0\]\.name: "a b" is not a host name/],
    [[{ name: 'a' }, { name: 'a' }], /labtel\.labHosts\[1\]\.name: "a" is listed twice/],
    [[{ name: 'a', workdir: 'x' }], /labtel\.labHosts\[0\]\.workdir: unknown key/],
    [[{ name: 'a', workDir: '../..' }], /labtel\.labHosts\[0\]\.workDir: "\.\.\/\.\." must be a folder of labtel's own/],
    [[{ name: 'a', workDir: '/' }], /workDir: "\/" must be/],
    [[{ name: 'a', ssh: '-oProxyCommand=x' }], /labtel\.labHosts\[0\]\.ssh: .* is not an SSH destination/],
    [[{ name: 'a', backend: 'docker' }], /labtel\.labHosts\[0\]\.backend: must be "netns" or "containerlab", not "docker"/],
    [[{ name: 'a', node: 42 }], /labtel\.labHosts\[0\]\.node: must be a non-empty string/],
    [[{ name: 'a', privilegePrefix: [1] }], /labtel\.labHosts\[0\]\.privilegePrefix: must be a command/],
  ];
  for (const [value, message] of cases) assert.throws(() => parseLabHosts(value), (e: Error) => e instanceof LabHostsError && message.test(e.message), JSON.stringify(value));
});

test('a key that would hold a secret is refused by name, and says how to log in instead', () => {
  for (const key of ['password', 'passphrase', 'sshPassword', 'token', 'privateKey', 'identity', 'key']) {
    assert.throws(() => parseLabHosts([{ name: 'a', [key]: 'hunter2' }]),
      (e: Error) => e instanceof LabHostsError && e.message.includes(`labtel.labHosts[0].${key}: labtel stores no secrets`) && !e.message.includes('hunter2'), key);
  }
});

test('a host no entry lists is the name handed to ssh with every default', () => {
  const hosts = parseLabHosts([{ name: 'lab1', workDir: '/srv/x' }]);
  assert.equal(findLabHost(hosts, 'lab1').workDir, '/srv/x');
  assert.deepEqual(findLabHost(hosts, 'lab2'), defaultLabHost('lab2'));
  assert.throws(() => findLabHost(hosts, '-x'), LabHostsError);
});

test('a hosts file holds the setting value or a settings object; JSON mistakes say file:line:col', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-hosts-'));
  try {
    const plain = path.join(dir, 'plain.json');
    writeFileSync(plain, JSON.stringify([{ name: 'a' }]));
    assert.equal(loadLabHostsFile(plain)[0]!.name, 'a');
    const settings = path.join(dir, 'settings.json');
    writeFileSync(settings, JSON.stringify({ 'editor.tabSize': 2, 'labtel.labHosts': [{ name: 'b' }] }));
    assert.equal(loadLabHostsFile(settings)[0]!.name, 'b');
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '[\n  { "name": "a", }\n]');
    assert.throws(() => loadLabHostsFile(broken), (e: Error) => e.message.startsWith(`${broken}:2:`) && /not valid JSON/.test(e.message));
    const wrong = path.join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify([{ name: 'a', password: 'x' }]));
    assert.throws(() => loadLabHostsFile(wrong), (e: Error) => e.message.startsWith(`${wrong}: labtel.labHosts[0].password`));
    assert.throws(() => loadLabHostsFile(path.join(dir, 'absent.json')), /absent\.json: cannot read the hosts file \(ENOENT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Lab view\'s hosts are this machine first, then each configured host with its transport', () => {
  const hosts = labHostsFrom(parseLabHosts([{ name: 'lab1' }, { name: 'lab2', ssh: 'ops@lab2' }]), { controlDir: tmpdir() });
  assert.deepEqual(hosts.map((h) => [h.name, h.transport.kind, h.transport.label]), [['local', 'local', 'local'], ['lab1', 'ssh', 'lab1'], ['lab2', 'ssh', 'ops@lab2']]);
  assert.equal(hosts[0]!.isLocal, true);
  assert.equal(hosts[1]!.health, undefined, 'no check until one runs');
});

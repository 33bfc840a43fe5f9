import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ContainerlabBackend } from '../../../src/lab/containerlabBackend';
import { parseContainerlabInspect } from '../../../src/lab/containerlabInspect';
import { execOutput } from '../../../src/lab/execOutput';
import { PrivilegeError, Privileges } from '../../../src/lab/privileges';
import { loadTopology, parseTopology } from '../../../src/lab/topology';
import { repoRoot } from '../../helpers/corpus';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'containerlab');
const fakeClab = path.join(fixtures, 'fake-containerlab.mjs');
const topologyFile = path.join(repoRoot, 'lab', 'netgo.clab.yml');

/** A temp folder with a fake docker that logs its argv and prints it back as JSON. */
function withFakes(fn: (dir: string, log: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'labtel-clab-'));
    const log = path.join(dir, 'argv.log');
    writeFileSync(path.join(dir, 'docker'), `#!/usr/bin/env node
require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(['docker', ...process.argv.slice(2)]) + '\\n');
process.stdout.write(JSON.stringify(process.argv.slice(2)));
`);
    chmodSync(path.join(dir, 'docker'), 0o755);
    const saved = process.env.FAKE_CLAB_LOG;
    process.env.FAKE_CLAB_LOG = log;
    try { await fn(dir, log); } finally {
      if (saved === undefined) delete process.env.FAKE_CLAB_LOG; else process.env.FAKE_CLAB_LOG = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const logged = (log: string): string[][] => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);

function backend(dir: string): ContainerlabBackend {
  return new ContainerlabBackend(loadTopology(topologyFile), { privileges: new Privileges([], true), containerlab: fakeClab, docker: path.join(dir, 'docker') });
}

test('containerlab deploy runs exactly "containerlab deploy -t FILE --reconfigure", then starts the sFlow agent in r3', withFakes(async (dir, log) => {
  await backend(dir).deploy();
  assert.deepEqual(logged(log), [
    ['deploy', '-t', topologyFile, '--reconfigure'],
    ['docker', 'exec', '-d', 'clab-netgo-r3', 'pmacctd', '-f', '/etc/pmacct/pmacctd.conf'],
  ]);
}));

test('containerlab destroy runs exactly "containerlab destroy -t FILE --cleanup"', withFakes(async (dir, log) => {
  await backend(dir).destroy();
  assert.deepEqual(logged(log), [['destroy', '-t', topologyFile, '--cleanup']]);
}));

test('containerlab inspect: "inspect -t FILE --format json", grouped by lab name, read into node states', withFakes(async (dir, log) => {
  const info = await backend(dir).inspect();
  assert.deepEqual(logged(log), [['inspect', '-t', topologyFile, '--format', 'json']]);
  assert.equal(info.backend, 'containerlab');
  assert.equal(info.deployed, true);
  assert.deepEqual(info.nodes.map((n) => [n.name, n.state, n.namespace, n.kind]), [
    ['r1', 'running', 'clab-netgo-r1', 'linux'],
    ['r2', 'running', 'clab-netgo-r2', 'linux'],
    ['r3', 'degraded', 'clab-netgo-r3', 'linux'],
    ['host-1', 'running', 'clab-netgo-host-1', 'linux'],
    ['host-2', 'running', 'clab-netgo-host-2', 'linux'],
    ['host-3', 'running', 'clab-netgo-host-3', 'linux'],
  ]);
  assert.deepEqual(info.nodes.find((n) => n.name === 'r3')!.roles, ['frr', 'sflow']);
}));

test('containerlab inspect of a lab that is not deployed: every node absent', withFakes(async (dir) => {
  const saved = process.env.FAKE_CLAB_INSPECT;
  process.env.FAKE_CLAB_INSPECT = 'inspect-pre068.json'; // another lab's containers only
  try {
    const info = await backend(dir).inspect();
    assert.equal(info.deployed, false);
    assert.ok(info.nodes.every((n) => n.state === 'absent'));
  } finally {
    if (saved === undefined) delete process.env.FAKE_CLAB_INSPECT; else process.env.FAKE_CLAB_INSPECT = saved;
  }
}));

test('inspect JSON of every containerlab generation is read: grouped (0.68+), flat list, {"containers": …}', () => {
  const grouped = parseContainerlabInspect(readFileSync(path.join(fixtures, 'inspect-netgo.json'), 'utf8'), 'netgo');
  assert.equal(grouped.length, 6);
  assert.deepEqual(Object.keys(grouped[0]!).sort(), ['absLabPath', 'container_id', 'group', 'image', 'ipv4_address', 'ipv6_address', 'kind', 'labPath', 'lab_name', 'name', 'owner', 'state', 'status']);
  const flat = readFileSync(path.join(fixtures, 'inspect-pre068.json'), 'utf8');
  assert.deepEqual(parseContainerlabInspect(flat, 'srlceos01').map((c) => c.name), ['clab-srlceos01-srl', 'clab-srlceos01-ceos']);
  assert.deepEqual(parseContainerlabInspect(`{"containers": ${flat}}`, 'srlceos01').length, 2);
  assert.deepEqual(parseContainerlabInspect(flat, 'netgo'), [], "another lab's containers are not ours");
  assert.deepEqual(parseContainerlabInspect('', 'netgo'), []);
});

test('containerlab exec: vtysh runs in the container (docker exec), node names are checked first', withFakes(async (dir, log) => {
  const b = backend(dir);
  const r = await execOutput(b, 'r1', ['vtysh', '-c', 'show bgp summary json']);
  assert.equal(r.code, 0);
  assert.deepEqual(logged(log), [['docker', 'exec', '-i', 'clab-netgo-r1', 'vtysh', '-c', 'show bgp summary json']]);
  assert.throws(() => b.exec('r9', ['true']), /no node "r9" in lab netgo/);
  // a lab of another name that is certainly not deployed: exec refuses before starting anything
  const text = readFileSync(topologyFile, 'utf8').replace(/^name: netgo$/m, 'name: ltnotdeployed');
  const other = new ContainerlabBackend(parseTopology(text, topologyFile, path.dirname(topologyFile)), { privileges: new Privileges([], true), containerlab: fakeClab });
  assert.throws(() => other.exec('host-1', ['true']), /lab ltnotdeployed is not deployed \(no namespace clab-ltnotdeployed-host-1\)/);
}));

test('privileges: root runs argv as is, a user goes through the prefix, a refused prefix is one clear error', () => {
  assert.deepEqual(new Privileges(['sudo', '-n'], true).wrap(['ip', 'netns', 'list']), ['ip', 'netns', 'list']);
  assert.deepEqual(new Privileges(['sudo', '-n'], false).wrap(['ip', 'netns', 'list']), ['sudo', '-n', 'ip', 'netns', 'list']);
  const dir = mkdtempSync(path.join(tmpdir(), 'labtel-sudo-'));
  try {
    const refuse = path.join(dir, 'sudo');
    writeFileSync(refuse, '#!/bin/sh\necho "sudo: a password is required" >&2\nexit 1\n');
    chmodSync(refuse, 0o755);
    assert.throws(() => new Privileges([refuse, '-n'], false).check(), (err: unknown) => {
      assert.ok(err instanceof PrivilegeError);
      assert.match(err.message, /refused \(sudo: a password is required\)/);
      assert.match(err.message, /Run labtel as root, or allow your user/);
      return true;
    });
    assert.doesNotThrow(() => new Privileges(['env'], false).check(), 'a prefix that works passes');
    assert.throws(() => new Privileges([], false).check(), /set a privilege prefix/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

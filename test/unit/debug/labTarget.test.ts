// Where a debug configuration's lab is: this machine, or a lab host named by "labHost" and described by
// "labHosts" (the labtel.labHosts setting, which the extension passes) or LABTEL_HOSTS_FILE (standalone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labHostConfigOf, launchTarget } from '../../../src/debug/runtime/labTarget';
import { planLaunch } from '../../../src/debug/runtime/launchPlan';
import { loadTopology } from '../../../src/lab/topology';
import { repoRoot } from '../../helpers/corpus';
import { agentBundle } from '../../helpers/agentProcess';

const entries = [{ name: 'labhost', ssh: 'root@198.51.100.50', workDir: '/srv/labtel', node: '/opt/node/bin/node' }];

const cases: Array<{ what: string; args: Parameters<typeof labHostConfigOf>[0]; expect: Record<string, unknown> | undefined }> = [
  { what: 'no labHost: this machine', args: {}, expect: undefined },
  { what: '"local": this machine', args: { labHost: 'local', labHosts: entries }, expect: undefined },
  { what: 'a host of labHosts: its entry', args: { labHost: 'labhost', labHosts: entries }, expect: { name: 'labhost', ssh: 'root@198.51.100.50', workDir: '/srv/labtel', node: '/opt/node/bin/node', backend: 'netns' } },
  { what: 'a host no entry lists: ssh to its name, every default', args: { labHost: 'lab9', labHosts: entries }, expect: { name: 'lab9', ssh: 'lab9', workDir: '.cache/labtel', node: 'node', backend: 'netns' } },
];
for (const c of cases) {
  test(`labHost: ${c.what}`, () => {
    const got = labHostConfigOf(c.args);
    if (c.expect === undefined) { assert.equal(got, undefined); return; }
    assert.deepEqual(Object.fromEntries(Object.keys(c.expect).map((k) => [k, (got as unknown as Record<string, unknown>)[k]])), c.expect);
  });
}

const errors: Array<{ what: string; args: Parameters<typeof labHostConfigOf>[0]; message: RegExp }> = [
  { what: 'an empty name', args: { labHost: '' }, message: /^"labHost" must name a lab host/ },
  { what: 'a secret in the settings', args: { labHost: 'labhost', labHosts: [{ name: 'labhost', password: 'x' }] }, message: /^labtel\.labHosts\[0\]\.password: labtel stores no secrets/ },
  { what: 'a name that is not a host name', args: { labHost: 'a b' }, message: /"a b" is not a host name/ },
];
for (const c of errors) {
  test(`labHost: ${c.what} is one clear error`, () => {
    assert.throws(() => labHostConfigOf(c.args), (err: Error) => { assert.match(err.message, c.message); return true; });
  });
}

test('without labHosts the standalone adapter reads LABTEL_HOSTS_FILE, as the CLI does', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'labtel-hosts-')), 'hosts.json');
  writeFileSync(file, JSON.stringify({ 'labtel.labHosts': [{ name: 'labhost', ssh: 'lab.example', workDir: '/w' }] }));
  const saved = process.env.LABTEL_HOSTS_FILE;
  process.env.LABTEL_HOSTS_FILE = file;
  try {
    assert.equal(labHostConfigOf({ labHost: 'labhost' })?.ssh, 'lab.example');
  } finally {
    if (saved === undefined) delete process.env.LABTEL_HOSTS_FILE; else process.env.LABTEL_HOSTS_FILE = saved;
  }
});

test('on a lab host the agent must be one of labtel\'s (a local script path is refused before any connection)', async () => {
  agentBundle('top-talkers');
  const args = { agent: 'dist/agents/top-talkers.js', node: 'host-2', labHost: 'labhost', labHosts: entries, cwd: repoRoot };
  const plan = planLaunch(args, repoRoot);
  await assert.rejects(launchTarget(args, plan, loadTopology(plan.topologyFile)), /^LaunchConfigError: on lab host labhost the agent is capture, top-talkers or bgp-ping/);
});

test('on this machine the launch is the plan as given, with no path mapping', async () => {
  agentBundle('top-talkers');
  const args = { agent: 'top-talkers', node: 'host-2', cwd: repoRoot, env: { A: '1' } };
  const plan = planLaunch(args, repoRoot);
  const target = await launchTarget(args, plan, loadTopology(plan.topologyFile));
  assert.equal(target.plan, plan);
  assert.deepEqual(target.paths, []);
  assert.equal(target.hostName, 'local');
  assert.deepEqual(plan.argv, ['node', '--inspect-brk=127.0.0.1:0', '--enable-source-maps', path.join(repoRoot, 'dist', 'agents', 'top-talkers.js')]);
});

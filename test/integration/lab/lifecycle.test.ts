// Deploy/destroy edge cases in real namespaces (issue 5): two labs side by side, down after a deploy
// killed midway, and bad topology files that must create nothing. Lab names are lt<random> so that
// nothing here meets the netgo lab or another helper's labs.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { bgpSessions, waitForRouterSessions } from '../../../src/lab/bgpStatus';
import { defaultStateRoot, labStateDir, readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { isRunning } from '../../../src/lab/processes';
import { loadTopology } from '../../../src/lab/topology';
import { repoRoot } from '../../helpers/corpus';
import { requirePrereqs } from '../../helpers/tools';
import { badTopologies } from '../../unit/lab/badTopologies';
import { namespaceInodes, takeSnapshot } from './hostSnapshot';

const stateRoot = defaultStateRoot();
const work = mkdtempSync(path.join(tmpdir(), 'labtel-lifecycle-'));
chmodSync(work, 0o755); // the unprivileged-user test reads its topology file from here
const tag = Math.random().toString(36).slice(2, 7);
const created: NetnsBackend[] = [];

/** lab/netgo.clab.yml under another lab name, its binds pointing at the repo's lab/netgo configs. */
function netgoCopy(name: string): NetnsBackend {
  const text = readFileSync(path.join(repoRoot, 'lab', 'netgo.clab.yml'), 'utf8')
    .replace(/^name: netgo$/m, `name: ${name}`)
    .replaceAll('- netgo/', `- ${path.join(repoRoot, 'lab', 'netgo')}/`);
  const file = path.join(work, `${name}.clab.yml`);
  writeFileSync(file, text);
  const lab = new NetnsBackend(loadTopology(file));
  created.push(lab);
  return lab;
}

const tools = ['ip', 'vtysh', 'pmacctd'];

describe('lab lifecycle in network namespaces', () => {
  after(async () => {
    for (const lab of created) if (existsSync(lab.stateDir)) await lab.destroy().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  });

  test('a second lab with another name runs beside the first without collisions; destroying one leaves the other', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    const a = netgoCopy(`lt${tag}a`);
    const b = netgoCopy(`lt${tag}b`);
    const beforeA = takeSnapshot(a.topology.name, stateRoot);
    const beforeB = takeSnapshot(b.topology.name, stateRoot);
    await Promise.all([a.deploy(), b.deploy()]);
    await Promise.all([waitForRouterSessions(a, 30_000), waitForRouterSessions(b, 30_000)]);
    const inodesA = namespaceInodes(a.topology.name);
    const infoA = await a.inspect();
    const infoB = await b.inspect();
    assert.ok(infoA.nodes.every((n) => n.state === 'running') && infoB.nodes.every((n) => n.state === 'running'));
    assert.deepEqual(infoA.nodes.map((n) => n.interfaces), infoB.nodes.map((n) => n.interfaces), 'the same addresses, each lab in its own namespaces');
    assert.notDeepEqual(infoA.nodes.map((n) => n.namespace), infoB.nodes.map((n) => n.namespace));

    await a.destroy();
    assert.deepEqual(takeSnapshot(a.topology.name, stateRoot, inodesA), beforeA);
    const afterB = await b.inspect();
    assert.ok(afterB.nodes.every((n) => n.state === 'running'), 'the other lab keeps running');
    const sessionsB = await bgpSessions(b);
    assert.ok(sessionsB.filter((s) => s.betweenRouters).every((s) => s.state === 'Established'), 'and keeps its sessions');
    const inodesB = namespaceInodes(b.topology.name);
    await b.destroy();
    assert.deepEqual(takeSnapshot(b.topology.name, stateRoot, inodesB), beforeB);
  });

  test('lab up on a changed topology replaces the running lab; on an unchanged one keeps it', async (t) => {
    if (!requirePrereqs(t, { root: true, tools })) return;
    const lab = netgoCopy(`lt${tag}c`);
    const before = takeSnapshot(lab.topology.name, stateRoot);
    assert.equal((await lab.deploy()).created, true);
    const first = readLabState(lab.stateDir)!.processes.map((p) => ({ pid: p.pid!, startTime: p.startTime! }));
    assert.equal((await lab.deploy()).created, false, 'unchanged: kept');
    writeFileSync(lab.topology.file, `${readFileSync(lab.topology.file, 'utf8')}# changed\n`);
    const changed = new NetnsBackend(loadTopology(lab.topology.file));
    assert.equal((await changed.deploy()).created, true, 'changed: redeployed');
    const second = readLabState(lab.stateDir)!.processes;
    assert.ok(first.every((p) => !isRunning(p)), 'the old daemons are gone');
    assert.ok(second.every((p) => isRunning({ pid: p.pid!, startTime: p.startTime! })));
    const inodes = namespaceInodes(lab.topology.name);
    await changed.destroy();
    assert.deepEqual(takeSnapshot(lab.topology.name, stateRoot, inodes), before);
  });

  const killPoints = [
    { when: 'as soon as the namespaces are recorded', ready: (s: ReturnType<typeof readLabState>) => s !== undefined },
    { when: 'after the links, with daemons starting', ready: (s: ReturnType<typeof readLabState>) => (s?.processes.length ?? 0) >= 3 },
  ];
  for (const [i, point] of killPoints.entries()) {
    test(`labtel lab down after a deploy SIGKILLed ${point.when} leaves the host as before`, async (t) => {
      if (!requirePrereqs(t, { root: true, tools })) return;
      const lab = netgoCopy(`lt${tag}k${i}`);
      const name = lab.topology.name;
      const before = takeSnapshot(name, stateRoot);
      const deploying = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'main.ts'), 'lab', 'up', '--no-wait', '-t', lab.topology.file],
        { cwd: repoRoot, stdio: 'ignore' });
      const exited = new Promise((r) => deploying.once('exit', r));
      const deadline = Date.now() + 20_000;
      while (!point.ready(readLabState(labStateDir(name, stateRoot)))) {
        assert.ok(Date.now() < deadline && deploying.exitCode === null, 'the deploy ended before the kill point');
        await new Promise((r) => setTimeout(r, 2));
      }
      deploying.kill('SIGKILL');
      await exited;
      await new Promise((r) => setTimeout(r, 200)); // let the ip commands it had started finish
      const inodes = namespaceInodes(name);
      const leftover = takeSnapshot(name, stateRoot, inodes);
      assert.ok(leftover.stateFiles.length > 0, 'the killed deploy left a state behind');
      if (i === 1) assert.ok(leftover.processes.length > 0 && leftover.netns.length === 6, 'and namespaces and daemons');
      const pids = (readLabState(labStateDir(name, stateRoot))?.processes ?? []).flatMap((p) => (p.pid === undefined ? [] : [String(p.pid)]));
      const down = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'main.ts'), 'lab', 'down', '-t', lab.topology.file], { cwd: repoRoot, stdio: 'inherit' });
      assert.equal(await new Promise((r) => down.once('exit', r)), 0);
      assert.deepEqual(takeSnapshot(name, stateRoot, inodes), before);
      // FRR's own crash-log folders of the lab's daemons (/var/tmp/frr/<daemon>.<pid>) are gone too.
      const crashDirs = existsSync('/var/tmp/frr') ? readdirSync('/var/tmp/frr').filter((n) => pids.includes(n.slice(n.lastIndexOf('.') + 1))) : [];
      assert.deepEqual(crashDirs, []);
    });
  }

  test('as a user whose privilege prefix is refused, labtel lab up stops with one clear error and creates nothing', async (t) => {
    if (!requirePrereqs(t, { root: true, tools: ['ip', 'runuser'] })) return;
    const lab = netgoCopy(`lt${tag}u`);
    const before = takeSnapshot(lab.topology.name, stateRoot);
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: tmpdir() };
    delete env.LABTEL_PRIVILEGE_PREFIX;
    const child = spawn('runuser', ['-u', 'nobody', '--', process.execPath, '--import', 'tsx', path.join(repoRoot, 'src', 'cli', 'main.ts'), 'lab', 'up', '-t', lab.topology.file],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await new Promise((r) => child.once('exit', r));
    assert.equal(code, 1, stderr);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /labtel needs root for network namespaces and FRR, and "sudo -n" refused \(.+\)\. Run labtel as root, or allow your user/);
    assert.deepEqual(takeSnapshot(lab.topology.name, stateRoot), before);
  });

  test(`bad topology files (${badTopologies.length + 1} kinds of mistakes): labtel lab up gives one error naming file:line:column and creates nothing`, async (t) => {
    if (!requirePrereqs(t, { root: true, tools: ['ip'] })) return;
    const cases = [...badTopologies, {
      mistake: 'a kind the netns backend cannot build',
      yaml: 'name: bad\ntopology:\n  nodes:\n    srl:\n      kind: nokia_srlinux\n',
      line: 4, column: 5, message: /kind "nokia_srlinux", which the netns backend cannot build/,
    }];
    for (const [i, bad] of cases.entries()) {
      const name = `lt${tag}x`;
      const file = path.join(work, `bad-${i}.clab.yml`);
      writeFileSync(file, bad.yaml.replace(/^name: bad$/m, `name: ${name}`));
      const before = takeSnapshot(name, stateRoot);
      const errors: string[] = [];
      const error = console.error;
      console.error = (...a: unknown[]) => { errors.push(a.join(' ')); };
      let code: number;
      try { code = await main(['lab', 'up', '-t', file]); } finally { console.error = error; }
      assert.equal(code, 1, bad.mistake);
      assert.equal(errors.length, 1, `${bad.mistake}: one error`);
      assert.ok(errors[0]!.includes(`${file}:${bad.line}:${bad.column}: `), `${bad.mistake}: ${errors[0]}`);
      assert.match(errors[0]!, bad.message);
      assert.deepEqual(takeSnapshot(name, stateRoot), before, `${bad.mistake}: nothing created`);
      assert.ok(!existsSync(labStateDir(name, stateRoot)));
    }
  });
});

// The README's main command (`npm run demo` → `labtel demo`), run as a user runs it: the embedded lab
// deployed, traffic, top-talkers and bgp-ping in their nodes, the live screen, then the lab destroyed.
// Issue 7's acceptance: the screen shows the RTT per responder beside the top-talker table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { loadTopology } from '../../../src/lab/topology';
import { agentBundle } from '../../helpers/agentProcess';
import { repoRoot } from '../../helpers/corpus';

test('labtel demo: the top-talker table and the BGP RTT from both responders on one screen, the lab destroyed after', { timeout: 240_000 }, async (t) => {
  assert.equal(process.getuid?.(), 0, 'this test runs as root (namespaces, FRR)');
  const lab = new NetnsBackend(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
  assert.equal(readLabState(lab.stateDir), undefined, `a netgo lab is already up (${lab.stateDir}): "labtel lab down" it first`);
  agentBundle('bgp-ping'); // builds dist/ (the CLI and the agents) when it is not built yet
  const demo = spawn(process.execPath, [path.join(repoRoot, 'bin', 'labtel.js'), 'demo', '--duration', '45'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  demo.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  demo.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const code = await new Promise<number | null>((resolve) => demo.on('exit', resolve));
  assert.equal(code, 0, `exit ${code}\n${err}\n${out.slice(-3000)}`);

  // Off a terminal each second's screen is printed in turn; the last one is drawn when the time is up.
  const screens = out.split('labtel demo — lab ');
  const last = screens[screens.length - 1]!;
  t.diagnostic(`last screen:\n${last}`);
  assert.match(last, /^netgo \(netns\), \d+ nodes — \d+ s of 45/);
  const lines = last.split('\n');
  const talkersAt = lines.findIndex((l) => l.startsWith('top talkers on host-2'));
  const rttAt = lines.findIndex((l) => l.startsWith('BGP RTT from host-2'));
  assert.ok(talkersAt > 0 && rttAt > talkersAt, 'the RTT comes below the top-talker table');
  // At least one flow of the traffic profile ranked, between documentation addresses, with a rate.
  const flows = lines.slice(talkersAt + 2, rttAt).filter((l) => /^\s*\d+\s/.test(l));
  assert.ok(flows.length >= 1, 'a ranked flow');
  assert.match(flows[0]!, /^\s*1\s+(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+(:\d+)?\s+(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+(:\d+)?\s+\S+\s+[\d.]+ [kMG]?bit\/s/);
  const probes = Number(/session to r2 Established, (\d+) probes/.exec(lines[rttAt]!)?.[1]);
  assert.ok(probes >= 5, `probes sent: ${lines[rttAt]}`);
  for (const responder of ['host-1', 'host-3']) {
    const row = lines.find((l) => l.startsWith(responder));
    assert.ok(row, `a row for ${responder}`);
    const m = /last\s+([\d.]+) ms .* answered (\d+)\s+lost (\d+)\s+held (\d+) µs/.exec(row);
    assert.ok(m, `${responder}'s row has an RTT, counts and the responder's own time: ${row}`);
    assert.ok(Number(m[1]) > 0 && Number(m[1]) < 10_000, `${responder} RTT ${m[1]} ms`);
    assert.ok(Number(m[2]) >= 3, `${responder} answered ${m[2]}`);
    assert.ok(Number(m[4]) > 0 && Number(m[4]) < 100_000, `${responder} held ${m[4]} µs`);
  }
  assert.match(out, /labtel demo: netgo destroyed/);
  assert.equal(readLabState(lab.stateDir), undefined, 'nothing of the lab is left');
});

// A lab without BGP routers (two hosts on one link): `labtel lab up` deploys it and returns at once, with
// nothing to wait for, where it used to wait 30 s for router sessions that cannot exist and exit 1.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { requirePrereqs } from '../../helpers/tools';

const name = `lt2h${process.pid.toString(36)}`;
const work = mkdtempSync(path.join(tmpdir(), 'labtel-no-routers-'));
const file = path.join(work, `${name}.clab.yml`);
writeFileSync(file, [
  `name: ${name}`,
  'topology:',
  '  nodes:',
  '    a:',
  '      kind: linux',
  '      exec:',
  '        - ip addr add 192.0.2.1/24 dev eth1',
  '    b:',
  '      kind: linux',
  '      exec:',
  '        - ip addr add 192.0.2.2/24 dev eth1',
  '  links:',
  '    - endpoints: ["a:eth1", "b:eth1"]',
  '',
].join('\n'));
/** Far below the 30 s `lab up` waits for router sessions by default. */
const QUICK_MS = 5000;

async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    return { code: await main(argv), out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

after(async () => {
  await cli(['lab', 'down', '-t', file]).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

test('lab up of two hosts and no router returns at once, exit 0, saying there is no BGP session to wait for', async (t) => {
  if (!requirePrereqs(t, { root: true })) return;
  const started = performance.now();
  const up = await cli(['lab', 'up', '-t', file]);
  const ms = performance.now() - started;
  assert.equal(up.code, 0, up.out);
  assert.ok(ms < QUICK_MS, `lab up took ${ms.toFixed(0)} ms`);
  assert.match(up.out, /no BGP sessions between routers to wait for/);
  assert.ok(existsSync(`/run/netns/clab-${name}-a`) && existsSync(`/run/netns/clab-${name}-b`));
  const down = await cli(['lab', 'down', '-t', file]);
  assert.equal(down.code, 0);
  assert.ok(!existsSync(`/run/netns/clab-${name}-a`), 'namespace left after lab down');
});

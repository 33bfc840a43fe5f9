// A launch that cannot work ends with one clear error and no hang (issue 14): a node the topology does
// not have, a lab that is not deployed, an agent script that is not there. The lab must be down: run
// it holding the lab lock, flock /tmp/labtel-lab.lock node --import tsx --test <this file>.
// (An agent that fails at start-up in a deployed lab: top-talkers-debug.test.ts.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readLabState } from '../../../src/lab/labState';
import { NetnsBackend } from '../../../src/lab/netnsBackend';
import { loadTopology } from '../../../src/lab/topology';
import type { LabAgentLaunchArguments } from '../../../src/shared/debugLaunch';
import { repoRoot } from '../../helpers/corpus';
import { launchWithBreakpoints, startDebugClient } from '../../helpers/debugClient';

const lab = new NetnsBackend(loadTopology(path.join(repoRoot, 'lab', 'netgo.clab.yml')));
/** Well under the adapter's own waits: an error here is said at once, not after a timeout. */
const PROMPT_MS = 3_000;

const cases: Array<{ what: string; args: LabAgentLaunchArguments; message: RegExp }> = [
  { what: 'a node the topology does not have', args: { agent: 'top-talkers', node: 'host-9' }, message: /^no node "host-9" in lab netgo \(.*netgo\.clab\.yml\); its nodes are: r1, r2, r3, host-1, host-2, host-3$/ },
  { what: 'a lab that is down', args: { agent: 'top-talkers', node: 'host-2' }, message: /^lab netgo is not deployed \(no namespace clab-netgo-host-2\): run "labtel lab up" first$/ },
  { what: 'an agent script that is not there', args: { agent: 'dist/agents/no-such-agent.js', node: 'host-2' }, message: /^no script .*dist\/agents\/no-such-agent\.js \("agent" in the launch configuration\)$/ },
  { what: 'a topology file that is not there', args: { agent: 'capture', node: 'host-2', topology: 'lab/none.clab.yml' }, message: /^no topology file .*lab\/none\.clab\.yml/ },
];

describe('a launch that cannot work', () => {
  for (const c of cases) {
    test(`${c.what}: one clear error, the session ends`, async () => {
      assert.equal(readLabState(lab.stateDir), undefined, 'these cases need the netgo lab down (hold /tmp/labtel-lab.lock)');
      const client = await startDebugClient(PROMPT_MS);
      try {
        const started = Date.now();
        const terminated = client.waitForEvent('terminated', PROMPT_MS);
        await assert.rejects(launchWithBreakpoints(client, c.args), (err: Error) => { assert.match(err.message, c.message); return true; });
        await terminated;
        assert.ok(Date.now() - started < PROMPT_MS);
      } finally {
        await client.stop().catch(() => undefined);
      }
    });
  }
});

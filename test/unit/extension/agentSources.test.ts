import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAgentSource } from '../../../src/extension/agents/agentSources';

const ext = '/home/u/labtel';
const cases: Array<[string, boolean, string]> = [
  ['/home/u/labtel/src/flows/topTalkers.ts', true, 'a flows source the agents are built from'],
  ['/home/u/labtel/src/agents/capture.ts', true, 'an agent entry point'],
  ['/home/u/labtel/src/shared/events.ts', true, 'the event schema'],
  ['/home/u/labtel/src/extension/labtelContext.ts', false, 'the editor side (not in any agent bundle)'],
  ['/home/u/labtel/test/unit/x.test.ts', false, 'a test'],
  ['/home/u/labtel/src/flows/README.md', false, 'not TypeScript'],
  ['/home/u/other/src/flows/topTalkers.ts', false, 'another project\'s src'],
  ['/home/u/labtel/srcx/flows/a.ts', false, 'a folder whose name starts like src'],
];
for (const [file, want, what] of cases) {
  test(`restart on save: ${what} ${want ? 'rebuilds' : 'does not rebuild'} the agents`, () => assert.equal(isAgentSource(ext, file), want));
}

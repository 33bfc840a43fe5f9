// An agent started from VS Code's extension host (a forked child: NODE_CHANNEL_FD=3) must not inherit the
// IPC channel: its node would open fd 3 as a channel and abort. A real node, a real exec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Backend } from '../../../../src/lab/backend';
import { RunningAgent } from '../../../../src/agents/client/runningAgent';
import type { AgentEvent } from '../../../../src/shared/events';

/** A backend whose nodes are this machine: exec runs the argv as it is. */
const here = { exec: (_node: string, argv: readonly string[], options: Parameters<Backend['exec']>[2] = {}) => spawn(argv[0]!, argv.slice(1), { stdio: options.stdio, env: options.env }) } as unknown as Backend;

const line = JSON.stringify({ v: 1, agent: 'capture', ts: 1, type: 'log', level: 'info', message: 'started' });

test('an agent started with the extension host\'s NODE_CHANNEL_FD in its environment runs and reports', async () => {
  const events: AgentEvent[] = [];
  const logs: string[] = [];
  const agent = new RunningAgent(here, 'host-2', 'capture', ['--format', 'json'], {
    program: [process.execPath, '-e', `process.stdout.write(${JSON.stringify(`${line}\n`)}); setTimeout(() => {}, 50)`, '--'],
    env: { ...process.env, NODE_CHANNEL_FD: '3', NODE_CHANNEL_SERIALIZATION_MODE: 'json' },
    onEvent: (e) => events.push(e),
    onLog: (l) => logs.push(l),
  });
  const exit = await agent.exited;
  assert.deepEqual(exit, { code: 0, signal: null }, logs.join('\n'));
  assert.equal(events.length, 1);
});

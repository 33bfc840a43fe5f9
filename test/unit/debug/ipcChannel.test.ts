// A node started by the inline adapter inherits the extension host's NODE_CHANNEL_FD=3 (VS Code forks
// the extension host with an IPC channel). Such a node opens fd 3 as its channel and aborts; run through
// withoutIpcChannel it does not. Both halves with a real node and a real env(1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { withoutIpcChannel } from '../../../src/lab/ipcChannel';

const inherited = { ...process.env, NODE_CHANNEL_FD: '3', NODE_CHANNEL_SERIALIZATION_MODE: 'json' };
const script = [process.execPath, '-e', 'setTimeout(() => console.log("done"), 50)'];

const cases = [
  { what: 'as the extension host\'s child inherits it, node aborts on fd 3', argv: script, ok: false },
  { what: 'through withoutIpcChannel, node runs to its end', argv: withoutIpcChannel(script), ok: true },
];
for (const c of cases) {
  test(c.what, () => {
    const r = spawnSync(c.argv[0]!, c.argv.slice(1), { env: inherited, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    assert.equal(r.status === 0 && r.stdout === 'done\n', c.ok, `status ${r.status} signal ${r.signal} stdout ${JSON.stringify(r.stdout)}`);
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';
import { hostConfig, takeHostOptions } from '../../src/cli/hostOption';

test('--host, --hosts-file and --ssh-config are taken off the front, in either form', () => {
  const r = takeHostOptions(['--host', 'lab1', '--ssh-config=/tmp/cfg', 'lab', 'up', '--host', 'not-mine']);
  assert.equal(r.options.host, 'lab1');
  assert.equal(r.options.sshConfig, '/tmp/cfg');
  assert.deepEqual(r.rest, ['lab', 'up', '--host', 'not-mine'], 'options after the command belong to it');
  assert.throws(() => takeHostOptions(['--host']), /--host needs a value/);
});

test('a host no file lists is the name for ssh with the defaults; --ssh-config overrides the entry\'s', () => {
  const c = hostConfig({ host: 'lab9', hostsFile: undefined, sshConfig: '/tmp/cfg' }, 'lab9');
  assert.equal(c.ssh, 'lab9');
  assert.equal(c.sshConfig, '/tmp/cfg');
  assert.equal(c.workDir, '.cache/labtel');
});

test('--host with a command that runs only here is a usage error, before anything connects', async () => {
  const errors: string[] = [];
  const original = console.error;
  console.error = (m: string) => { errors.push(m); };
  try {
    assert.equal(await main(['--host', 'lab1', 'decode', 'x.pcap']), 2);
    assert.equal(await main(['--host']), 2);
  } finally {
    console.error = original;
  }
  assert.match(errors[0]!, /--host works with lab, traffic, agent, host; "decode" runs on this machine/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sshControlArgv, sshExecArgv, sshMasterArgv, SshArgumentError } from '../../../../src/lab/host/sshArgs';

const target = { destination: 'labhost', configFile: '/home/u/.ssh/labs', controlPath: '/run/user/1000/labtel-ssh-1000/abcd1234-%C' };

/** The -o options of an argv, as a map. */
function options(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  argv.forEach((a, i) => { if (a === '-o') { const [k, v] = argv[i + 1]!.split('='); out.set(k!, v!); } });
  return out;
}

test('every ssh command line uses the config file, batch mode, the control socket and no forwarding', () => {
  for (const argv of [sshMasterArgv(target, '/tmp/log'), sshExecArgv(target, 'true'), sshControlArgv(target, 'check'), sshControlArgv(target, 'exit')]) {
    assert.equal(argv[0], 'ssh');
    assert.deepEqual(argv.slice(1, 3), ['-F', '/home/u/.ssh/labs']);
    const o = options(argv);
    assert.equal(o.get('BatchMode'), 'yes');
    assert.equal(o.get('ControlPath'), target.controlPath);
    assert.equal(o.get('ForwardAgent'), 'no');
    assert.equal(o.get('ForwardX11'), 'no');
    assert.equal(o.get('ClearAllForwardings'), 'yes');
    assert.equal(o.has('StrictHostKeyChecking'), false, 'host key checking is the user\'s configuration, never relaxed');
    assert.equal(o.has('UserKnownHostsFile'), false);
    // The destination comes right after "--", so nothing can read it as an option.
    assert.equal(argv[argv.indexOf('--') + 1], 'labhost');
  }
});

test('the master authenticates, goes to the background and persists; clients never become masters', () => {
  const master = sshMasterArgv(target, '/tmp/m.log', 600);
  const o = options(master);
  assert.equal(o.get('ControlMaster'), 'yes');
  assert.equal(o.get('ControlPersist'), '600');
  assert.ok(master.includes('-N') && master.includes('-f'));
  assert.equal(master[master.indexOf('-E') + 1], '/tmp/m.log');
  assert.equal(master.at(-1), 'labhost', 'no remote command');

  const exec = sshExecArgv(target, "printf '%s' 'a b'");
  assert.equal(options(exec).get('ControlMaster'), 'no');
  assert.ok(exec.includes('-T'), 'no terminal: stdio stays byte-exact');
  assert.deepEqual(exec.slice(-3), ['--', 'labhost', "printf '%s' 'a b'"], 'the remote command is one word after the destination');

  assert.deepEqual(sshControlArgv(target, 'exit').slice(-4), ['-O', 'exit', '--', 'labhost']);
});

test('without a config file there is no -F; ~/.ssh/config applies as ssh reads it', () => {
  const argv = sshExecArgv({ destination: 'lab1', controlPath: '/tmp/c/%C' }, 'true');
  assert.equal(argv.includes('-F'), false);
});

test('a destination that ssh would read as an option, or with spaces, is refused', () => {
  for (const destination of ['-oProxyCommand=touch /tmp/x', '', 'two words', 'a\0b']) {
    assert.throws(() => sshExecArgv({ destination, controlPath: '/tmp/%C' }, 'true'), SshArgumentError, JSON.stringify(destination));
  }
});

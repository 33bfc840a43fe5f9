import { spawn, type ChildProcess } from 'node:child_process';
import { UsageError, type CliCommand } from '../command';
import { AGENT_NAMES, isAgentName } from '../../shared/agents';
import { agentBundlePath } from '../../agents/client/agentBundle';
import { HostBackend } from '../../lab/host/hostBackend';
import { selectedHost } from '../hostOption';
import { openLab, parseLabOptions } from './lab';

const usage = `usage: labtel agent capture|top-talkers|bgp-ping [--node NODE [-t FILE]] [AGENT OPTIONS…]

  Runs an agent here, or with --node inside a node of the lab (its network namespace), with its
  output on this terminal. The agent's own options follow: labtel agent top-talkers --help.

  examples:
    labtel agent capture --read capture.pcapng
    labtel agent top-talkers --node host-2 --listen 203.0.113.2:6343
    labtel agent capture --node host-2 --intf eth1 --filter "ip and udp" --write /tmp/sflow.pcapng`;

export const agentCommand: CliCommand = {
  name: 'agent',
  summary: 'run a telemetry agent (capture, top-talkers, bgp-ping) here or inside a lab node',
  usage,
  async run(argv) {
    const [name, ...rest] = argv;
    if (name === undefined) throw new UsageError('which agent?');
    if (!isAgentName(name)) throw new UsageError(`no agent "${name}"; there are: ${AGENT_NAMES.join(', ')}`);
    // --node and -t belong to labtel; everything else is the agent's.
    let node: string | undefined;
    const labArgs: string[] = [];
    const agentArgs: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '--node') {
        node = rest[++i];
        if (!node) throw new UsageError('--node needs a node name');
      } else if (a === '-t' || a === '--topo' || a === '--backend') {
        labArgs.push(a, rest[++i] ?? '');
      } else agentArgs.push(a);
    }
    let child: ChildProcess;
    const lab = node || selectedHost() ? openLab(parseLabOptions(labArgs)) : undefined;
    if (lab instanceof HostBackend) {
      // On a lab host the agent runs with the host's node from labtel's bundle there; its events come
      // back over the host's SSH connection. Its stdin is closed, which also stops it if the connection drops.
      if (!node) throw new UsageError('with --host, say which node runs the agent: --node NODE');
      const argvOfAgent = [...await lab.agentArgv(name), ...agentArgs];
      child = lab.exec(node, argvOfAgent, { stdio: ['ignore', 'inherit', 'inherit'] });
    } else if (node && lab) {
      child = lab.exec(node, [process.execPath, agentBundlePath(name), ...agentArgs], { stdio: 'inherit' });
    } else {
      const argvOfAgent = [process.execPath, agentBundlePath(name), ...agentArgs];
      child = spawn(argvOfAgent[0]!, argvOfAgent.slice(1), { stdio: 'inherit' });
    }
    // Ctrl-C reaches the agent through the terminal's process group; SIGTERM to labtel is passed on.
    const forward = () => child.kill('SIGTERM');
    process.on('SIGTERM', forward);
    process.on('SIGINT', () => { /* the agent gets it from the terminal and exits by itself */ });
    const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 + 15 : 1))));
    process.off('SIGTERM', forward);
    return code;
  },
};

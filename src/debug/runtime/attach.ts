import http from 'node:http';
import type { Backend } from '../../lab/backend';
import { DEFAULT_INSPECTOR_PORT, type LabAgentAttachArguments } from '../../shared/debugLaunch';
import { execOutput } from '../../lab/execOutput';
import { RelayAgent } from '../relay/relayAgent';
import { LaunchError, type AgentRuntime } from './agentRuntime';

/** How long the inspector has to answer the discovery GET. */
const DISCOVERY_TIMEOUT_MS = 5_000;
/** How long after SIGUSR1 Node takes to open its inspector. */
const SIGUSR1_SETTLE_MS = 500;

/**
 * Attaches to an agent already running in a node: SIGUSR1 turns its inspector on (pid given; it
 * listens on 127.0.0.1:9229 inside the node), or it already listens on `port`. The WebSocket URL
 * comes from the inspector's /json/list, fetched through the relay like everything else.
 */
export async function attachTo(runtime: AgentRuntime, backend: Backend, args: LabAgentAttachArguments): Promise<void> {
  const runtimeExecutable = args.runtimeExecutable ?? 'node';
  if (args.pid === undefined && args.port === undefined) throw new LaunchError('the attach configuration needs "pid" (the agent\'s process id) or "port" (its inspector\'s port in the node)');
  if (args.pid !== undefined) {
    let r;
    try {
      r = await execOutput(backend, runtime.node, ['kill', '-USR1', String(args.pid)]);
    } catch (err) {
      throw new LaunchError((err as Error).message);
    }
    if (r.code !== 0) throw new LaunchError(`could not signal process ${args.pid} in node ${runtime.node}: ${r.stderr.trim() || `kill exited with ${r.code}`}`);
    await new Promise((resolve) => setTimeout(resolve, SIGUSR1_SETTLE_MS));
  }
  const port = args.port ?? DEFAULT_INSPECTOR_PORT;
  let relay;
  try {
    relay = runtime.startRelay(runtimeExecutable);
  } catch (err) {
    throw new LaunchError((err as Error).message);
  }
  const targets = await new Promise<Array<{ webSocketDebuggerUrl?: string }>>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/json/list', agent: new RelayAgent(() => relay.open(port)), timeout: DISCOVERY_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => { try { resolve(JSON.parse(body)); } catch (err) { reject(err); } });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${DISCOVERY_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
  }).catch((err: Error) => { throw new LaunchError(`no inspector on 127.0.0.1:${port} in node ${runtime.node}: ${err.message}`); });
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url) throw new LaunchError(`the inspector on 127.0.0.1:${port} in node ${runtime.node} lists no target`);
  await relay.close();
  await runtime.connect(url, port, runtimeExecutable);
  await runtime.enable();
}

import { UsageError, type CliCommand } from '../command';
import { isBackendMethod, type BackendAnswer, type BackendMethod } from '../../lab/host/hostProtocol';
import type { Backend } from '../../lab/backend';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../lab/traffic';
import { openLab, parseLabOptions } from './lab';

const usage = `usage: labtel backend deploy|destroy|inspect|logs NODE|traffic-start PROFILE [SECONDS]|traffic-stop [-t FILE] [--backend KIND]

  Runs one method of the lab's backend on this machine and prints one JSON line: {"ok":true,"result":…}
  or {"ok":false,"name":…,"error":…}. This is what "labtel --host NAME lab …" runs on a lab host.`;

async function callMethod(lab: Backend, method: BackendMethod, args: readonly string[]): Promise<unknown> {
  switch (method) {
    case 'deploy': return lab.deploy();
    case 'destroy': await lab.destroy(); return null;
    case 'inspect': return lab.inspect();
    case 'logs': {
      if (args[0] === undefined) throw new UsageError('logs needs a NODE');
      return lab.logs(args[0]);
    }
    case 'traffic-start': {
      const duration = args[1] === undefined ? undefined : Number(args[1]);
      if (duration !== undefined && !(Number.isInteger(duration) && duration >= 1)) throw new UsageError('traffic-start: SECONDS must be whole seconds >= 1');
      await startTraffic(lab, loadTrafficProfile(lab, args[0] ?? 'default'), { duration });
      return null;
    }
    case 'traffic-stop': return stopTraffic(lab);
  }
}

export const backendCommand: CliCommand = {
  name: 'backend',
  summary: 'run one lab backend method and print its result as JSON (what labtel --host runs on a lab host)',
  usage,
  async run(argv) {
    const options = parseLabOptions(argv);
    const [method, ...args] = options.rest;
    if (method === undefined || !isBackendMethod(method)) throw new UsageError(`no backend method "${method ?? ''}"`);
    let answer: BackendAnswer;
    try {
      answer = { ok: true, result: await callMethod(openLab(options), method, args) };
    } catch (err) {
      if (err instanceof UsageError) throw err;
      answer = { ok: false, name: err instanceof Error ? err.name : 'Error', error: err instanceof Error ? err.message : String(err) };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    return answer.ok ? 0 : 1;
  },
};

import { UsageError, type CliCommand } from '../command';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../lab/traffic';
import { HostBackend } from '../../lab/host/hostBackend';
import { openLab, parseLabOptions } from './lab';

const usage = `usage: labtel traffic start|stop [PROFILE] [--duration SECONDS] [-t FILE] [--backend netns|containerlab]

  start     run a traffic profile (default "default": <topology folder>/<lab>/traffic/default.yml) with iperf3
  stop      stop the lab's traffic`;

export const trafficCommand: CliCommand = {
  name: 'traffic',
  summary: 'start or stop a traffic profile in the lab (iperf3)',
  usage,
  async run(argv) {
    const options = parseLabOptions(argv);
    const [verb, ...rest] = options.rest;
    let duration: number | undefined;
    const words: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--duration') {
        duration = Number(rest[++i]);
        if (!Number.isInteger(duration) || duration < 1) throw new UsageError('--duration needs whole seconds >= 1');
      } else words.push(rest[i]!);
    }
    if (words.length > 1) throw new UsageError(`unexpected argument "${words[1]}"`);
    const lab = openLab(options);
    if (verb === 'start') {
      const profile = loadTrafficProfile(lab, words[0] ?? 'default');
      if (lab instanceof HostBackend) await lab.startTraffic(profile.name, duration);
      else await startTraffic(lab, profile, { duration });
      console.log(`traffic "${profile.name}" running for ${duration ?? profile.duration} s: ${profile.client} → ${profile.flows.map((f) => `${f.to}:${f.port} ${f.rate}bit/s`).join(', ')}`);
      return 0;
    }
    if (verb === 'stop') {
      const stopped = lab instanceof HostBackend ? await lab.stopTraffic() : await stopTraffic(lab);
      console.log(stopped ? 'traffic stopped' : 'no traffic was running');
      return 0;
    }
    throw new UsageError(verb === undefined ? 'missing subcommand' : `unknown subcommand "${verb}"`);
  },
};

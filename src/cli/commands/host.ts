import { UsageError, type CliCommand } from '../command';
import { LabHost } from '../../lab/host/labHost';
import { missingFor, renderHealth } from '../../lab/host/healthCheck';
import { loadLabHostsFile } from '../../lab/host/labHosts';
import { globalHostOptions, hostConfig, takeHostOptions } from '../hostOption';

const usage = `usage: labtel host check NAME [--json]
       labtel host disconnect NAME
       labtel host list
       (with --hosts-file FILE / LABTEL_HOSTS_FILE and --ssh-config FILE as for --host)

  check       connect to the lab host and list what it has and lacks: root or the privilege prefix,
              namespaces, FRR and pmacct (embedded backend), containerlab and Docker, Node, tcpdump,
              iperf3; exit 1 when something the host's backend or the agents need is missing
  disconnect  end labtel's shared SSH connection to the host (it also ends by itself after 10 idle minutes)
  list        the hosts of the hosts file`;

export const hostCommand: CliCommand = {
  name: 'host',
  summary: 'lab hosts over SSH: check what a host has, list hosts, disconnect',
  usage,
  async run(argv) {
    const [verb, ...rest] = argv;
    const own = takeHostOptions(rest.filter((w) => w !== '--json'));
    const global = globalHostOptions();
    const options = { host: undefined, hostsFile: own.options.hostsFile ?? global.hostsFile, sshConfig: own.options.sshConfig ?? global.sshConfig };
    const words = own.rest;
    const json = rest.includes('--json');
    if (verb === 'list') {
      const hosts = options.hostsFile !== undefined ? loadLabHostsFile(options.hostsFile) : [];
      console.log(json ? JSON.stringify(hosts, null, 2) : ['local (this machine)', ...hosts.map((h) => `${h.name} (ssh ${h.ssh}, ${h.backend}, ${h.workDir})`)].join('\n'));
      return 0;
    }
    const [name, ...more] = words;
    if (name === undefined) throw new UsageError(`host ${verb ?? ''} needs a host NAME`);
    if (more.length > 0) throw new UsageError(`unexpected argument "${more[0]}"`);
    const host = LabHost.ssh(hostConfig(options, name));
    if (verb === 'check') {
      const health = await host.check();
      console.log(json ? JSON.stringify(health, null, 2) : renderHealth(health, host.backendKind));
      return health.reachable && missingFor(health, host.backendKind).length === 0 ? 0 : 1;
    }
    if (verb === 'disconnect') {
      await host.close();
      return 0;
    }
    throw new UsageError(verb === undefined ? 'missing subcommand' : `unknown subcommand "${verb}"`);
  },
};

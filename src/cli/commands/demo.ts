import type { TalkersEvent } from '../../shared/events';
import { agentPresets } from '../../agents/client/agentPresets';
import { BgpPingSummary } from '../../agents/client/bgpPingSummary';
import { RunningAgent } from '../../agents/client/runningAgent';
import { renderTalkersTable } from '../../agents/render/talkersTable';
import { waitForRouterSessions } from '../../lab/bgpStatus';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../lab/traffic';
import { UsageError, type CliCommand } from '../command';
import { openLab, parseLabOptions } from './lab';

const usage = `usage: labtel demo [--duration SECONDS] [-t FILE]

  The book's scenario on the embedded lab: deploys the lab (default lab/netgo.clab.yml), starts the
  default traffic profile, runs top-talkers on host-2 (the sFlow collector's node) and bgp-ping (the
  prober on host-2, responders on host-1 and host-3, as in the book's lab) and shows the live top-talker
  table and the BGP RTT per responder until Ctrl-C or --duration, then stops everything and destroys the
  lab (a lab that was already up before the demo is left up).`;

/**
 * The RTT per responder as lines of text; `held`: how long each responder held host-2's last probe it
 * answered (its `reply` events), its own share of the RTT beside the routers'.
 */
function renderRtt(summary: BgpPingSummary, router: string | undefined): string[] {
  const head = `BGP RTT from ${summary.prober} (bgp-ping, session to ${router ?? summary.session?.peer ?? 'its router'} ${summary.session?.state ?? 'starting'}, ${summary.probes} probes)`;
  const rows = summary.responders();
  if (rows.length === 0) return [head, '(no reply yet)'];
  const ms = (x: number) => `${x.toFixed(1).padStart(8)} ms`;
  return [head, ...rows.map((x) => {
    const avg = x.answered ? ms(x.sum / x.answered) : '       - ms';
    return `${x.responder.padEnd(10)} last ${ms(x.last)}   min ${x.answered ? ms(x.min) : '       - ms'}   avg ${avg}   max ${ms(x.max)}   answered ${x.answered}   lost ${x.lost}${x.heldUs === undefined ? '' : `   held ${x.heldUs.toFixed(0)} µs`}`;
  })];
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: "run the book's scenario: lab up, traffic, live top talkers and BGP RTT, then lab down",
  usage,
  async run(argv) {
    const options = parseLabOptions(argv);
    let durationS: number | undefined;
    for (let i = 0; i < options.rest.length; i++) {
      const a = options.rest[i]!;
      if (a === '--duration') {
        durationS = Number(options.rest[++i]);
        if (!Number.isFinite(durationS) || durationS <= 0) throw new UsageError('--duration needs seconds > 0');
      } else throw new UsageError(`unexpected argument "${a}"`);
    }
    const lab = openLab(options);
    const name = lab.topology.name;
    const out = process.stdout;
    const logs: string[] = [];
    const log = (line: string) => { logs.push(line); if (logs.length > 6) logs.shift(); };

    console.log(`labtel demo: deploying ${name} (${lab.kind}) from ${lab.topology.file}`);
    const deployed = await lab.deploy();
    const agents: RunningAgent[] = [];
    let stopping = false;
    const stop = new Promise<void>((resolve) => {
      const onSignal = () => { stopping = true; resolve(); };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      if (durationS !== undefined) setTimeout(onSignal, durationS * 1000).unref();
    });
    try {
      const sessions = await waitForRouterSessions(lab, 30_000);
      console.log(`labtel demo: ${name} up in ${deployed.seconds.toFixed(1)} s, ${sessions.filter((s) => s.betweenRouters && s.state === 'Established').length} router BGP sessions Established`);
      const profile = loadTrafficProfile(lab);
      await startTraffic(lab, profile, { duration: Math.ceil(durationS ?? 3600) + 5 });
      console.log(`labtel demo: traffic "${profile.name}": ${profile.client} → ${profile.flows.map((f) => `${f.to} ${f.rate}bit/s`).join(', ')}`);

      // Where each agent runs and with which flags comes from the lab's own files (agentPresets), as the
      // book's make targets set them for its lab: top-talkers where r3's sFlow arrives, the bgp-ping
      // prober there too, responders on the other hosts.
      const presets = agentPresets(lab.topology);
      const collector = presets.find((p) => p.agent === 'top-talkers');
      if (!collector) throw new Error(`lab ${name} has no sFlow exporter whose receiver is one of its nodes: nothing for top-talkers to collect`);
      let talkers: TalkersEvent | undefined;
      agents.push(new RunningAgent(lab, collector.node, 'top-talkers', [...collector.args, '--interval', '1s', '--window', '10'], {
        onEvent: (e) => { if (e.type === 'talkers') talkers = e; },
        onLog: (line) => log(`top-talkers@${collector.node}: ${line}`),
      }));

      const pings = presets.filter((p) => p.agent === 'bgp-ping');
      const prober = pings.find((p) => p.role === 'prober');
      const summary = new BgpPingSummary(prober?.node ?? '(no prober)');
      for (const p of pings) {
        agents.push(new RunningAgent(lab, p.node, 'bgp-ping', p.args, {
          onEvent: (e) => (p === prober ? summary.fromProber(e) : summary.fromResponder(p.node, e)),
          onLog: (line) => log(`bgp-ping@${p.node}: ${line}`),
        }));
      }

      const started = Date.now();
      const draw = () => {
        const lines = [
          `labtel demo — lab ${name} (${lab.kind}), ${lab.topology.nodes.length} nodes — ${((Date.now() - started) / 1000).toFixed(0)} s${durationS ? ` of ${durationS}` : ''} — Ctrl-C stops and destroys the lab`,
          '',
          ...renderTalkersTable(talkers?.rows ?? [], `top talkers on ${collector.node} (sFlow from ${collector.peer}, by ${talkers?.by ?? 'bytes'}, ${talkers?.window ?? 10} s window, ${talkers?.flows ?? 0} flows)`),
          '',
          ...renderRtt(summary, prober?.peer),
          '',
          ...(logs.length ? ['agent log:', ...logs.map((l) => `  ${l}`)] : []),
        ];
        out.write(out.isTTY ? `\x1b[H\x1b[2J${lines.join('\n')}\n` : `${lines.join('\n')}\n\n`);
      };
      const timer = setInterval(draw, 1000);
      await stop;
      clearInterval(timer);
      draw();
    } finally {
      stopping = true;
      await Promise.all(agents.map((a) => a.stop()));
      await stopTraffic(lab).catch(() => false);
      if (deployed.created) {
        await lab.destroy();
        console.log(`labtel demo: ${name} destroyed`);
      } else {
        console.log(`labtel demo: ${name} was up before the demo and is left up`);
      }
    }
    return stopping ? 0 : 1;
  },
};

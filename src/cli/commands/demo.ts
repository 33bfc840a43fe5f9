import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseEvent, type AgentEvent, type SessionEvent, type TalkersEvent } from '../../shared/events';
import { renderTalkersTable } from '../../agents/render/talkersTable';
import type { Backend } from '../../lab/backend';
import { waitForRouterSessions } from '../../lab/bgpStatus';
import { loadTrafficProfile, startTraffic, stopTraffic } from '../../lab/traffic';
import { UsageError, type CliCommand } from '../command';
import { agentBundlePath } from '../agents/agentBundle';
import { openLab, parseLabOptions } from './lab';

const usage = `usage: labtel demo [--duration SECONDS] [-t FILE]

  The seed's scenario on the embedded lab: deploys the lab (default lab/netgo.clab.yml), starts the
  default traffic profile, runs top-talkers on host-2 (the sFlow collector's node) and bgp-ping (the
  prober on host-2, responders on host-1 and host-3, as in the seed's lab) and shows the live top-talker
  table and the BGP RTT per responder until Ctrl-C or --duration, then stops everything and destroys the
  lab (a lab that was already up before the demo is left up).`;

/** The seed's bgp-ping roles in netgo (ch10/bgp-ping targets.mk). */
const bgpPingRoles: Array<{ node: string; args: string[] }> = [
  { node: 'host-1', args: ['-id', 'host-1', '-nlri', '100.64.0.0', '-laddr', '203.0.113.0', '-raddr', '203.0.113.1', '-las', '65003', '-ras', '65000', '-p'] },
  { node: 'host-3', args: ['-id', 'host-3', '-nlri', '100.64.0.2', '-laddr', '203.0.113.254', '-raddr', '203.0.113.129', '-las', '65005', '-ras', '65002', '-p'] },
  { node: 'host-2', args: ['-id', 'host-2', '-nlri', '100.64.0.1', '-laddr', '203.0.113.2', '-raddr', '203.0.113.3', '-las', '65004', '-ras', '65001', '-i', '2s'] },
];

interface RttRow { last: number; min: number; max: number; sum: number; count: number; lost: number }

/**
 * The RTT per responder as lines of text; `held`: how long each responder held host-2's last probe it
 * answered (its `reply` events), its own share of the RTT beside the routers'.
 */
function renderRtt(rows: Map<string, RttRow>, held: Map<string, number>, session: SessionEvent | undefined, sent: number): string[] {
  const head = `BGP RTT from host-2 (bgp-ping, session to r2 ${session?.state ?? 'starting'}, ${sent} probes)`;
  if (rows.size === 0) return [head, '(no reply yet)'];
  const lines = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([r, x]) => {
    const us = held.get(r);
    return `${r.padEnd(10)} last ${x.last.toFixed(1).padStart(8)} ms   min ${x.min.toFixed(1).padStart(8)} ms   avg ${(x.sum / x.count).toFixed(1).padStart(8)} ms   max ${x.max.toFixed(1).padStart(8)} ms   answered ${x.count}   lost ${x.lost}${us === undefined ? '' : `   held ${us.toFixed(0)} µs`}`;
  });
  return [head, ...lines];
}

/** An agent started in a node whose NDJSON events are handed to `onEvent`. */
function runAgentIn(lab: Backend, node: string, bundle: Parameters<typeof agentBundlePath>[0], args: string[], onEvent: (e: AgentEvent) => void, log: (line: string) => void): ChildProcess {
  const child = lab.exec(node, [process.execPath, agentBundlePath(bundle), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      onEvent(parseEvent(line));
    } catch {
      log(`${bundle}@${node}: ${line}`);
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => log(`${bundle}@${node}: ${line}`));
  return child;
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'run the seed scenario: lab up, traffic, live top talkers and BGP RTT, then lab down',
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
    const children: ChildProcess[] = [];
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

      let talkers: TalkersEvent | undefined;
      children.push(runAgentIn(lab, 'host-2', 'top-talkers', ['--listen', '203.0.113.2:6343', '--format', 'json', '--interval', '1s', '--window', '10'], (e) => {
        if (e.type === 'talkers') talkers = e;
      }, log));

      const rtt = new Map<string, RttRow>();
      const held = new Map<string, number>();
      let session: SessionEvent | undefined;
      let probes = 0;
      for (const role of bgpPingRoles) {
        const prober = role.node === 'host-2';
        children.push(runAgentIn(lab, role.node, 'bgp-ping', [...role.args, '--format', 'json'], (e) => {
          if (!prober) {
            if (e.type === 'reply' && e.prober === 'host-2') held.set(role.node, e.turnaroundUs);
            return;
          }
          if (e.type === 'session') session = e;
          if (e.type === 'rtt') {
            probes = Math.max(probes, e.seq);
            const x = rtt.get(e.responder) ?? { last: 0, min: Infinity, max: 0, sum: 0, count: 0, lost: 0 };
            x.last = e.rttMs; x.min = Math.min(x.min, e.rttMs); x.max = Math.max(x.max, e.rttMs); x.sum += e.rttMs; x.count++;
            rtt.set(e.responder, x);
          }
          if (e.type === 'lost') for (const r of e.responders) { const x = rtt.get(r); if (x) x.lost++; }
        }, log));
      }

      const started = Date.now();
      const draw = () => {
        const lines = [
          `labtel demo — lab ${name} (${lab.kind}), ${lab.topology.nodes.length} nodes — ${((Date.now() - started) / 1000).toFixed(0)} s${durationS ? ` of ${durationS}` : ''} — Ctrl-C stops and destroys the lab`,
          '',
          ...renderTalkersTable(talkers?.rows ?? [], `top talkers on host-2 (sFlow from r3, by ${talkers?.by ?? 'bytes'}, ${talkers?.window ?? 10} s window, ${talkers?.flows ?? 0} flows)`),
          '',
          ...renderRtt(rtt, held, session, probes),
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
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r)))));
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

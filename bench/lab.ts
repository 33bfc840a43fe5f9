// `npm run bench -- lab`: how long the embedded (netns) backend takes to bring a lab up until every BGP
// session between routers is Established, and to take it down, for the 6-node netgo lab and a generated
// 50-router FRR chain. Writes bench/results/lab.json. Needs root, FRR, pmacct.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitForRouterSessions } from '../src/lab/bgpStatus';
import { execOutput } from '../src/lab/execOutput';
import { NetnsBackend } from '../src/lab/netnsBackend';
import { loadTopology } from '../src/lab/topology';

const root = path.resolve(__dirname, '..');
const runs = Number(process.env.LABTEL_BENCH_RUNS ?? 3);
const work = mkdtempSync(path.join(os.tmpdir(), 'labtel-bench-'));
const tag = Math.random().toString(36).slice(2, 6);

/** A chain r1 — r2 — … — rN of FRR routers, each its own AS, eBGP on every link, redistribute connected. */
function writeChain(name: string, n: number): string {
  const dir = path.join(work, name);
  const nodes: string[] = [];
  const links: string[] = [];
  const addr = (link: number, side: 0 | 1) => `192.0.2.${link * 2 + side}`;
  for (let i = 1; i <= n; i++) {
    mkdirSync(path.join(dir, `r${i}`), { recursive: true });
    writeFileSync(path.join(dir, `r${i}`, 'daemons'), 'bgpd=yes\n');
    const ifaces: string[] = [];
    const neighbors: string[] = [];
    if (i > 1) { ifaces.push(`interface eth1\n ip address ${addr(i - 2, 1)}/31\nexit`); neighbors.push(`${addr(i - 2, 0)} remote-as ${65100 + i - 1}`); }
    if (i < n) { ifaces.push(`interface eth2\n ip address ${addr(i - 1, 0)}/31\nexit`); neighbors.push(`${addr(i - 1, 1)} remote-as ${65100 + i + 1}`); }
    writeFileSync(path.join(dir, `r${i}`, 'frr.conf'), [
      'frr defaults traditional', `hostname r${i}`,
      `interface lo\n ip address 198.51.100.${i}/32\nexit`, ...ifaces,
      `router bgp ${65100 + i}`, ` bgp router-id 198.51.100.${i}`, ' no bgp ebgp-requires-policy', ' timers bgp 3 9',
      ...neighbors.flatMap((nb) => { const ip = nb.split(' ')[0]; return [` neighbor ${nb}`, ` neighbor ${ip} timers connect 1`, ` neighbor ${ip} advertisement-interval 0`]; }),
      ' address-family ipv4 unicast', '  redistribute connected', ' exit-address-family', 'exit', '',
    ].join('\n'));
    nodes.push(`    r${i}:\n      kind: linux\n      binds:\n        - ${name}/r${i}/daemons:/etc/frr/daemons\n        - ${name}/r${i}/frr.conf:/etc/frr/frr.conf`);
    if (i < n) links.push(`    - endpoints: ["r${i}:eth2", "r${i + 1}:eth1"]`);
  }
  const file = path.join(work, `${name}.clab.yml`);
  writeFileSync(file, `name: ${name}\ntopology:\n  nodes:\n${nodes.join('\n')}\n  links:\n${links.join('\n')}\n`);
  return file;
}

interface Run { upToDeployedS: number; upToEstablishedS: number; upToEndToEndRouteS?: number; downS: number; sessions: number }

async function measure(file: string, endToEnd?: { from: string; prefix: string }): Promise<Run> {
  const lab = new NetnsBackend(loadTopology(file));
  const t0 = performance.now();
  try {
    await lab.deploy();
    const deployed = performance.now();
    const sessions = await waitForRouterSessions(lab, 120_000, 100);
    const established = performance.now();
    let endToEndS: number | undefined;
    if (endToEnd) {
      for (;;) {
        const r = await execOutput(lab, endToEnd.from, ['ip', 'route', 'show', endToEnd.prefix]);
        if (r.stdout.trim() !== '') break;
        if (performance.now() - t0 > 90_000) throw new Error(`no route to ${endToEnd.prefix} in ${endToEnd.from}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      endToEndS = (performance.now() - t0) / 1000;
    }
    const d0 = performance.now();
    await lab.destroy();
    const down = (performance.now() - d0) / 1000;
    return {
      upToDeployedS: (deployed - t0) / 1000, upToEstablishedS: (established - t0) / 1000,
      ...(endToEndS === undefined ? {} : { upToEndToEndRouteS: endToEndS }),
      downS: down, sessions: sessions.filter((s) => s.betweenRouters).length,
    };
  } catch (err) {
    await lab.destroy().catch(() => undefined);
    throw err;
  }
}

function summary(values: number[]): { median: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { median: r(s[Math.floor(s.length / 2)]!), min: r(s[0]!), max: r(s[s.length - 1]!) };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench lab needs root (namespaces, FRR)');
  const netgoText = readFileSync(path.join(root, 'lab', 'netgo.clab.yml'), 'utf8')
    .replace(/^name: netgo$/m, `name: ltbench${tag}`).replaceAll('- netgo/', `- ${path.join(root, 'lab', 'netgo')}/`);
  const netgoFile = path.join(work, 'netgo-copy.clab.yml');
  writeFileSync(netgoFile, netgoText);
  const chainFile = writeChain(`ltchain${tag}`, 50);

  const results: Record<string, unknown> = {};
  for (const [key, file, endToEnd] of [
    ['netgo6', netgoFile, { from: 'r1', prefix: '203.0.113.128/25' }],
    ['frrChain50', chainFile, { from: 'r1', prefix: '198.51.100.50' }],
  ] as const) {
    const measured: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await measure(file, endToEnd);
      console.log(`${key} run ${i + 1}: up→deployed ${r.upToDeployedS.toFixed(2)} s, up→router sessions Established ${r.upToEstablishedS.toFixed(2)} s, ` +
        `up→end-to-end route ${r.upToEndToEndRouteS?.toFixed(2)} s, down ${r.downS.toFixed(2)} s (${r.sessions} sessions)`);
      measured.push(r);
    }
    results[key] = {
      nodes: loadTopology(file).nodes.length,
      routerSessions: measured[0]!.sessions,
      upToDeployedSeconds: summary(measured.map((m) => m.upToDeployedS)),
      upToAllRouterSessionsEstablishedSeconds: summary(measured.map((m) => m.upToEstablishedS)),
      upToEndToEndRouteSeconds: { ...summary(measured.map((m) => m.upToEndToEndRouteS!)), route: `${endToEnd.prefix} in ${endToEnd.from}` },
      downSeconds: summary(measured.map((m) => m.downS)),
      runs: measured,
    };
  }
  const frr = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'frr'], { encoding: 'utf8' });
  const out = {
    benchmark: 'lab',
    date: new Date().toISOString(),
    command: 'npm run bench -- lab',
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), node: process.version, frr },
    measured: 'labtel\'s netns backend (real FRR 8.4 zebra+bgpd per router in its own namespace, veth links; netgo also pmacctd on r3): ' +
      'time from the start of deploy until deploy returns, until every BGP session between two routers is Established (polled every 100 ms ' +
      'with vtysh "show bgp summary json" in each router, so figures include up to one poll round), until a route across the whole lab is ' +
      'installed, and the time destroy takes. Median, min and max of the runs.',
    notMeasured: 'containerlab: it needs Docker, which this machine lacks, so containerlab\'s time for the same lab (tens of seconds with ' +
      'Docker for the 6-node lab, dominated by container start) is not measured here. Host sessions (routers to hosts) are not counted: they ' +
      'wait for a BGP agent on the hosts.',
    targets: { netgo6UpSeconds: 5, frrChain50UpSeconds: 60 },
    runsPerLab: runs,
    results,
  };
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'lab.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote bench/results/lab.json`);
}

main().catch((err) => { console.error(err); process.exitCode = 1; }).finally(() => rmSync(work, { recursive: true, force: true }));

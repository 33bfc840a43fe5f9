// The README's "Benchmarks at a glance" table, made from the committed results (bench/results/*.json) so
// the README's figures are the results' figures. `node scripts/bench-summary.mjs` prints the table;
// `--write` puts it into README.md between its markers (`npm run bench` does that after the benchmarks).
// test/unit/benchSummary.test.ts fails when the README's table and the committed results disagree.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const START = '<!-- bench-summary:start (scripts/bench-summary.mjs writes this table from bench/results) -->';
export const END = '<!-- bench-summary:end -->';

const read = (name) => {
  const file = path.join(root, 'bench', 'results', `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
};
const n = (v, digits = 0) => Number(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const x = (v) => `${n(v, v >= 10 ? 1 : 2)}×`;
const ms = (v) => `${n(v, v < 10 ? 1 : 0)} ms`;
const held = (ok) => (ok ? 'met' : 'not met');

/** One row per figure: what, labtel, the peer, the ratio or aim, the results file. */
function rows() {
  const out = [];
  const add = (bench, what, labtel, peer, verdict) => out.push([bench, what, labtel, peer, verdict, `bench/results/${bench}.json`]);
  const sflow = read('sflow');
  if (sflow) add('sflow', 'sFlow v5 decode, datagrams per CPU second', n(sflow.labtel.datagramsPerCpuSecond), `gopacket ${n(sflow.gopacket.datagramsPerCpuSecond)}`, x(sflow.ratio.labtelOverGopacket));
  const talkers = read('talkers');
  if (talkers) {
    add('talkers', 'top-talkers, loss-free datagrams/s (corpus)', n(talkers.corpus.labtel.lossFreeDatagramsPerSecond), `sfacctd ${n(talkers.corpus.sfacctd.lossFreeDatagramsPerSecond)}`, x(talkers.corpus.ratioLabtelOverSfacctd));
    add('talkers', 'top-talkers, loss-free datagrams/s (1,000,000 flows)', n(talkers.generated.labtel.lossFreeDatagramsPerSecond), `sfacctd ${n(talkers.generated.sfacctd.lossFreeDatagramsPerSecond)}`, x(talkers.generated.ratioLabtelOverSfacctd));
  }
  const lab = read('lab');
  if (lab) add('lab', 'netgo up to router sessions Established (median)', `${n(lab.results.netgo6.upToAllRouterSessionsEstablishedSeconds.median, 1)} s`, '—', `aim < ${lab.targets.netgo6UpSeconds} s: ${held(lab.results.netgo6.upToAllRouterSessionsEstablishedSeconds.median < lab.targets.netgo6UpSeconds)}`);
  const bgp = read('bgp');
  if (bgp) add('bgp', 'BGP UPDATE decode per second', n(bgp.labtel.decodePerSec), `gobgp ${n(bgp.gobgp.decodePerSec)}`, x(bgp.ratio.decode));
  const rtt = read('bgp-rtt');
  if (rtt) add('bgp-rtt', 'bgp-ping added to a TCP echo round trip, p99 (worst placement)', `${n(rtt.agentsAddP99UsWorstPlacement)} µs`, 'plain TCP echo', `aim < ${n(rtt.aimP99Us)} µs: ${held(rtt.meetsAim)}`);
  const bpf = read('bpf');
  if (bpf) {
    add('bpf', 'classic BPF interpreter, packets/s (median ratio over filters)', '—', 'golang.org/x/net/bpf VM', `${x(bpf.medianRatio)} (aim ≥ 1.0×: ${held(bpf.medianRatio >= 1)})`);
    add('bpf', 'compiled program length / libpcap optimised (median)', x(bpf.instructionsVsLibpcapOptimised.medianRatio), 'tcpdump -d (-O)', `aim ≤ 1.2: ${held(bpf.instructionsVsLibpcapOptimised.medianRatio <= 1.2)}`);
  }
  const debug = read('debug');
  if (debug) {
    const l = debug.results.labtel;
    add('debug', 'launch to agent running under the debugger, p50', ms(l.launchMs.p50), 'raw inspector over the same relay', `aim < ${n(debug.aim.launchMs)} ms: ${held(l.launchMs.p50 < debug.aim.launchMs)}`);
    add('debug', 'breakpoint hit to stack, scopes and variables, p95', ms(l.breakpointToVariablesMs.p95), 'raw inspector', `aim < ${debug.aim.breakpointToVariablesP95Ms} ms: ${held(l.breakpointToVariablesMs.p95 < debug.aim.breakpointToVariablesP95Ms)}`);
  }
  const hosts = read('hosts');
  if (hosts) {
    const e = hosts.results.execRoundTripMs;
    add('hosts', 'exec round trip over SSH, shared connection, p50', ms(e.sharedConnection.p50), `new connection each: ${ms(e.newConnectionPerExec.p50)}`, `aim < ${hosts.targets.execRoundTripP50Ms} ms: ${held(e.sharedConnection.p50 < hosts.targets.execRoundTripP50Ms)}`);
    add('hosts', 'deploy netgo over SSH, extra over local', `${n(hosts.results.deployNetgoSeconds.extraOverSsh, 1)} s`, `local ${n(hosts.results.deployNetgoSeconds.local.p50, 1)} s`, `aim < ${hosts.targets.deployOverSshExtraSeconds} s: ${held(hosts.results.deployNetgoSeconds.extraOverSsh < hosts.targets.deployOverSshExtraSeconds)}`);
  }
  const viewer = read('viewer');
  if (viewer) {
    for (const r of viewer.results) {
      add('viewer', `capture viewer, ${n(r.sizeMB)} MB: first rows / full index`, `${ms(r.labtel.firstRowsMs)} / ${ms(r.labtel.fullIndexMs)}`, `tshark pass ${ms(r.tshark.fullPassMs)}`, `${x(r.fullIndexSpeedup)}; first rows < 1 s: ${held(r.labtel.firstRowsMs < viewer.aims.firstRowsMs)}`);
    }
  }
  const ui = read('ui');
  if (ui) {
    for (const [panel, r] of Object.entries(ui.panels)) {
      add('ui', `webview ${panel}: frame time p95 under 10× the lab's rate`, ms(r.frameMs.p95), '—', `aim < 16 ms: ${held(r.aimMet)}`);
    }
  }
  const activation = read('ui-activation');
  if (activation?.reportedMs) {
    add('ui-activation', 'activation as VS Code reports it, p50', ms(activation.reportedMs.p50), '—', `aim < ${activation.aimMs} ms: ${held(activation.meetsAim)}`);
  }
  return out;
}

export function summaryTable() {
  const lines = ['| bench | what | labtel | peer | ratio / aim | results |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows()) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** The README with its table replaced by the one the committed results give. */
export function withSummary(readme) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no "${START}" … "${END}" block`);
  return `${readme.slice(0, a + START.length)}\n${summaryTable()}\n${readme.slice(b)}`;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  if (process.argv.includes('--write')) {
    const file = path.join(root, 'README.md');
    writeFileSync(file, withSummary(readFileSync(file, 'utf8')));
    console.log('README.md: benchmarks at a glance updated from bench/results');
  } else console.log(summaryTable());
}

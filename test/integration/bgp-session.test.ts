// labtel's BGP session against a real FRR bgpd, each in a network namespace of its own:
//   ltbgp-a (labtel, 192.0.2.1, AS 65001) ── veth ── ltbgp-f (FRR zebra+bgpd, 192.0.2.2, AS 65002)
// The session runs in a child process inside ltbgp-a (this same file, with LTBGP_CHILD=1) and reports
// its events as NDJSON on stdout. 100.64.0.1/32 is used only as BGP NLRI; no traffic is sent to it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { requirePrereqs } from '../helpers/tools';
import { Session } from '../../src/bgp/session';

const NS_LABTEL = 'ltbgp-a';
const NS_FRR = 'ltbgp-f';
const LABTEL_ADDR = '192.0.2.1';
const FRR_ADDR = '192.0.2.2';
const PROBE_NLRI = '100.64.0.1/32';
/** The probe attribute's type code: the book's 42 by default (RFC 2042 reserves 255 for development). */
const ATTR_TYPE = Number(process.env.LTBGP_ATTR_TYPE ?? 42);
const PATHSPACE = 'ltbgp';
const FRR = '/usr/lib/frr';
/** FRR's socket and pid directory for pathspace ltbgp. */
const RUN_DIR = path.join('/var/run/frr', PATHSPACE);

interface ChildEvent {
  ev: 'state' | 'established' | 'closed' | 'connect-error' | 'update';
  state?: string;
  kind?: string;
  message?: string;
  retryInMs?: number;
  nlri?: string[];
  asPath?: number[];
  unknown?: { flags: number; type: number; value: string }[];
  capabilities?: string[];
  peerAs?: number;
  holdTime?: number;
  at: number;
}

// ---------------------------------------------------------------------------------------------
// Child: the labtel session inside ltbgp-a.
if (process.env.LTBGP_CHILD === '1') {
  const out = (e: Omit<ChildEvent, 'at'>): void => { process.stdout.write(JSON.stringify({ ...e, at: Date.now() }) + '\n'); };
  const value = Uint8Array.from(Buffer.from('labtel-bgp-session-test'));
  const session = new Session({
    localAs: 65001, peerAs: 65002, routerId: LABTEL_ADDR, peerAddress: FRR_ADDR, localAddress: LABTEL_ADDR,
    mode: 'both', holdTime: 9, backoff: { initialMs: 250, maxMs: 2000 },
    plugin: {
      onEstablished: (w) => {
        const caps = w.peerOpen.capabilities.map((c) => (c.kind === 'unknown' ? `code:${c.code}` : c.kind === 'multiprotocol' ? `multiprotocol:${c.afi}/${c.safi}` : c.kind));
        const asn = w.peerOpen.capabilities.find((c) => c.kind === 'four-octet-as');
        out({ ev: 'established', capabilities: caps, peerAs: asn?.kind === 'four-octet-as' ? asn.asn : w.peerOpen.myAs, holdTime: w.peerOpen.holdTime });
        w.send({
          withdrawn: [], nlri: [PROBE_NLRI],
          attributes: { origin: 2, asPath: [{ type: 2, asns: [65001] }], nextHop: LABTEL_ADDR, unknown: [{ flags: 0xc0, type: ATTR_TYPE, value }] },
        });
      },
      onUpdate: (u) => {
        out({
          ev: 'update', nlri: u.nlri.toArray(), asPath: u.attributes.asPath?.flatMap((s) => s.asns) ?? [],
          unknown: (u.attributes.unknown ?? []).map((a) => ({ flags: a.flags, type: a.type, value: Buffer.from(a.value).toString('hex') })),
        });
        return undefined;
      },
    },
  });
  session.on('state', (state) => out({ ev: 'state', state }));
  session.on('closed', (r) => out({ ev: 'closed', kind: r.kind, message: r.message }));
  session.on('connect-error', (e, retryInMs) => out({ ev: 'connect-error', message: e.message, retryInMs }));
  process.on('SIGTERM', () => { void session.stop().then(() => process.exit(0)); });
  void session.start();
} else {
  // -------------------------------------------------------------------------------------------
  // Parent: namespaces, FRR, and the checks.
  const run = (cmd: string, args: string[]): string => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const vtysh = (command: string): string => run('vtysh', ['-N', PATHSPACE, '-c', command]);

  let work = '';
  let zebra: ChildProcess | undefined;
  let bgpd: ChildProcess | undefined;
  let labtel: ChildProcess | undefined;
  const events: ChildEvent[] = [];
  let created = false;

  /** An earlier run killed midway may have left its FRR daemons: end them by their pid files (only ours carry -N ltbgp). */
  function killLeftoverDaemons(): void {
    for (const name of ['bgpd', 'zebra']) {
      const pid = Number(existsSync(path.join(RUN_DIR, `${name}.pid`)) ? readFileSync(path.join(RUN_DIR, `${name}.pid`), 'utf8').trim() : NaN);
      if (!Number.isInteger(pid) || pid <= 1) continue;
      const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') : [];
      if (cmdline.includes('-N') && cmdline.includes(PATHSPACE)) process.kill(pid, 'SIGKILL');
    }
  }

  function removeNamespaces(): void {
    for (const ns of [NS_LABTEL, NS_FRR]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  }

  function startFrrDaemon(name: 'zebra' | 'bgpd'): ChildProcess {
    // FRR drops to the frr user (whose group frrvty owns the vty sockets); -N gives it its own
    // config and socket paths (/etc/frr/ltbgp, /var/run/frr/ltbgp) so it never meets another FRR.
    const child = spawn('ip', ['netns', 'exec', NS_FRR, path.join(FRR, name), '-N', PATHSPACE, '-f', path.join(work, `${name}.conf`),
      '-u', 'frr', '-g', 'frr', '-i', path.join(RUN_DIR, `${name}.pid`), '--log', `file:${path.join(work, `${name}.log`)}`], { stdio: 'ignore' });
    return child;
  }

  async function waitFor<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      let v: T | undefined;
      try { v = probe(); } catch { v = undefined; }
      if (v !== undefined && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; labtel events: ${JSON.stringify(events.slice(-10))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const waitEvent = (what: string, ms: number, pred: (e: ChildEvent) => boolean, since = 0): Promise<ChildEvent> =>
    waitFor(what, ms, () => events.find((e) => e.at >= since && pred(e)));

  function frrRoute(): { aspath: { string: string }; valid: boolean } | undefined {
    const json = JSON.parse(vtysh(`show bgp ipv4 unicast ${PROBE_NLRI} json`)) as { paths?: { aspath: { string: string }; valid: boolean }[] };
    return json.paths?.[0];
  }

  function frrPeerState(): string | undefined {
    const json = JSON.parse(vtysh(`show bgp neighbors ${LABTEL_ADDR} json`)) as Record<string, { bgpState?: string }>;
    return json[LABTEL_ADDR]?.bgpState;
  }

  after(() => {
    labtel?.kill('SIGTERM');
    bgpd?.kill('SIGKILL');
    zebra?.kill('SIGKILL');
    if (created) removeNamespaces();
    if (work) rmSync(work, { recursive: true, force: true });
    if (created) rmSync(RUN_DIR, { recursive: true, force: true });
  });

  test('labtel BGP session against FRR bgpd in network namespaces', { timeout: 120_000 }, async (t) => {
    if (!requirePrereqs(t, { root: true, tools: ['ip', 'vtysh', path.join(FRR, 'bgpd'), path.join(FRR, 'zebra')] })) return;

    // Namespaces and the veth between them.
    killLeftoverDaemons();
    removeNamespaces();
    created = true;
    run('ip', ['netns', 'add', NS_LABTEL]);
    run('ip', ['netns', 'add', NS_FRR]);
    run('ip', ['link', 'add', 'ltbgp-va', 'netns', NS_LABTEL, 'type', 'veth', 'peer', 'name', 'ltbgp-vf', 'netns', NS_FRR]);
    run('ip', ['-n', NS_LABTEL, 'addr', 'add', `${LABTEL_ADDR}/24`, 'dev', 'ltbgp-va']);
    run('ip', ['-n', NS_FRR, 'addr', 'add', `${FRR_ADDR}/24`, 'dev', 'ltbgp-vf']);
    for (const [ns, dev] of [[NS_LABTEL, 'ltbgp-va'], [NS_FRR, 'ltbgp-vf'], [NS_LABTEL, 'lo'], [NS_FRR, 'lo']] as const) run('ip', ['-n', ns, 'link', 'set', dev, 'up']);

    // FRR's files, readable and writable by the frr user it drops to.
    work = mkdtempSync(path.join(tmpdir(), 'ltbgp-'));
    const frrUser = spawnSync('id', ['-u', 'frr'], { encoding: 'utf8' });
    const frrGroup = spawnSync('id', ['-g', 'frr'], { encoding: 'utf8' });
    const uid = Number(frrUser.stdout.trim());
    const gid = Number(frrGroup.stdout.trim());
    writeFileSync(path.join(work, 'zebra.conf'), 'hostname ltbgp-zebra\n');
    writeFileSync(path.join(work, 'bgpd.conf'), [
      'hostname ltbgp-frr',
      'router bgp 65002',
      ` bgp router-id ${FRR_ADDR}`,
      ' no bgp ebgp-requires-policy',
      ` neighbor ${LABTEL_ADDR} remote-as 65001`,
      ` neighbor ${LABTEL_ADDR} timers 3 9`,
      ` neighbor ${LABTEL_ADDR} timers connect 5`,
      '',
    ].join('\n'));
    mkdirSync(RUN_DIR, { recursive: true });
    for (const p of [work, RUN_DIR, path.join(work, 'zebra.conf'), path.join(work, 'bgpd.conf')]) chownSync(p, uid, gid);

    zebra = startFrrDaemon('zebra');
    await waitFor('zebra', 10_000, () => vtysh('show version').includes('FRRouting'));
    bgpd = startFrrDaemon('bgpd');
    await waitFor('bgpd', 10_000, () => frrPeerState() !== undefined);

    labtel = spawn('ip', ['netns', 'exec', NS_LABTEL, process.execPath, '--import', 'tsx', __filename], {
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NODE_TEST'))), LTBGP_CHILD: '1', LTBGP_ATTR_TYPE: String(ATTR_TYPE) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: labtel.stdout! }).on('line', (line) => {
      try { events.push(JSON.parse(line) as ChildEvent); } catch { /* not an event */ }
    });

    await t.test('the session reaches Established with FRR (RFC 4271 §8)', async () => {
      const established = await waitEvent('labtel Established', 30_000, (e) => e.ev === 'established');
      assert.equal(await waitFor('FRR Established', 10_000, () => frrPeerState() === 'Established' || undefined), true);
      // FRR's OPEN, decoded: its real AS in the 4-octet AS capability, the hold time configured above,
      // and the capabilities labtel does not interpret kept by code.
      assert.equal(established.peerAs, 65002);
      assert.equal(established.holdTime, 9);
      for (const c of ['multiprotocol:1/1', 'route-refresh', 'four-octet-as']) assert.ok(established.capabilities?.includes(c), `${c} in ${established.capabilities?.join(', ')}`);
      assert.ok(established.capabilities?.some((c) => c.startsWith('code:')), `unknown capabilities kept: ${established.capabilities?.join(', ')}`);
    });

    await t.test(`FRR accepts the UPDATE with the unknown optional transitive attribute ${ATTR_TYPE}, and passes it on with Partial set (RFC 4271 §5, §9.1.1)`, async () => {
      // FRR lists the path as soon as it has the UPDATE, and marks it valid once zebra has answered its
      // next-hop tracking for NEXT_HOP: read it after that, or the first look may come between the two.
      const route = await waitFor('the route valid in FRR', 10_000, () => { const r = frrRoute(); return r?.valid ? r : undefined; });
      assert.equal(route.aspath.string, '65001');
      assert.equal(route.valid, true);
      // FRR advertises the route back to its eBGP peer: the attribute comes back intact, Partial now set.
      const back = await waitEvent('the route back from FRR', 10_000, (e) => e.ev === 'update' && (e.nlri ?? []).includes(PROBE_NLRI));
      assert.deepEqual(back.asPath, [65002, 65001]);
      const attr = back.unknown?.find((a) => a.type === ATTR_TYPE);
      assert.ok(attr, `attribute ${ATTR_TYPE} came back: ${JSON.stringify(back.unknown)}`);
      assert.equal(attr.value, Buffer.from('labtel-bgp-session-test').toString('hex'));
      assert.equal(attr.flags & 0xe0, 0xe0, `flags 0x${attr.flags.toString(16)}: optional, transitive, partial`);
    });

    await t.test('bgpd killed: the session reports the drop, retries with growing backoff, and re-establishes when bgpd is back', async () => {
      const killedAt = Date.now();
      bgpd!.kill('SIGKILL');
      await new Promise((r) => bgpd!.once('exit', r));
      const closed = await waitEvent('labtel reports the drop', 15_000, (e) => e.ev === 'closed', killedAt);
      assert.ok(['connection-lost', 'hold-timer-expired', 'notification-received'].includes(closed.kind!), closed.kind);
      await waitFor('three failed attempts', 15_000, () => events.filter((e) => e.ev === 'connect-error' && e.at >= killedAt).length >= 3 || undefined);
      const delays = events.filter((e) => e.ev === 'connect-error' && e.at >= killedAt).map((e) => e.retryInMs!);
      // Jittered doubling (×0.75..1): each nominal delay twice the last, up to the maximum.
      for (let i = 1; i < Math.min(delays.length, 3); i++) assert.ok(delays[i]! > delays[i - 1]!, `delays grow: ${delays.join(', ')}`);
      const restartedAt = Date.now();
      bgpd = startFrrDaemon('bgpd');
      await waitEvent('labtel Established again', 30_000, (e) => e.ev === 'established', restartedAt);
      await waitFor('the route in FRR again', 10_000, frrRoute);
      assert.equal(frrPeerState(), 'Established');
    });
  });
}

import type { AgentName } from '../../shared/agents';
import { bgpSpeakerSlots, sflowReceivers, type BgpSpeakerSlot } from '../../lab/telemetryPlan';
import type { Topology } from '../../lab/topology';

/** A ready set of flags for one agent in one node, as a quick pick or a debug configuration offers it. */
export interface AgentPreset {
  readonly agent: AgentName;
  readonly node: string;
  /** What it does, in a few words: "prober → host-1, host-3", "collector for r3's sFlow". */
  readonly label: string;
  readonly args: readonly string[];
  /** The node the agent listens to: the sFlow exporter (top-talkers, capture) or the BGP router (bgp-ping). */
  readonly peer: string;
  /** bgp-ping only: whether this speaker sends probes or answers them. */
  readonly role?: 'prober' | 'responder';
}

/** The book's probe prefixes: 100.64.0.N per host, announced only in BGP (never sent to). */
const PROBE_PREFIX_BASE = '100.64.0.';
const PROBE_INTERVAL = '2s';

/**
 * Presets from the lab's own files (src/lab/telemetryPlan.ts): top-talkers and capture where an sFlow
 * exporter sends its datagrams; bgp-ping on every host a router peers with — the prober on the sFlow
 * receiver's node (the book's monitoring host, host-2 in netgo), responders everywhere else.
 */
export function agentPresets(topology: Topology): AgentPreset[] {
  const presets: AgentPreset[] = [];
  for (const r of sflowReceivers(topology)) {
    if (!r.node) continue;
    const intf = topology.nodes.find((n) => n.name === r.node)?.interfaces[0] ?? 'eth1';
    presets.push({ agent: 'top-talkers', node: r.node, label: `collector for ${r.exporter}'s sFlow on ${r.address}:${r.port}`, args: ['--listen', `${r.address}:${r.port}`], peer: r.exporter });
    presets.push({ agent: 'capture', node: r.node, label: `${r.exporter}'s sFlow datagrams on ${intf}`, args: ['--intf', intf, '--filter', `udp port ${r.port}`], peer: r.exporter });
  }
  const slots = bgpSpeakerSlots(topology);
  const proberNode = pickProber(topology, slots);
  slots.forEach((slot, index) => {
    const prober = slot.node === proberNode;
    const others = slots.filter((s) => s.node !== slot.node).map((s) => s.node);
    presets.push({
      agent: 'bgp-ping',
      node: slot.node,
      label: prober ? `prober → ${others.join(', ') || 'no responder'} (via ${slot.router})` : `responder (via ${slot.router})`,
      args: bgpPingArgs(slot, index, prober),
      peer: slot.router,
      role: prober ? 'prober' : 'responder',
    });
  });
  return presets;
}

/** bgp-ping's flags in the book's Go-style forms (-id -nlri -laddr -raddr -las -ras, -p for a responder). */
export function bgpPingArgs(slot: BgpSpeakerSlot, index: number, prober: boolean): string[] {
  return [
    '-id', slot.node, '-nlri', `${PROBE_PREFIX_BASE}${index}`,
    '-laddr', slot.address, '-raddr', slot.routerAddress, '-las', String(slot.asn), '-ras', String(slot.routerAsn),
    ...(prober ? ['-i', PROBE_INTERVAL] : ['-p']),
  ];
}

function pickProber(topology: Topology, slots: readonly BgpSpeakerSlot[]): string | undefined {
  const receivers = new Set(sflowReceivers(topology).map((r) => r.node));
  return slots.find((s) => receivers.has(s.node))?.node ?? slots[0]?.node;
}

/** The presets for one agent in one node (the first is the default). */
export function presetsFor(topology: Topology, agent: AgentName, node?: string): AgentPreset[] {
  return agentPresets(topology).filter((p) => p.agent === agent && (node === undefined || p.node === node));
}

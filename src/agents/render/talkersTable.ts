import type { TalkerRow } from '../../shared/events';

const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 2: 'igmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 58: 'icmp6', 89: 'ospf', 132: 'sctp' };

export function protocolName(p: number): string {
  return PROTOCOL_NAMES[p] ?? String(p);
}

/** Bits per second as a person reads them: 912.4 kbit/s, 1.20 Gbit/s. SI prefixes, as iperf3 prints. */
export function formatRate(bps: number): string {
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** The top-talker table as lines of text: rank, from, to, proto, est. rate, samples, share. */
export function renderTalkersTable(rows: readonly TalkerRow[], header: string): string[] {
  const cells = rows.map((r) => [String(r.rank), r.a, r.b, protocolName(r.protocol), formatRate(r.bps), String(r.samples), `${(r.share * 100).toFixed(1)}%`]);
  const titles = ['#', 'from', 'to', 'proto', 'est. rate', 'samples', 'share'];
  const widths = titles.map((t, i) => Math.max(t.length, ...cells.map((c) => c[i]!.length)));
  const right = new Set([0, 4, 5, 6]);
  const line = (c: string[]) => c.map((v, i) => (right.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [header, line(titles), ...cells.map(line), ...(rows.length ? [] : ['(no flows in the window yet)'])];
}

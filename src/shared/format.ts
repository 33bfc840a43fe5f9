/**
 * How the panels and the CLI write numbers and protocol numbers for a person. Pure functions, shared by
 * the webviews (which may import only src/shared) and the extension.
 */

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers") a lab shows, by their usual short names. */
const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6',
  89: 'OSPF', 103: 'PIM', 112: 'VRRP', 132: 'SCTP',
};

/** "TCP", "UDP", "ICMPv6"; a number without a name stays a number; none gives "—". */
export function ipProtocolName(protocol: number | undefined): string {
  if (protocol === undefined) return '—';
  return IP_PROTOCOL_NAMES[protocol] ?? String(protocol);
}

const SI = ['', 'k', 'M', 'G', 'T'] as const;
const SI_STEP = 1000;

/** A value with an SI prefix and three significant digits: 912 kbit/s, 1.20 Gbit/s, 0 bit/s. */
export function formatSi(value: number, unit: string): string {
  let v = Math.abs(value);
  let i = 0;
  while (v >= SI_STEP && i < SI.length - 1) { v /= SI_STEP; i++; }
  const digits = i === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${value < 0 ? '-' : ''}${v.toFixed(digits)} ${SI[i]}${unit}`;
}

/** Bits per second as iperf3 prints them (SI prefixes). */
export function formatBitRate(bps: number): string {
  return formatSi(bps, 'bit/s');
}

/** Milliseconds with a precision that suits the size: 0.182 ms, 12.4 ms, 1 204 ms. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** Microseconds as µs below 10 ms, as ms above. */
export function formatUs(us: number): string {
  return us < 10_000 ? `${Math.round(us)} µs` : formatMs(us / 1000);
}

/** A wall-clock time of day with milliseconds, in the viewer's time zone: 14:03:07.412. */
export function formatTimeOfDay(ts: number): string {
  const d = new Date(ts);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** "addr:port" with IPv6 addresses in brackets (RFC 5952 section 6); no port gives the address alone. */
export function formatEndpoint(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '—';
  const a = address.includes(':') ? `[${address}]` : address;
  return port === undefined ? address : `${a}:${port}`;
}

/** The top two bits of an sFlow v5 `interface` value (sFlow v5, flow_sample: "interface" encoding). */
export const SflowInterfaceFormat = { IfIndex: 0, Discarded: 1, Multiple: 2 } as const;
/** An ifIndex of all ones in 30 bits: the packet came from or went to the agent itself (sFlow v5, flow_sample). */
export const SFLOW_INTERFACE_INTERNAL = 0x3fffffff;

/**
 * An sFlow interface as a person reads it: the ifIndex, "internal" for the agent itself, "unknown" for 0,
 * "drop N" for a discarded packet's reason, "multi" or "×N" for a packet sent out of several interfaces.
 */
export function formatSflowInterface(value: number, format: number = SflowInterfaceFormat.IfIndex): string {
  switch (format) {
    case SflowInterfaceFormat.IfIndex:
      return value === SFLOW_INTERFACE_INTERNAL ? 'internal' : value === 0 ? 'unknown' : String(value);
    case SflowInterfaceFormat.Discarded:
      return `drop ${value}`;
    case SflowInterfaceFormat.Multiple:
      return value === 0 ? 'multi' : `×${value}`;
    default:
      return `${format}:${value}`;
  }
}

import { BgpError } from './errors';

/** Capability codes, IANA "Capability Codes" registry. */
export const CapabilityCode = {
  Multiprotocol: 1, // RFC 4760 §8
  RouteRefresh: 2, // RFC 2918 §2
  GracefulRestart: 64, // RFC 4724 §3
  FourOctetAs: 65, // RFC 6793 §3
} as const;

/** RFC 4760 §8: one address family the speaker will exchange. */
export interface MultiprotocolCapability { kind: 'multiprotocol'; afi: number; safi: number }
/** RFC 2918 §2. */
export interface RouteRefreshCapability { kind: 'route-refresh' }
/** RFC 6793 §3: the speaker's real AS number. */
export interface FourOctetAsCapability { kind: 'four-octet-as'; asn: number }
/** RFC 4724 §3 (N bit from RFC 8538 §2). */
export interface GracefulRestartCapability {
  kind: 'graceful-restart';
  restarting: boolean;
  notification: boolean;
  restartTime: number;
  families: { afi: number; safi: number; forwardingPreserved: boolean }[];
}
/** Any other capability, kept as it came so it can be offered or inspected (RFC 5492 §4). */
export interface UnknownCapability { kind: 'unknown'; code: number; value: Uint8Array }

export type Capability =
  | MultiprotocolCapability
  | RouteRefreshCapability
  | FourOctetAsCapability
  | GracefulRestartCapability
  | UnknownCapability;

function malformed(offset: number, reason: string): BgpError {
  // RFC 4271 §6.2 / RFC 5492 §3: a recognised but malformed optional parameter is OPEN error, subcode 0.
  return new BgpError('bgp.open.capability', offset, reason, 2, 0);
}

/** Decodes the capabilities in one Capabilities optional parameter's value, buf[start, end). */
export function decodeCapabilities(buf: Uint8Array, start: number, end: number, into: Capability[] = []): Capability[] {
  let p = start;
  while (p < end) {
    if (p + 2 > end) throw malformed(p, 'capability header runs past the parameter');
    const code = buf[p]!;
    const len = buf[p + 1]!;
    const v = p + 2;
    if (v + len > end) throw malformed(p + 1, `capability ${code} length ${len} runs past the parameter`);
    into.push(decodeCapability(buf, code, v, len));
    p = v + len;
  }
  return into;
}

function decodeCapability(buf: Uint8Array, code: number, v: number, len: number): Capability {
  const u16 = (o: number): number => (buf[o]! << 8) | buf[o + 1]!;
  switch (code) {
    case CapabilityCode.Multiprotocol:
      if (len !== 4) throw malformed(v - 1, `multiprotocol capability length ${len}, must be 4`);
      return { kind: 'multiprotocol', afi: u16(v), safi: buf[v + 3]! };
    case CapabilityCode.RouteRefresh:
      if (len !== 0) throw malformed(v - 1, `route refresh capability length ${len}, must be 0`);
      return { kind: 'route-refresh' };
    case CapabilityCode.FourOctetAs: {
      if (len !== 4) throw malformed(v - 1, `4-octet AS capability length ${len}, must be 4`);
      const asn = ((buf[v]! << 24) | (buf[v + 1]! << 16) | (buf[v + 2]! << 8) | buf[v + 3]!) >>> 0;
      // RFC 7607 §2: AS 0 in the 4-octet AS capability is Bad Peer AS.
      if (asn === 0) throw new BgpError('bgp.open.capability', v, 'AS 0 in the 4-octet AS capability', 2, 2);
      return { kind: 'four-octet-as', asn };
    }
    case CapabilityCode.GracefulRestart: {
      if (len < 2 || (len - 2) % 4 !== 0) throw malformed(v - 1, `graceful restart capability length ${len}, must be 2 + 4n`);
      const families: GracefulRestartCapability['families'] = [];
      for (let o = v + 2; o < v + len; o += 4) {
        families.push({ afi: u16(o), safi: buf[o + 2]!, forwardingPreserved: (buf[o + 3]! & 0x80) !== 0 });
      }
      return {
        kind: 'graceful-restart',
        restarting: (buf[v]! & 0x80) !== 0,
        notification: (buf[v]! & 0x40) !== 0,
        restartTime: u16(v) & 0x0fff,
        families,
      };
    }
    default:
      return { kind: 'unknown', code, value: buf.subarray(v, v + len) };
  }
}

/** Octets of one capability's value. */
function valueLength(c: Capability): number {
  switch (c.kind) {
    case 'multiprotocol': return 4;
    case 'route-refresh': return 0;
    case 'four-octet-as': return 4;
    case 'graceful-restart': return 2 + 4 * c.families.length;
    case 'unknown': return c.value.length;
  }
}

export function capabilityCode(c: Capability): number {
  switch (c.kind) {
    case 'multiprotocol': return CapabilityCode.Multiprotocol;
    case 'route-refresh': return CapabilityCode.RouteRefresh;
    case 'four-octet-as': return CapabilityCode.FourOctetAs;
    case 'graceful-restart': return CapabilityCode.GracefulRestart;
    case 'unknown': return c.code;
  }
}

/** Octets the capabilities take inside a Capabilities parameter (each: code, length, value). */
export function capabilitiesLength(caps: readonly Capability[]): number {
  let n = 0;
  for (const c of caps) n += 2 + valueLength(c);
  return n;
}

/** Writes the capabilities at `offset`; returns the offset past them. */
export function writeCapabilities(caps: readonly Capability[], out: Uint8Array, offset: number): number {
  let p = offset;
  for (const c of caps) {
    const len = valueLength(c);
    if (len > 255) throw new RangeError(`capability ${capabilityCode(c)} value of ${len} octets does not fit`);
    out[p] = capabilityCode(c);
    out[p + 1] = len;
    const v = p + 2;
    switch (c.kind) {
      case 'multiprotocol':
        out[v] = c.afi >>> 8; out[v + 1] = c.afi & 0xff; out[v + 2] = 0; out[v + 3] = c.safi;
        break;
      case 'four-octet-as':
        out[v] = c.asn >>> 24; out[v + 1] = (c.asn >>> 16) & 0xff; out[v + 2] = (c.asn >>> 8) & 0xff; out[v + 3] = c.asn & 0xff;
        break;
      case 'graceful-restart': {
        const word = (c.restarting ? 0x8000 : 0) | (c.notification ? 0x4000 : 0) | (c.restartTime & 0x0fff);
        out[v] = word >>> 8; out[v + 1] = word & 0xff;
        c.families.forEach((f, i) => {
          const o = v + 2 + 4 * i;
          out[o] = f.afi >>> 8; out[o + 1] = f.afi & 0xff; out[o + 2] = f.safi; out[o + 3] = f.forwardingPreserved ? 0x80 : 0;
        });
        break;
      }
      case 'unknown':
        out.set(c.value, v);
        break;
      case 'route-refresh':
        break;
    }
    p = v + len;
  }
  return p;
}

import { BgpError } from './errors';
import { HEADER_LENGTH, MessageType, writeHeader } from './header';

/** RFC 2918 §3: a request to re-advertise one address family (RFC 7313 puts a subtype in the reserved octet). */
export interface RouteRefreshMessage {
  afi: number;
  subtype: number;
  safi: number;
}

/** Decodes a ROUTE-REFRESH body buf[offset, end); a length other than 4 octets is RFC 7313 §5's Invalid Message Length. */
export function decodeRouteRefresh(buf: Uint8Array, offset: number, end: number): RouteRefreshMessage {
  if (end - offset !== 4) {
    throw new BgpError('bgp.route_refresh', offset, `body of ${end - offset} octets, must be 4`, 7, 1, buf.subarray(offset - HEADER_LENGTH, end));
  }
  return { afi: (buf[offset]! << 8) | buf[offset + 1]!, subtype: buf[offset + 2]!, safi: buf[offset + 3]! };
}

export function encodeRouteRefresh(r: { afi: number; safi: number; subtype?: number }): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH + 4);
  writeHeader(out, 0, out.length, MessageType.RouteRefresh);
  out[19] = r.afi >>> 8; out[20] = r.afi & 0xff; out[21] = r.subtype ?? 0; out[22] = r.safi;
  return out;
}

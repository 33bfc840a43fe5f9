import { need } from '../decodeError';
import type { DecodeContext } from './attributes';
import { decodeHeader, HEADER_LENGTH, MessageType } from './header';
import { decodeNotification, type NotificationMessage } from './notification';
import { decodeOpen, type OpenMessage } from './open';
import { decodeRouteRefresh, type RouteRefreshMessage } from './routeRefresh';
import { decodeUpdate, type DecodedUpdate } from './update';

/** One decoded BGP message; `length` is the whole message's, header included. */
export type BgpMessage =
  | { kind: 'open'; length: number; open: OpenMessage }
  | { kind: 'update'; length: number; update: DecodedUpdate }
  | { kind: 'notification'; length: number; notification: NotificationMessage }
  | { kind: 'keepalive'; length: number }
  | { kind: 'route-refresh'; length: number; routeRefresh: RouteRefreshMessage };

/**
 * For a stream reader: how many octets the message starting at `offset` takes, or 0 when fewer than a
 * header's 19 octets are buffered. Checks the header (marker, length, type) so a desynchronised stream
 * is caught on its first bad header (RFC 4271 §6.1).
 */
export function messageLength(buf: Uint8Array, offset: number, end: number = buf.length): number {
  if (end - offset < HEADER_LENGTH) return 0;
  return decodeHeader(buf, offset, end).length;
}

/** Decodes the whole message at `offset`; the buffer must hold all of it (see `messageLength`). */
export function decodeMessage(buf: Uint8Array, offset: number, ctx: DecodeContext): BgpMessage {
  const { length, type } = decodeHeader(buf, offset, buf.length);
  const body = offset + HEADER_LENGTH;
  const end = offset + length;
  need('bgp.message', offset, length, buf.length);
  switch (type) {
    case MessageType.Open: return { kind: 'open', length, open: decodeOpen(buf, body, end) };
    case MessageType.Update: return { kind: 'update', length, update: decodeUpdate(buf, body, end, ctx) };
    case MessageType.Notification: return { kind: 'notification', length, notification: decodeNotification(buf, body, end) };
    case MessageType.Keepalive: return { kind: 'keepalive', length };
    case MessageType.RouteRefresh: return { kind: 'route-refresh', length, routeRefresh: decodeRouteRefresh(buf, body, end) };
  }
}

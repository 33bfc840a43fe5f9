import { AttrFlag, AttrType, isKnownAttribute } from './attributes';
import { HEADER_LENGTH, MessageType } from './header';

/**
 * Where the first path attribute of `type` is in the whole UPDATE message `msg` (header included): the
 * offset of its flags octet, or -1 when there is none or the message's framing does not hold.
 *
 * The framing checked is what RFC 7606 §5.3 and §4 need to locate things: the header's length is the
 * message's, the withdrawn routes and the path attributes (RFC 4271 §4.3) end inside it, every attribute
 * header and value ends inside the path attributes, every prefix of the withdrawn routes and NLRI is a
 * length of at most 32 followed by its octets, and no attribute is an unrecognised well-known one
 * (§6.3: Optional clear). With MP_REACH_NLRI or MP_UNREACH_NLRI present it gives -1 too: their errors
 * reset the session (RFC 7606 §7.11) and this does not decode them. So where this finds the attribute,
 * `decodeUpdate` (RFC 7606 handling) does not reset the session, and keeps that same attribute.
 *
 * The other attributes' contents are not decoded: this is for acting on one attribute before the whole
 * UPDATE is (bgp-ping's responder answering a probe), with `decodeUpdate` still to check the rest.
 */
export function findAttribute(msg: Uint8Array, type: number): number {
  const length = msg.length;
  if (length < HEADER_LENGTH + 4 || msg[18] !== MessageType.Update || ((msg[16]! << 8) | msg[17]!) !== length) return -1;
  const wStart = HEADER_LENGTH + 2;
  const wEnd = wStart + ((msg[HEADER_LENGTH]! << 8) | msg[HEADER_LENGTH + 1]!);
  if (wEnd + 2 > length || !prefixesFit(msg, wStart, wEnd)) return -1;
  const aStart = wEnd + 2;
  const aEnd = aStart + ((msg[wEnd]! << 8) | msg[wEnd + 1]!);
  if (aEnd > length || !prefixesFit(msg, aEnd, length)) return -1;
  let found = -1;
  for (let p = aStart; p < aEnd; ) {
    const flags = msg[p]!;
    const headLength = flags & AttrFlag.ExtendedLength ? 4 : 3;
    if (p + headLength > aEnd) return -1;
    const t = msg[p + 1]!;
    const next = p + headLength + (headLength === 4 ? (msg[p + 2]! << 8) | msg[p + 3]! : msg[p + 2]!);
    if (next > aEnd) return -1;
    if (t === AttrType.MpReachNlri || t === AttrType.MpUnreachNlri || ((flags & AttrFlag.Optional) === 0 && !isKnownAttribute(t))) return -1;
    if (t === type && found < 0) found = p;
    p = next;
  }
  return found;
}

/** The offset of the value of the attribute whose flags octet is at `at`. */
export function attributeValueStart(msg: Uint8Array, at: number): number {
  return at + (msg[at]! & AttrFlag.ExtendedLength ? 4 : 3);
}

/** The offset just past the value of the attribute whose flags octet is at `at`. */
export function attributeValueEnd(msg: Uint8Array, at: number): number {
  return msg[at]! & AttrFlag.ExtendedLength ? at + 4 + ((msg[at + 2]! << 8) | msg[at + 3]!) : at + 3 + msg[at + 2]!;
}

/** RFC 4271 §4.3 IPv4 prefixes in buf[start, end): each a length ≤ 32 and then the octets it needs. */
function prefixesFit(buf: Uint8Array, start: number, end: number): boolean {
  let p = start;
  while (p < end) {
    const bits = buf[p]!;
    if (bits > 32) return false;
    p += 1 + ((bits + 7) >>> 3);
  }
  return p === end;
}

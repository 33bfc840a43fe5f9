import { Afi } from './address';
import { attributesLength, AttrType, decodeAttributes, withAllFields, writeAttributes, type DecodeContext, type EncodeContext, type PathAttributes } from './attributes';
import { BgpError, moreSevere, type ErrorAction } from './errors';
import { allocMessage, HEADER_LENGTH, MAX_MESSAGE_LENGTH, MessageType, writeHeader } from './header';
import { prefixesWireLength, scanPrefixes, writePrefixes, type PrefixList, type Prefixes } from './prefix';

/** RFC 4271 §4.3: IPv4 withdrawn routes, path attributes, IPv4 NLRI (other families travel in MP_REACH/MP_UNREACH). */
export interface UpdateMessage {
  withdrawn: Prefixes;
  attributes: PathAttributes;
  nlri: Prefixes;
}

export interface DecodedUpdate extends UpdateMessage {
  withdrawn: PrefixList;
  nlri: PrefixList;
  /** RFC 7606 errors that did not reset the session (empty for a well-formed UPDATE). */
  errors: BgpError[];
  /** The strongest handling among `errors`: 'treat-as-withdraw' means every announced prefix is to be taken as withdrawn. */
  action: ErrorAction | undefined;
}

/** RFC 7606 §5.3: a withdrawn-routes or NLRI field that does not parse resets the session (Invalid Network Field). */
const WITHDRAWN_ERROR = { what: 'bgp.update.withdrawn', code: 3, subcode: 10, action: 'session-reset' } as const;
const NLRI_ERROR = { what: 'bgp.update.nlri', code: 3, subcode: 10, action: 'session-reset' } as const;

/** Well-known mandatory attributes, RFC 4271 §5 (NEXT_HOP only when the UPDATE carries IPv4 NLRI in its own field). */
const MANDATORY = [AttrType.Origin, AttrType.AsPath, AttrType.NextHop] as const;

/**
 * Decodes an UPDATE body buf[offset, end) (just past the header). Framing errors — withdrawn routes or
 * path attributes running past the message, an NLRI field that does not parse — make the NLRI impossible
 * to locate, so they reset the session (RFC 7606 §5.3) and throw; attribute errors are handled as RFC
 * 7606 §7 says per attribute (see `decodeAttributes`), then the well-known mandatory attributes are
 * checked (§3 (d): missing ones are treat-as-withdraw).
 */
export function decodeUpdate(buf: Uint8Array, offset: number, end: number, ctx: DecodeContext): DecodedUpdate {
  if (end - offset < 4) throw new BgpError('bgp.update', offset, 'shorter than 4 octets', 1, 2);
  const withdrawnLen = (buf[offset]! << 8) | buf[offset + 1]!;
  const wStart = offset + 2;
  const wEnd = wStart + withdrawnLen;
  if (wEnd + 2 > end) {
    throw new BgpError('bgp.update', offset, `withdrawn routes length ${withdrawnLen} runs past the message`, 3, 1);
  }
  const withdrawn = scanPrefixes(buf, wStart, wEnd, Afi.Ipv4, WITHDRAWN_ERROR);
  const attrLen = (buf[wEnd]! << 8) | buf[wEnd + 1]!;
  const aStart = wEnd + 2;
  const aEnd = aStart + attrLen;
  if (aEnd > end) {
    throw new BgpError('bgp.update', wEnd, `total path attribute length ${attrLen} runs past the message`, 3, 1);
  }
  const nlri = scanPrefixes(buf, aEnd, end, Afi.Ipv4, NLRI_ERROR);
  const errors: BgpError[] = [];
  const attributes = attrLen === 0 ? decodeAttributes(buf, aStart, aStart, ctx, errors) : decodeAttributes(buf, aStart, aEnd, ctx, errors);

  // RFC 4271 §6.3 / RFC 7606 §3 (d): an UPDATE announcing routes needs ORIGIN, AS_PATH, and NEXT_HOP
  // when it has IPv4 NLRI of its own. Attributes dropped as malformed are already reported, not missing.
  const announces = nlri.count > 0 || (attributes.mpReach !== undefined && attributes.mpReach.nlri.length > 0);
  if (announces) {
    for (const type of MANDATORY) {
      if (type === AttrType.NextHop && nlri.count === 0) continue;
      const present = type === AttrType.Origin ? attributes.origin !== undefined : type === AttrType.AsPath ? attributes.asPath !== undefined : attributes.nextHop !== undefined;
      if (!present && !errors.some((e) => e.attributeType === type)) {
        const e = new BgpError('bgp.update', aStart, `missing well-known attribute ${type}`, 3, 3, Uint8Array.of(type), 'treat-as-withdraw');
        if (ctx.strict) throw e;
        errors.push(e);
      }
    }
  }
  let action: ErrorAction | undefined;
  for (const e of errors) action = action === undefined ? e.action : moreSevere(action, e.action);
  return { withdrawn, attributes, nlri, errors, action };
}

/** Octets the whole UPDATE message takes. */
export function updateLength(u: UpdateMessage, ctx: EncodeContext): number {
  return HEADER_LENGTH + 4 + prefixesWireLength(u.withdrawn, Afi.Ipv4) + attributesLength(u.attributes, ctx) + prefixesWireLength(u.nlri, Afi.Ipv4);
}

/** A whole UPDATE message. Throws a RangeError when it would exceed 4096 octets (RFC 4271 §4.1). */
export function encodeUpdate(u: UpdateMessage, ctx: EncodeContext): Uint8Array {
  const attributes = withAllFields(u.attributes);
  const wLen = prefixesWireLength(u.withdrawn, Afi.Ipv4);
  const aLen = attributesLength(attributes, ctx);
  const length = HEADER_LENGTH + 4 + wLen + aLen + prefixesWireLength(u.nlri, Afi.Ipv4);
  if (length > MAX_MESSAGE_LENGTH) throw new RangeError(`UPDATE of ${length} octets exceeds ${MAX_MESSAGE_LENGTH}`);
  const out = allocMessage(length);
  writeHeader(out, 0, length, MessageType.Update);
  let p = HEADER_LENGTH;
  out[p] = wLen >>> 8;
  out[p + 1] = wLen & 0xff;
  p = writePrefixes(u.withdrawn, Afi.Ipv4, out, p + 2);
  out[p] = aLen >>> 8;
  out[p + 1] = aLen & 0xff;
  p = writeAttributes(attributes, ctx, out, p + 2);
  writePrefixes(u.nlri, Afi.Ipv4, out, p);
  return out;
}

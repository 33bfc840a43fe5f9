// Malformed BGP messages with the NOTIFICATION each must draw (RFC 4271 §6, RFC 7606 handling). Shared
// by the pure decode test (malformed.test.ts) and the live session test (test/unit/bgp/sessionMalformed.test.ts).
// Bytes are written out: M is the 16-octet all-ones marker (RFC 4271 §4.1), then length, type, body.
import type { ErrorAction } from '../../../../src/protocols/bgp';

export const M = 'ffffffffffffffffffffffffffffffff';

/** Hex text (spaces allowed) → bytes. */
export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

// Path attributes used below (RFC 4271 §4.3, 4-octet ASNs per RFC 6793):
const ORIGIN = '40 01 01 00'; // ORIGIN IGP
const AS_PATH4 = '40 02 06 02 01 0000fde9'; // AS_SEQUENCE [65001]
const NEXT_HOP = '40 03 04 c0000202'; // 192.0.2.2
const NLRI = '18 c63364'; // 198.51.100.0/24

export interface MalformedCase {
  name: string;
  /** Where the RFC says what this error is and how it is handled. */
  rfc: string;
  /** The whole message as sent on the wire. */
  bytes: string;
  /** 'open': sent as the first message of a connection; 'established': sent once the session is Established. */
  phase: 'open' | 'established';
  /** Whether the peer announced the 4-octet AS capability (RFC 6793), which decides how AS_PATH is read. */
  fourOctetAs: boolean;
  code: number;
  subcode: number;
  /** RFC 7606 handling (session-reset for everything that is not an UPDATE attribute error). */
  action: ErrorAction;
  /** The NOTIFICATION's data field, when the RFC prescribes it. */
  data?: string;
  /** Only a live session can see it (needs configuration, such as the expected peer AS, or the FSM state). */
  sessionOnly?: boolean;
}

export const malformedCases: MalformedCase[] = [
  { name: 'marker not all ones', rfc: 'RFC 4271 §6.1', phase: 'open', fourOctetAs: true,
    bytes: `fe${M.slice(2)} 0013 04`, code: 1, subcode: 1, action: 'session-reset' },
  { name: 'length below 19', rfc: 'RFC 4271 §6.1', phase: 'open', fourOctetAs: true,
    bytes: `${M} 0012 04`, code: 1, subcode: 2, action: 'session-reset', data: '0012' },
  { name: 'length above 4096', rfc: 'RFC 4271 §6.1', phase: 'established', fourOctetAs: true,
    bytes: `${M} 1001 02`, code: 1, subcode: 2, action: 'session-reset', data: '1001' },
  { name: 'KEEPALIVE longer than 19', rfc: 'RFC 4271 §6.1', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0014 04 00`, code: 1, subcode: 2, action: 'session-reset', data: '0014' },
  { name: 'NOTIFICATION shorter than 21', rfc: 'RFC 4271 §6.1', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0014 03 06`, code: 1, subcode: 2, action: 'session-reset', data: '0014' },
  { name: 'unknown message type 9', rfc: 'RFC 4271 §6.1', phase: 'open', fourOctetAs: true,
    bytes: `${M} 0013 09`, code: 1, subcode: 3, action: 'session-reset', data: '09' },
  { name: 'OPEN version 3', rfc: 'RFC 4271 §6.2', phase: 'open', fourOctetAs: true,
    bytes: `${M} 001d 01  03 fde9 005a c0000202 00`, code: 2, subcode: 1, action: 'session-reset', data: '0004' },
  { name: 'OPEN My AS 0', rfc: 'RFC 7607 §2, RFC 4271 §6.2', phase: 'open', fourOctetAs: true,
    bytes: `${M} 001d 01  04 0000 005a c0000202 00`, code: 2, subcode: 2, action: 'session-reset' },
  { name: 'OPEN from an unexpected AS', rfc: 'RFC 4271 §6.2', phase: 'open', fourOctetAs: true, sessionOnly: true,
    bytes: `${M} 001d 01  04 fe4b 005a c0000202 00`, code: 2, subcode: 2, action: 'session-reset' },
  { name: 'OPEN hold time 2', rfc: 'RFC 4271 §6.2', phase: 'open', fourOctetAs: true,
    bytes: `${M} 001d 01  04 fde9 0002 c0000202 00`, code: 2, subcode: 6, action: 'session-reset' },
  { name: 'OPEN BGP Identifier 0.0.0.0', rfc: 'RFC 4271 §6.2, RFC 6286 §2.2', phase: 'open', fourOctetAs: true,
    bytes: `${M} 001d 01  04 fde9 005a 00000000 00`, code: 2, subcode: 3, action: 'session-reset' },
  { name: 'OPEN optional parameters length overruns the message', rfc: 'RFC 4271 §6.2', phase: 'open', fourOctetAs: true,
    bytes: `${M} 0021 01  04 fde9 005a c0000202 0a  02 02 02 00`, code: 2, subcode: 0, action: 'session-reset' },
  { name: 'OPEN unsupported optional parameter (authentication, type 1)', rfc: 'RFC 4271 §6.2, RFC 5492 §4', phase: 'open', fourOctetAs: true,
    bytes: `${M} 0020 01  04 fde9 005a c0000202 03  01 01 00`, code: 2, subcode: 4, action: 'session-reset' },
  { name: 'OPEN capability length overruns its parameter', rfc: 'RFC 5492 §4, RFC 4271 §6.2', phase: 'open', fourOctetAs: true,
    bytes: `${M} 0021 01  04 fde9 005a c0000202 04  02 02 41 04`, code: 2, subcode: 0, action: 'session-reset' },
  { name: 'UPDATE before OPEN (in OpenSent)', rfc: 'RFC 6608 §4, RFC 4271 §8.2.2', phase: 'open', fourOctetAs: true, sessionOnly: true,
    bytes: `${M} 0017 02  0000 0000`, code: 5, subcode: 1, action: 'session-reset' },
  { name: 'UPDATE withdrawn routes length overruns the message', rfc: 'RFC 4271 §6.3, RFC 7606 §5.3', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0017 02  0010 0000`, code: 3, subcode: 1, action: 'session-reset' },
  { name: 'UPDATE total path attribute length overruns the message', rfc: 'RFC 4271 §6.3, RFC 7606 §5.3', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0017 02  0000 0010`, code: 3, subcode: 1, action: 'session-reset' },
  { name: 'UPDATE NLRI prefix length 33', rfc: 'RFC 4271 §6.3, RFC 7606 §5.3', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0031 02  0000 0014 ${ORIGIN} ${AS_PATH4} ${NEXT_HOP}  21 0a000000 00`, code: 3, subcode: 10, action: 'session-reset' },
  { name: 'UPDATE withdrawn prefix runs past the field', rfc: 'RFC 4271 §6.3, RFC 7606 §5.3', phase: 'established', fourOctetAs: true,
    bytes: `${M} 001a 02  0003 18 0a00  0000`, code: 3, subcode: 10, action: 'session-reset' },
  { name: 'UPDATE malformed AS_PATH (segment overruns, 4-octet)', rfc: 'RFC 4271 §6.3, RFC 7606 §7.2', phase: 'established', fourOctetAs: true,
    bytes: `${M} 002f 02  0000 0014 ${ORIGIN} 40 02 06 02 02 0000fde9 ${NEXT_HOP} ${NLRI}`, code: 3, subcode: 11, action: 'treat-as-withdraw' },
  { name: 'UPDATE malformed AS_PATH (segment overruns, 2-octet)', rfc: 'RFC 4271 §6.3, RFC 7606 §7.2', phase: 'established', fourOctetAs: false,
    bytes: `${M} 002d 02  0000 0012 ${ORIGIN} 40 02 04 02 02 fde9 ${NEXT_HOP} ${NLRI}`, code: 3, subcode: 11, action: 'treat-as-withdraw' },
  { name: 'UPDATE AS_PATH with an unknown segment type', rfc: 'RFC 7606 §7.2', phase: 'established', fourOctetAs: true,
    bytes: `${M} 002f 02  0000 0014 ${ORIGIN} 40 02 06 07 01 0000fde9 ${NEXT_HOP} ${NLRI}`, code: 3, subcode: 11, action: 'treat-as-withdraw' },
  { name: 'UPDATE attribute length overruns the path attributes', rfc: 'RFC 4271 §6.3, RFC 7606 §4', phase: 'established', fourOctetAs: true,
    bytes: `${M} 002f 02  0000 0014 ${ORIGIN} ${AS_PATH4} 40 03 08 c0000202 ${NLRI}`, code: 3, subcode: 5, action: 'treat-as-withdraw' },
  { name: 'UPDATE duplicate ORIGIN', rfc: 'RFC 4271 §6.3, RFC 7606 §3 (g)', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0033 02  0000 0018 ${ORIGIN} ${ORIGIN} ${AS_PATH4} ${NEXT_HOP} ${NLRI}`, code: 3, subcode: 1, action: 'attribute-discard' },
  { name: 'UPDATE duplicate MP_REACH_NLRI', rfc: 'RFC 7606 §3 (g)', phase: 'established', fourOctetAs: true,
    bytes: `${M} 005e 02  0000 0047 ${ORIGIN} ${AS_PATH4}
      80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8
      80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8`, code: 3, subcode: 1, action: 'session-reset' },
  { name: 'UPDATE missing ORIGIN', rfc: 'RFC 4271 §6.3, RFC 7606 §3 (d)', phase: 'established', fourOctetAs: true,
    bytes: `${M} 002b 02  0000 0010 ${AS_PATH4} ${NEXT_HOP} ${NLRI}`, code: 3, subcode: 3, action: 'treat-as-withdraw', data: '01' },
  { name: 'UPDATE ORIGIN value 3', rfc: 'RFC 4271 §6.3, RFC 7606 §7.1', phase: 'established', fourOctetAs: true,
    bytes: `${M} 002f 02  0000 0014 40 01 01 03 ${AS_PATH4} ${NEXT_HOP} ${NLRI}`, code: 3, subcode: 6, action: 'treat-as-withdraw', data: '40010103' },
  { name: 'UPDATE NEXT_HOP 0.0.0.0', rfc: 'RFC 4271 §6.3, RFC 7606 §7.3', phase: 'established', fourOctetAs: true,
    bytes: `${M} 002f 02  0000 0014 ${ORIGIN} ${AS_PATH4} 40 03 04 00000000 ${NLRI}`, code: 3, subcode: 8, action: 'treat-as-withdraw', data: '40030400000000' },
  { name: 'UPDATE ORIGIN with the Optional flag (flags error)', rfc: 'RFC 4271 §6.3, RFC 7606 §3 (c)', phase: 'established', fourOctetAs: true,
    bytes: `${M} 002f 02  0000 0014 c0 01 01 00 ${AS_PATH4} ${NEXT_HOP} ${NLRI}`, code: 3, subcode: 4, action: 'treat-as-withdraw', data: 'c0010100' },
  { name: 'UPDATE NEXT_HOP with the Partial flag (flags error)', rfc: 'RFC 4271 §4.3, §6.3, RFC 7606 §3 (c)', phase: 'established', fourOctetAs: true,
    bytes: `${M} 002f 02  0000 0014 ${ORIGIN} ${AS_PATH4} 60 03 04 c0000202 ${NLRI}`, code: 3, subcode: 4, action: 'treat-as-withdraw', data: '600304c0000202' },
  { name: 'UPDATE unrecognized well-known attribute 99', rfc: 'RFC 4271 §6.3', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0033 02  0000 0018 ${ORIGIN} ${AS_PATH4} ${NEXT_HOP} 40 63 01 00 ${NLRI}`, code: 3, subcode: 2, action: 'session-reset', data: '40630100' },
  { name: 'UPDATE MULTI_EXIT_DISC of 3 octets', rfc: 'RFC 4271 §6.3, RFC 7606 §7.4', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0035 02  0000 001a ${ORIGIN} ${AS_PATH4} ${NEXT_HOP} 80 04 03 000001 ${NLRI}`, code: 3, subcode: 5, action: 'treat-as-withdraw' },
  { name: 'UPDATE COMMUNITIES of 5 octets', rfc: 'RFC 1997, RFC 7606 §7.8', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0037 02  0000 001c ${ORIGIN} ${AS_PATH4} ${NEXT_HOP} c0 08 05 fde9000100 ${NLRI}`, code: 3, subcode: 5, action: 'treat-as-withdraw' },
  { name: 'UPDATE malformed AS4_PATH', rfc: 'RFC 6793 §6', phase: 'established', fourOctetAs: false,
    bytes: `${M} 0034 02  0000 0019 ${ORIGIN} 40 02 04 02 01 5ba0 ${NEXT_HOP} c0 11 04 02 01 0000 ${NLRI}`, code: 3, subcode: 9, action: 'attribute-discard' },
  { name: 'UPDATE ATOMIC_AGGREGATE with a value', rfc: 'RFC 4271 §6.3, RFC 7606 §7.6', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0033 02  0000 0018 ${ORIGIN} ${AS_PATH4} ${NEXT_HOP} 40 06 01 00 ${NLRI}`, code: 3, subcode: 5, action: 'attribute-discard' },
  { name: 'UPDATE MP_REACH_NLRI next hop length 5', rfc: 'RFC 4760 §3, RFC 7606 §7.11', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0036 02  0000 001f ${ORIGIN} ${AS_PATH4} 80 0e 0f 0002 01 05 2001000000 00 20 20010db8`, code: 3, subcode: 9, action: 'session-reset' },
  { name: 'ROUTE-REFRESH of 5 octets', rfc: 'RFC 7313 §5', phase: 'established', fourOctetAs: true,
    bytes: `${M} 0018 05  0001 00 01 00`, code: 7, subcode: 1, action: 'session-reset' },
];

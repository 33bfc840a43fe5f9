import { need } from '../decodeError';
import { BgpError } from './errors';
import { HEADER_LENGTH, MessageType, writeHeader } from './header';

/**
 * NOTIFICATION error codes, RFC 4271 §4.5 (names as the RFC and the IANA "BGP Error (Notification)
 * Codes" registry spell them). Code 7 is RFC 7313's ROUTE-REFRESH Message Error.
 */
export const ErrorCode = {
  MessageHeader: 1,
  OpenMessage: 2,
  UpdateMessage: 3,
  HoldTimerExpired: 4,
  FiniteStateMachine: 5,
  Cease: 6,
  RouteRefreshMessage: 7,
} as const;

/** Message Header Error subcodes, RFC 4271 §4.5 / §6.1. */
export const HeaderSubcode = { ConnectionNotSynchronized: 1, BadMessageLength: 2, BadMessageType: 3 } as const;

/** OPEN Message Error subcodes, RFC 4271 §4.5 / §6.2; 7 from RFC 5492, 11 from RFC 9234. */
export const OpenSubcode = {
  Unspecific: 0,
  UnsupportedVersionNumber: 1,
  BadPeerAs: 2,
  BadBgpIdentifier: 3,
  UnsupportedOptionalParameter: 4,
  UnacceptableHoldTime: 6,
  UnsupportedCapability: 7,
  RoleMismatch: 11,
} as const;

/** UPDATE Message Error subcodes, RFC 4271 §4.5 / §6.3 (7 is deprecated). */
export const UpdateSubcode = {
  MalformedAttributeList: 1,
  UnrecognizedWellKnownAttribute: 2,
  MissingWellKnownAttribute: 3,
  AttributeFlagsError: 4,
  AttributeLengthError: 5,
  InvalidOriginAttribute: 6,
  InvalidNextHopAttribute: 8,
  OptionalAttributeError: 9,
  InvalidNetworkField: 10,
  MalformedAsPath: 11,
} as const;

/** Finite State Machine Error subcodes, RFC 6608 §4. */
export const FsmSubcode = {
  Unspecified: 0,
  UnexpectedMessageInOpenSent: 1,
  UnexpectedMessageInOpenConfirm: 2,
  UnexpectedMessageInEstablished: 3,
} as const;

/** Cease subcodes, RFC 4486 §4 (9 Hard Reset from RFC 8538, 10 BFD Down from RFC 9384). */
export const CeaseSubcode = {
  MaximumNumberOfPrefixesReached: 1,
  AdministrativeShutdown: 2,
  PeerDeConfigured: 3,
  AdministrativeReset: 4,
  ConnectionRejected: 5,
  OtherConfigurationChange: 6,
  ConnectionCollisionResolution: 7,
  OutOfResources: 8,
  HardReset: 9,
  BfdDown: 10,
} as const;

const codeNames: Record<number, string> = {
  1: 'Message Header Error',
  2: 'OPEN Message Error',
  3: 'UPDATE Message Error',
  4: 'Hold Timer Expired',
  5: 'Finite State Machine Error',
  6: 'Cease',
  7: 'ROUTE-REFRESH Message Error',
};

const subcodeNames: Record<number, Record<number, string>> = {
  1: { 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' },
  2: {
    0: 'Unspecific', 1: 'Unsupported Version Number', 2: 'Bad Peer AS', 3: 'Bad BGP Identifier',
    4: 'Unsupported Optional Parameter', 6: 'Unacceptable Hold Time', 7: 'Unsupported Capability', 11: 'Role Mismatch',
  },
  3: {
    1: 'Malformed Attribute List', 2: 'Unrecognized Well-known Attribute', 3: 'Missing Well-known Attribute',
    4: 'Attribute Flags Error', 5: 'Attribute Length Error', 6: 'Invalid ORIGIN Attribute',
    8: 'Invalid NEXT_HOP Attribute', 9: 'Optional Attribute Error', 10: 'Invalid Network Field', 11: 'Malformed AS_PATH',
  },
  5: {
    0: 'Unspecified Error', 1: 'Receive Unexpected Message in OpenSent State',
    2: 'Receive Unexpected Message in OpenConfirm State', 3: 'Receive Unexpected Message in Established State',
  },
  6: {
    1: 'Maximum Number of Prefixes Reached', 2: 'Administrative Shutdown', 3: 'Peer De-configured',
    4: 'Administrative Reset', 5: 'Connection Rejected', 6: 'Other Configuration Change',
    7: 'Connection Collision Resolution', 8: 'Out of Resources', 9: 'Hard Reset', 10: 'BFD Down',
  },
  7: { 1: 'Invalid Message Length' },
};

/** "UPDATE Message Error / Malformed AS_PATH (3/11)" — for logs and events. */
export function describeNotification(code: number, subcode: number): string {
  const c = codeNames[code] ?? `Unknown error code ${code}`;
  const s = subcodeNames[code]?.[subcode] ?? (subcode === 0 ? 'Unspecific' : `subcode ${subcode}`);
  return `${c} / ${s} (${code}/${subcode})`;
}

/** RFC 4271 §4.5: error code, subcode and data (the data is a view into the message, not a copy). */
export interface NotificationMessage {
  code: number;
  subcode: number;
  data: Uint8Array;
}

/**
 * Decodes the NOTIFICATION body at `offset` (just past the header) up to `end`. RFC 9003's Shutdown
 * Communication is left in `data` for the caller to read.
 */
export function decodeNotification(buf: Uint8Array, offset: number, end: number): NotificationMessage {
  if (end - offset < 2) {
    throw new BgpError('bgp.notification', offset, 'shorter than 2 octets', ErrorCode.MessageHeader, HeaderSubcode.BadMessageLength);
  }
  need('bgp.notification', offset, 2, end);
  return { code: buf[offset]!, subcode: buf[offset + 1]!, data: buf.subarray(offset + 2, end) };
}

/** A whole NOTIFICATION message, header included. */
export function encodeNotification(n: { code: number; subcode: number; data?: Uint8Array }): Uint8Array {
  const data = n.data ?? new Uint8Array(0);
  const length = HEADER_LENGTH + 2 + data.length;
  const out = new Uint8Array(Math.min(length, 4096));
  writeHeader(out, 0, out.length, MessageType.Notification);
  out[HEADER_LENGTH] = n.code;
  out[HEADER_LENGTH + 1] = n.subcode;
  // Data that would exceed the 4096-octet maximum is cut rather than sent malformed.
  out.set(data.subarray(0, out.length - HEADER_LENGTH - 2), HEADER_LENGTH + 2);
  return out;
}

import { DecodeError } from '../decodeError';

/**
 * How RFC 7606 §2 says a receiver handles a malformed UPDATE (and, for every other message, the only
 * answer RFC 4271 §6 has: a NOTIFICATION and closing the session).
 * - session-reset: send the NOTIFICATION and close.
 * - treat-as-withdraw: keep the session; every prefix the UPDATE announces is treated as withdrawn.
 * - attribute-discard: keep the session; drop the malformed attribute and process the rest.
 */
export type ErrorAction = 'session-reset' | 'treat-as-withdraw' | 'attribute-discard';

const severity: Record<ErrorAction, number> = { 'attribute-discard': 0, 'treat-as-withdraw': 1, 'session-reset': 2 };

/**
 * A malformed BGP message, carrying what the NOTIFICATION for it would carry (RFC 4271 §4.5 code,
 * subcode, data) beside the byte offset where the decoder found it and RFC 7606's handling.
 */
export class BgpError extends DecodeError {
  constructor(
    what: string,
    offset: number,
    reason: string,
    readonly code: number,
    readonly subcode: number,
    /** The NOTIFICATION's Data field as RFC 4271 §6 prescribes it for this error (often the offending attribute). */
    readonly data: Uint8Array = new Uint8Array(0),
    readonly action: ErrorAction = 'session-reset',
    /** For an error in one path attribute: its type code. */
    readonly attributeType?: number,
  ) {
    super(what, offset, reason);
  }
}

/** The stronger of two handlings (RFC 7606 §3: the most severe approach wins when several errors occur). */
export function moreSevere(a: ErrorAction, b: ErrorAction): ErrorAction {
  return severity[a] >= severity[b] ? a : b;
}

import type { DecodeError } from '../decodeError';

/** Where errors and unknown structures of one datagram are counted while its samples decode. */
export interface DecodeSink {
  /** Samples and records that did not decode (the rest of the datagram did). */
  errors: DecodeError[];
  /** Samples and records of formats labtel does not decode, kept as opaque bytes. */
  unknownCount: number;
}

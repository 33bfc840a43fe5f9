/**
 * A decoded packet as a tree of layers and fields, each with the byte range it came from: what the Flows
 * panel's detail and the capture viewer show beside a hex view (select a node, its bytes light up).
 * Made in Node from src/protocols; the webviews only draw it.
 */
export interface PacketTreeNode {
  /** "Internet Protocol Version 4", "Source Address", "Flow sample 3". */
  readonly label: string;
  /** The field's value as text ("203.0.113.253", "6 (TCP)"); absent for a layer or a group. */
  readonly value?: string;
  /** Byte range in the packet's bytes, [start, end). Equal start and end: no bytes of its own. */
  readonly start: number;
  readonly end: number;
  readonly children?: readonly PacketTreeNode[];
}

/** A packet's bytes (hex) and its tree, as one message carries them. */
export interface DecodedPacket {
  readonly hex: string;
  readonly tree: readonly PacketTreeNode[];
  /** Set when decoding stopped early: what was wrong and at which byte. */
  readonly error?: string;
}

import type { Capability, DecodedUpdate, OpenMessage, UpdateMessage } from '../protocols/bgp';

/** RFC 4271 §8.2.2 states. */
export type SessionState = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';

/** A NOTIFICATION to send (RFC 4271 §4.5). */
export interface NotificationInit {
  code: number;
  subcode: number;
  data?: Uint8Array;
}

/** Who the session talks to, as the plugin sees it. */
export interface PeerInfo {
  localAs: number;
  peerAs: number;
  routerId: string;
  peerAddress: string;
  /** The addresses of the TCP connection (known once one is up). */
  localAddress?: string;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
}

/** Sends UPDATEs on an Established session (handed to `onEstablished`). */
export interface UpdateWriter {
  /** Encodes for the negotiated session (4-octet AS or not) and sends; throws once the session is down. */
  send(update: UpdateMessage): void;
  /** The bytes `send` would write, for a caller that must note the time just before they go (bgp-ping). */
  encode(update: UpdateMessage): Uint8Array;
  /** Sends an already encoded message as it is (what `encode` gave, fault injection, replays). */
  sendRaw(message: Uint8Array): void;
  /**
   * Octets written but not yet taken by the kernel (the socket's writableLength). 0 just after `sendRaw`
   * means the kernel took the message whole: nothing holds on to its buffer, so the caller may reuse it.
   */
  readonly queued: number;
  /** False once the session it belongs to has gone down; a new one comes with the next `onEstablished`. */
  readonly open: boolean;
  /** Both sides offered RFC 6793's capability: AS_PATH carries 4-octet ASNs. */
  readonly fourOctetAs: boolean;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly peerOpen: OpenMessage;
}

/** Why an Established (or establishing) session ended. */
export interface CloseReason {
  kind: 'notification-sent' | 'notification-received' | 'connection-lost' | 'hold-timer-expired' | 'stopped' | 'collision';
  /** For a person: what happened, with the NOTIFICATION's name when there was one. */
  message: string;
  notification?: { code: number; subcode: number; data: Uint8Array };
}

/**
 * What a program built on the session provides — the corebgp plugin shape. The session owns the FSM,
 * timers, errors and reconnection; the plugin decides what to offer and what to do with routes.
 */
export interface SessionPlugin {
  /** Capabilities to offer in OPEN beside the session's own (4-octet AS, multiprotocol IPv4 unicast). */
  capabilities?(peer: PeerInfo): Capability[];
  /** The peer's OPEN, after the session's own checks; return a NOTIFICATION to refuse it. */
  onOpen?(peerOpen: OpenMessage, peer: PeerInfo): NotificationInit | undefined;
  /** The session is Established; `writer` sends UPDATEs until it goes down. */
  onEstablished?(writer: UpdateWriter, peer: PeerInfo): void;
  /**
   * A received UPDATE's bytes (the whole message, header included) on an Established session, before the
   * session decodes and checks them; `onUpdate` follows with the decoded UPDATE unless it resets the
   * session. For a plugin that must act in the fewest steps — bgp-ping's responder answers a probe from
   * these, as its turnaround is part of the RTT it measures. Most plugins want `onUpdate` alone.
   *
   * Return true after a write the peer waits for: the session then decodes this UPDATE, and handles what
   * was read after it, only once the process has given the CPU up (≈ 1 ms later; see Inbox), so that a
   * peer on the same machine gets the CPU at once.
   */
  onUpdateMessage?(message: Uint8Array, receivedNs: bigint): boolean | void;
  /**
   * A received UPDATE. `update.action === 'treat-as-withdraw'` means RFC 7606 asks for its announced
   * prefixes to be taken as withdrawn. `receivedNs` is process.hrtime.bigint() when its bytes were read
   * from the socket, before any decoding. Return a NOTIFICATION to reset the session.
   */
  onUpdate?(update: DecodedUpdate, peer: PeerInfo, receivedNs: bigint): NotificationInit | undefined;
  /** The session left Established (or never got there after OpenConfirm). */
  onClose?(reason: CloseReason): void;
}

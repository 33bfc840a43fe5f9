// The BGP session layer: one import for the agents.
export { Session, type NotificationEvent, type SessionEvents, type SessionOptions } from './session';
export type { CloseReason, NotificationInit, PeerInfo, SessionPlugin, SessionState, UpdateWriter } from './plugin';
export { RttStats } from './rttStats';
export { Backoff } from './backoff';
export { Timer } from './timer';
export { MessageStream } from './messageStream';

// The BGP message codec (RFC 4271 and extensions): one import for callers outside src/protocols/bgp.
export * from './address';
export * from './attributes';
export * from './capabilities';
export * from './errors';
export * from './findAttribute';
export * from './header';
export * from './message';
export * from './notification';
export * from './open';
export * from './prefix';
export * from './probeAttribute';
export * from './routeRefresh';
export * from './update';
export * from './as4';

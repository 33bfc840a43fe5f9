/**
 * labtel's pcap-filter core (src/bpf), loaded the first time a filter is compiled, checked or shown. It is a
 * bundle of its own (dist/chunks/bpf.js, LAZY_CHUNKS in scripts/build.mjs), so activation does not parse its
 * 124 KB. Every extension module reaches src/bpf's code through here (types may be imported as types): a
 * static import would bundle a second copy of its error classes, and `instanceof ParseError` would then
 * fail for an error thrown by the chunk.
 */
type BpfCore = typeof import('../../bpf');

let core: BpfCore | undefined;

export function bpfCore(): BpfCore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (core ??= require('../../bpf') as BpfCore);
}

// Shared by the benchmarks; under support/ so that scripts/bench.mjs does not take it for one.
/** A benchmark's `--NAME=N` option from its command line (`npm run bench -- NAME --NAME=N`), or `dflt`. */
export function numberFlag(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
}

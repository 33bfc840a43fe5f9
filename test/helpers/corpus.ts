import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The repo's root folder (tests may run from anywhere). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/** The project's own captures, in the repository (their README says how each was made). */
export const capturesDir = path.join(repoRoot, 'test', 'fixtures', 'captures');

/** A file of the project's own captures; a missing one is a failure (they are part of the repository). */
export function capturePath(name: string): string {
  const p = path.join(capturesDir, name);
  if (!existsSync(p)) throw new Error(`capture ${name} missing from ${capturesDir}: see the README there to regenerate it`);
  return p;
}

/** Where the third-party corpus is looked for: $LABTEL_CORPUS, else ../shared/corpus beside the checkout. */
export const corpusDir = process.env.LABTEL_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');

/**
 * Test data from outside the project (../shared/corpus, or $LABTEL_CORPUS) is read in place, never copied
 * into the repo. It is an extra differential corpus: tests that need it take `{ skip: corpusSkip }`, which
 * names the missing folder when it is absent; under CI=true it is never skipped, so a missing corpus
 * fails there (corpusPath throws).
 */
export const corpusSkip: string | false = !existsSync(corpusDir) && process.env.CI !== 'true'
  ? `third-party corpus not found at ${corpusDir} (check out ../shared beside the repo or set LABTEL_CORPUS)`
  : false;

/** The project's own sFlow captures that read whole: the lab recording and its rewritten forms. */
export const OWN_SFLOW_CAPTURES: readonly string[] = ['lab-sflow.pcap', 'edge-nanosecond.pcap', 'edge-big-endian.pcap', 'edge-multi-interface.pcapng'];

/**
 * sFlow captures to test on: the project's own, then the corpus's sflow/*.pcap when it is there (outside CI
 * a plain clone has only the project's; under CI=true a missing corpus throws, a failure).
 */
export function sflowCaptures(own: readonly string[] = OWN_SFLOW_CAPTURES): string[] {
  const mine = own.map(capturePath);
  if (corpusSkip) return mine;
  return [...mine, ...readdirSync(corpusPath('sflow')).filter((f) => f.endsWith('.pcap')).sort().map((f) => corpusPath('sflow', f))];
}

/** A path in the third-party corpus; throws (a failure, not a skip) when it is missing. */
export function corpusPath(...parts: string[]): string {
  if (!existsSync(corpusDir)) {
    throw new Error(`test corpus not found at ${corpusDir}: check out ../shared beside the repo or set LABTEL_CORPUS`);
  }
  const p = path.join(corpusDir, ...parts);
  if (!existsSync(p)) throw new Error(`corpus file missing: ${p}`);
  return p;
}

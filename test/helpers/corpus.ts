import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repo's root folder (tests may run from anywhere). */
export const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * Test data from outside the project lives in ../shared/corpus beside the checkout; it is read in
 * place, never copied into the repo. A missing folder is a clear failure, not a skip.
 */
export function corpusPath(...parts: string[]): string {
  const base = process.env.LABTEL_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');
  if (!existsSync(base)) {
    throw new Error(`test corpus not found at ${base}: check out ../shared beside the repo or set LABTEL_CORPUS`);
  }
  const p = path.join(base, ...parts);
  if (!existsSync(p)) throw new Error(`corpus file missing: ${p}`);
  return p;
}

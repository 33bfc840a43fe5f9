import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/corpus';

test('the README\'s benchmarks table says what the committed bench/results files say', async () => {
  const summary = (await import(path.join(repoRoot, 'scripts', 'bench-summary.mjs'))) as { withSummary(readme: string): string };
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  assert.equal(readme, summary.withSummary(readme), 'run `node scripts/bench-summary.mjs --write` after committing new results');
});

// `npm run bench [-- NAME ...]`: runs bench/NAME.ts for each name (all when none is given). Each
// benchmark measures labtel side by side with its peer in the same run and writes bench/results/NAME.json.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const all = readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// A name runs NAME.ts and its parts NAME-*.ts (e.g. `bgp` runs bgp.ts and bgp-rtt.ts).
const run = names.length ? names.flatMap((n) => all.filter((b) => b === n || b.startsWith(`${n}-`))) : all;
for (const n of names) if (!run.some((b) => b === n || b.startsWith(`${n}-`))) { console.error(`no benchmark "${n}"; there are: ${all.join(', ')}`); process.exit(2); }
let failed = 0;
for (const name of run) {
  console.log(`\n=== bench ${name} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', `${name}.ts`), ...process.argv.slice(2).filter((a) => a.startsWith('-'))], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
// The README's table follows the results just written.
const summary = await import('./bench-summary.mjs');
const readme = path.join(root, 'README.md');
writeFileSync(readme, summary.withSummary(readFileSync(readme, 'utf8')));
process.exit(failed ? 1 : 0);

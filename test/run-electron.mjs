// `npm run test:electron`: the same extension-host suite as `npm test`'s vscode layer
// (out/test/vscode/index.js), in VS Code desktop downloaded by @vscode/test-electron. Needs internet
// access to update.code.visualstudio.com, which the project's CI machines do not have: there the suite
// runs in code-server instead (test/vscode/run-in-code-server.mjs). Build first (the npm script does).
//   LABTEL_VSCODE_VERSION=1.100.3   which VS Code to download (default: the engines minimum's line)
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extensionTestsPath = path.join(repoRoot, 'out', 'test', 'vscode', 'index.js');
if (!existsSync(extensionTestsPath)) {
  console.error(`${extensionTestsPath} is missing: run node scripts/build.mjs first`);
  process.exit(1);
}

const workspace = mkdtempSync(path.join(tmpdir(), 'labtel-workspace-'));
writeFileSync(path.join(workspace, 'sample.pcapfilter'), 'ip and udp and dst port 6343\n');
const results = process.env.LABTEL_TEST_RESULTS ?? path.join(mkdtempSync(path.join(tmpdir(), 'labtel-host-')), 'results.json');

try {
  await runTests({
    version: process.env.LABTEL_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    extensionTestsEnv: { LABTEL_TEST_RESULTS: results },
    // Only labtel: other installed extensions would make the run depend on the machine.
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (err) {
  console.error(`extension-host suite failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  console.log(`extension host (VS Code desktop): ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  if (r.failed > 0) process.exitCode = 1;
}

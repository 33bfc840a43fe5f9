// `npm test`'s vscode layer: the extension-host suite (test/vscode/index.ts) inside a real VS Code,
// code-server 4.100.3 (Code 1.100.3) opened in Chromium. VS Code web loads the extension from
// extensionDevelopmentPath and runs extensionTestsPath's run() in its extension host; the suite writes
// its results to LABTEL_TEST_RESULTS, which scripts/test.mjs reads. Exits 1 when any test failed or
// the suite never reported, 0 otherwise.
//   node test/vscode/run-in-code-server.mjs            (LABTEL_TEST_RESULTS optional)
//   LABTEL_HOST_SUITE_TIMEOUT_MS=...                    how long to wait for the results (default 600 s)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeServerMissing, openChromium, repoRoot, startCodeServer, tail, waitFor } from './codeServer.mjs';

const timeoutMs = Number(process.env.LABTEL_HOST_SUITE_TIMEOUT_MS ?? 600_000);
const logDir = path.join(repoRoot, 'test-results', 'vscode');
const resultsFile = process.env.LABTEL_TEST_RESULTS ?? path.join(mkdtempSync(path.join(tmpdir(), 'labtel-host-')), 'results.json');

function fail(message) {
  console.error(`extension-host suite: ${message}`);
  process.exitCode = 1;
}

async function main() {
  const missing = codeServerMissing();
  if (missing) return fail(missing);

  const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) return fail('the build failed');
  const suiteEntry = path.join(repoRoot, 'out', 'test', 'vscode', 'index.js');
  if (!existsSync(suiteEntry)) return fail(`${suiteEntry} was not built`);

  rmSync(resultsFile, { force: true });
  mkdirSync(logDir, { recursive: true });
  const workspace = mkdtempSync(path.join(tmpdir(), 'labtel-workspace-'));
  writeFileSync(path.join(workspace, 'sample.pcapfilter'), 'ip and udp and dst port 6343\n');

  const browserLog = [];
  let server;
  let browser;
  try {
    server = await startCodeServer({
      folder: workspace, logFile: path.join(logDir, 'code-server.log'), env: { LABTEL_TEST_RESULTS: resultsFile },
    });
    browser = await openChromium({ consoleLog: browserLog });
    const url = server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
      ['extensionTestsPath', server.remoteUri(suiteEntry)],
    ]);
    const started = Date.now();
    console.log(`code-server ${server.url} (log ${path.relative(repoRoot, server.logFile)}); waiting up to ${timeoutMs / 1000} s for the suite`);
    await browser.page.goto(url);
    await waitFor(() => (existsSync(resultsFile) ? true : server.exited ? false : undefined), {
      timeoutMs,
      what: () => `no results from the extension host after ${timeoutMs / 1000} s: the suite did not load or hung.\n`
        + `code-server log (${server.logFile}):\n${tail(server.logFile)}\nbrowser console:\n${browserLog.slice(-30).join('\n')}`,
    });
    if (!existsSync(resultsFile)) throw new Error(`code-server exited before the suite reported; log:\n${tail(server.logFile)}`);

    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    for (const t of results.tests) {
      const mark = t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip';
      console.log(`  ${mark} ${t.title} (${t.durationMs} ms)`);
      if (t.error) console.log(t.error.split('\n').map((l) => `       ${l}`).join('\n'));
    }
    console.log(`extension host (VS Code in code-server): ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (results.failed > 0 || results.tests.length === 0) process.exitCode = 1;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  } finally {
    writeFileSync(path.join(logDir, 'browser-console.log'), browserLog.join('\n'));
    await browser?.close();
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

await main();

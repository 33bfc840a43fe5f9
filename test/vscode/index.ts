// The extension-host test suite's entry: VS Code loads this file (bundled to out/test/vscode/index.js
// by scripts/build.mjs) as extensionTestsPath and awaits run() inside the real extension host,
// under @vscode/test-electron (test/run-electron.mjs) or code-server (test/vscode/run-in-code-server.mjs).
// The suites are bundled in and use mocha's TDD globals; mocha itself is loaded from node_modules.
import { renameSync, writeFileSync } from 'node:fs';
// mochaSetup first: it installs the globals the suite files use as they are evaluated.
import { mocha } from './mochaSetup';
import './suite/activation.test';
import './suite/languages.test';
import './suite/snippets.test';
import './suite/grammar.test';
import './suite/commands.test';
import './suite/labTree.test';
import './suite/labLifecycle.test';
import './suite/labHosts.test';
import './suite/pcapFilter.test';

/** One test's outcome as the runners print it. */
export interface HostTestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'skipped';
  readonly durationMs: number;
  readonly error?: string;
}

/** The results file a runner reads (path in env LABTEL_TEST_RESULTS). */
export interface HostTestResults {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly tests: HostTestResult[];
}

export async function run(): Promise<void> {
  const tests: HostTestResult[] = [];
  const errorText = (err: unknown): string => (err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err));
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('fail', (t, err) => tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: errorText(err) }));
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'skipped', durationMs: 0 }));
  });

  const count = (state: HostTestResult['state']): number => tests.filter((t) => t.state === state).length;
  const results: HostTestResults = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), tests };
  const out = process.env.LABTEL_TEST_RESULTS;
  if (out) {
    // Written whole and renamed into place, so a runner polling for the file never reads half of it.
    writeFileSync(`${out}.partial`, JSON.stringify(results, null, 2));
    renameSync(`${out}.partial`, out);
  }
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}

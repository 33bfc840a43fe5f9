// Runs inside VS Code's extension host (code-server) as an extensionTestsPath, in a workspace without a
// topology so nothing has activated labtel yet: times ext.activate() — reading and evaluating the bundle
// plus activate() — and labtel's own share of it, then waits while the bench reads the time VS Code itself
// reports for labtel (Developer: Show Running Extensions).
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const out = process.env.LABTEL_BENCH_RESULT;
  if (!out) throw new Error('LABTEL_BENCH_RESULT is not set');
  const ext = vscode.extensions.getExtension<{ activationMs: number }>('labtel.labtel');
  if (!ext) throw new Error('labtel is not installed in this extension host');
  const wasActive = ext.isActive;
  const started = performance.now();
  const api = await ext.activate();
  const loadAndActivateMs = performance.now() - started;
  writeFileSync(out, JSON.stringify({ wasActive, loadAndActivateMs, activateMs: api.activationMs }));
  // Stay in the extension host until the bench has read VS Code's own figure off the Running Extensions view.
  const done = `${out}.done`;
  const until = Date.now() + 120_000;
  while (!existsSync(done) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
}

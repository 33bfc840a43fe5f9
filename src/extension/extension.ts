import * as vscode from 'vscode';
import type { LabtelApi } from './api';
import { LabtelContext } from './labtelContext';

let current: LabtelContext | undefined;

/**
 * Activation registers commands, views and providers and nothing more: topology files are found and
 * labs inspected when the Lab view or the status bar first asks (aim: activate() under 50 ms).
 */
export function activate(context: vscode.ExtensionContext): LabtelApi {
  const started = performance.now();
  current = new LabtelContext(context, started);
  current.activationMs = performance.now() - started;
  return current.api();
}

export function deactivate(): Thenable<void> | undefined {
  const ctx = current;
  current = undefined;
  return ctx?.dispose();
}

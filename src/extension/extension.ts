import * as vscode from 'vscode';
import { LabtelContext } from './labtelContext';

let current: LabtelContext | undefined;

/** The extension's API, returned from activate(): what tests and other extensions may use. */
export interface LabtelApi {
  readonly version: string;
  readonly commands: readonly string[];
}

export function activate(context: vscode.ExtensionContext): LabtelApi {
  current = new LabtelContext(context);
  return current.api();
}

export function deactivate(): Thenable<void> | undefined {
  const ctx = current;
  current = undefined;
  return ctx?.dispose();
}

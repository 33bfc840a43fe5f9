import * as vscode from 'vscode';
import { LabtelContext } from './labtelContext';

let current: LabtelContext | undefined;

/** The extension's API, returned from activate(): what tests and other extensions may use. */
export interface LabtelApi {
  readonly version: string;
  readonly commands: readonly string[];
  /** The labs the Lab view shows: each topology file with its name and nodes, or its error. */
  labs(): Promise<Array<{ file: string; name?: string; error?: string; nodes: string[] }>>;
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

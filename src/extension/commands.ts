import * as vscode from 'vscode';
import type { LabtelContext } from './labtelContext';

export type CommandFactory = (ctx: LabtelContext) => (...args: unknown[]) => unknown;

/** Command id → factory. Each id is declared in package.json's contributes.commands. */
export const commandTable: Record<string, CommandFactory> = {
  'labtel.showVersion': (ctx) => () => {
    const version = ctx.api().version;
    void vscode.window.showInformationMessage(`labtel ${version}`);
    return version;
  },
};

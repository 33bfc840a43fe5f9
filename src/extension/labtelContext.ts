import * as vscode from 'vscode';
import type { LabtelApi } from './extension';
import { commandTable, type CommandFactory } from './commands';
import { LabTreeProvider } from './lab/labTreeProvider';
import { backendFor } from './lab/labCommands';

/**
 * Owns everything the extension starts (backend, agents, language client, panels) so that
 * deactivation disposes it in one place. Commands are registered from a table of factories.
 */
export class LabtelContext {
  readonly output: vscode.LogOutputChannel;
  readonly labTree: LabTreeProvider;
  private readonly registered: string[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('labtel', { log: true });
    extension.subscriptions.push(this.output);
    this.labTree = new LabTreeProvider((topology) => backendFor(topology).inspect());
    extension.subscriptions.push(this.labTree, vscode.window.registerTreeDataProvider('labtel.lab', this.labTree));
    for (const [id, factory] of Object.entries(commandTable)) this.register(id, factory);
  }

  /** Every command goes through one error path: a failure is logged and shown, never swallowed. */
  private register(id: string, factory: CommandFactory): void {
    const run = factory(this);
    this.registered.push(id);
    this.extension.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.output.error(`${id}: ${message}`);
        void vscode.window.showErrorMessage(`labtel: ${message}`);
        return undefined;
      }
    }));
  }

  api(): LabtelApi {
    return {
      version: this.extension.extension.packageJSON.version as string,
      commands: [...this.registered],
      labs: async () => (await this.labTree.labItems()).map((l) => ({ file: l.file.fsPath, name: l.topology?.name, error: l.error, nodes: l.topology?.nodes.map((n) => n.name) ?? [] })),
    };
  }

  async dispose(): Promise<void> {
    // Subscriptions are disposed by VS Code; owned processes will be stopped here.
  }
}

import type { LabtelContext } from './labtelContext';

/** A command's body, made once per context; its arguments are what VS Code passes (a tree item, a Uri…). */
export type CommandFactory = (ctx: LabtelContext) => (...args: unknown[]) => unknown;

/** Command id → factory; each id is declared in package.json's contributes.commands. */
export type CommandTable = Readonly<Record<string, CommandFactory>>;

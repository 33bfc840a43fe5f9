/**
 * The standalone debug adapter: `node dist/debugAdapter.js` speaks DAP on stdin/stdout (for the
 * DebugClient tests, and for other editors — Neovim's nvim-dap, Emacs dap-mode). The extension runs
 * the same session inline.
 */
import { LoggingDebugSession } from '@vscode/debugadapter';
import { LabDebugSession } from './labDebugSession';

LoggingDebugSession.run(LabDebugSession);

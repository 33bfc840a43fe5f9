/**
 * The capture viewer's commands. Open Capture with Filter opens a capture with a pcap-filter expression
 * applied (other features call openCaptureWithFilter in index.ts directly); Export Packets writes the list
 * the viewer shows (every packet, or the filter's matches) or given packet numbers to a new pcapng.
 * Both take their inputs as arguments (a test, another command) or ask for them.
 */
import * as vscode from 'vscode';
import type { CommandTable } from '../commandTable';
import { bpfCore } from '../bpf/bpfCore';
import { openCaptureWithFilter } from './index';

const CAPTURE_FILTERS = { 'Captures': ['pcap', 'pcapng', 'cap'] };

/** A file argument: a Uri, or an absolute path. */
function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return vscode.Uri.file(arg);
  return undefined;
}

function numbersOf(arg: unknown): number[] | undefined {
  if (arg === undefined) return undefined;
  if (Array.isArray(arg) && arg.length > 0 && arg.every((n) => Number.isInteger(n) && (n as number) >= 1)) return arg as number[];
  throw new Error('packet numbers are whole numbers from 1');
}

/** Syntax only: the compile for the capture's own link type happens in the viewer, which reports it the same way. */
function syntaxError(expression: string): string | undefined {
  try {
    bpfCore().parse(expression);
    return undefined;
  } catch (e) {
    if (e instanceof bpfCore().ParseError) return e.message;
    throw e;
  }
}

export const viewerCommands: CommandTable = {
  'labtel.viewer.openWithFilter': (ctx) => async (fileArg?: unknown, expressionArg?: unknown) => {
    let uri = uriOf(fileArg) ?? ctx.viewer.activeDocument()?.uri;
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: CAPTURE_FILTERS, title: 'Capture to filter' });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    let expression = typeof expressionArg === 'string' ? expressionArg : undefined;
    if (expression === undefined) {
      expression = await vscode.window.showInputBox({
        title: 'pcap-filter expression',
        prompt: 'Packets that match are listed (labtel\'s pcap-filter compiler, libpcap\'s semantics); empty shows all',
        placeHolder: 'udp port 6343',
        value: ctx.viewer.documentOf(uri)?.filterExpression ?? '',
        validateInput: syntaxError,
      });
    }
    if (expression === undefined) return undefined;
    const result = await openCaptureWithFilter(uri, expression);
    vscode.window.setStatusBarMessage(result.expression
      ? `labtel: ${result.matched} of ${result.packets} packets match ${result.expression}`
      : `labtel: ${result.packets} packets, no filter`, 10_000);
    return result;
  },

  'labtel.viewer.exportPackets': (ctx) => async (fileArg?: unknown, targetArg?: unknown, numbersArg?: unknown) => {
    const file = uriOf(fileArg);
    const doc = file ? ctx.viewer.documentOf(file) ?? await ctx.viewer.open(file) : ctx.viewer.activeDocument();
    if (!doc) throw new Error('no capture is open in the viewer: open a .pcap, .pcapng or .cap file first');
    const numbers = numbersOf(numbersArg);
    const target = uriOf(targetArg);
    const r = target ? await doc.exportPackets(target, numbers) : await ctx.viewer.exportWithDialog(doc, numbers);
    if (r) void vscode.window.showInformationMessage(`labtel: ${r.written} packet(s) written to ${r.path}`);
    return r;
  },
};

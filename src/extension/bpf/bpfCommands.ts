/**
 * The pcap-filter commands: "Show Compiled BPF", "Copy BPF As…", "Test Filter Against Capture". Each works on
 * the filter file given (a menu passes its URI) or the active pcap-filter editor; the test also takes a capture's
 * URI (the explorer's menu on a .pcap) and then asks for the filter. A filter that does not compile is one error
 * naming the file, line and column.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { CaptureMatches, Program } from '../../bpf';
import { parseCapture, readCapture } from '../../protocols/capture';
import { PCAP_FILTER_LANGUAGE_ID } from '../../shared/pcapFilterLanguage';
import type { CommandTable } from '../commandTable';
import { bpfCore } from './bpfCore';
import { compiledUri } from './compiledDocument';
import { COPY_FORMATS } from './copyFormats';

/** The capture viewer's command that opens a capture with its filter box set (the viewer registers it). */
export const VIEWER_OPEN_WITH_FILTER = 'labtel.viewer.openWithFilter';

const CAPTURE_EXTENSIONS = ['pcap', 'pcapng', 'cap'];
const FILTER_EXTENSIONS = ['.pcapfilter', '.bpf'];
/** How many matching frame numbers a notification lists before "…". */
const LISTED_MATCHES = 20;

const isUri = (a: unknown): a is vscode.Uri => a instanceof vscode.Uri;
const isCapture = (u: vscode.Uri): boolean => CAPTURE_EXTENSIONS.includes(path.posix.extname(u.path).slice(1).toLowerCase());

/** The filter document a command works on: the one given, or the active editor's. */
async function filterDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (isUri(arg) && FILTER_EXTENSIONS.includes(path.posix.extname(arg.path))) return vscode.workspace.openTextDocument(arg);
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === PCAP_FILTER_LANGUAGE_ID ? doc : undefined;
}

async function requireFilterDocument(arg: unknown): Promise<vscode.TextDocument> {
  const doc = await filterDocument(arg);
  if (!doc) throw new Error('open a pcap-filter file (.pcapfilter) first: the command works on the filter in the active editor');
  return doc;
}

/** The program of a filter file; a mistake becomes FILE:LINE:COLUMN: what was expected. */
function compileDocument(doc: vscode.TextDocument): Program {
  try {
    const { compile, expressionOfFilterFile } = bpfCore();
    return compile(expressionOfFilterFile(doc.getText()));
  } catch (err) {
    if (err instanceof bpfCore().ParseError) throw new Error(`${path.posix.basename(doc.uri.path)}:${err.message}`);
    throw err;
  }
}

/** Why an expression typed in a box does not compile, for the box's validation message. */
function validate(expression: string): string | undefined {
  try {
    const { compile, parse } = bpfCore();
    compile(parse(expression));
    return undefined;
  } catch (err) {
    if (err instanceof bpfCore().ParseError) return err.message;
    throw err;
  }
}

async function readMatches(capture: vscode.Uri, expression: string): Promise<CaptureMatches> {
  // A local file is streamed; any other file system (a remote workspace) is read whole.
  const frames = capture.scheme === 'file' ? readCapture(capture.fsPath) : parseCapture(await vscode.workspace.fs.readFile(capture));
  return bpfCore().captureMatches(expression, frames);
}

function listed(matches: readonly number[]): string {
  const shown = matches.slice(0, LISTED_MATCHES).join(', ');
  return matches.length > LISTED_MATCHES ? `${shown}, …` : shown;
}

export const bpfCommands: CommandTable = {
  'labtel.bpf.showCompiled': () => async (arg?: unknown) => {
    const doc = await requireFilterDocument(arg);
    const listing = await vscode.workspace.openTextDocument(compiledUri(doc.uri));
    await vscode.window.showTextDocument(listing, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
    return listing.getText();
  },

  'labtel.bpf.copyAs': () => async (arg?: unknown, format?: unknown) => {
    // From a menu the first argument is the filter's URI; from code it may be the format's id alone.
    const formatId = typeof arg === 'string' ? arg : typeof format === 'string' ? format : undefined;
    const doc = await requireFilterDocument(arg);
    const program = compileDocument(doc);
    const chosen = formatId !== undefined
      ? COPY_FORMATS.find((f) => f.id === formatId)
      : await vscode.window.showQuickPick(COPY_FORMATS.map((f) => ({ label: f.label, detail: f.detail, format: f })), {
        title: `Copy the BPF of ${path.posix.basename(doc.uri.path)} as…`,
      }).then((p) => p?.format);
    if (formatId !== undefined && !chosen) throw new Error(`no BPF format "${formatId}"; formats: ${COPY_FORMATS.map((f) => f.id).join(', ')}`);
    if (!chosen) return undefined;
    const text = chosen.render(program);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`labtel: ${program.length} BPF instructions copied as ${chosen.label}`, 5000);
    return text;
  },

  'labtel.bpf.testCapture': (ctx) => async (arg?: unknown, second?: unknown) => {
    let capture = isUri(arg) && isCapture(arg) ? arg : isUri(second) && isCapture(second) ? second : undefined;
    let expression: string | undefined;
    let source = '';
    const doc = isUri(arg) && isCapture(arg) ? undefined : await filterDocument(arg);
    if (typeof second === 'string') expression = second;
    else if (doc) {
      compileDocument(doc);
      expression = bpfCore().expressionOfFilterFile(doc.getText());
      source = ` (${path.posix.basename(doc.uri.path)})`;
    } else {
      expression = await vscode.window.showInputBox({
        title: 'Test a filter against a capture', prompt: 'pcap-filter expression', placeHolder: 'tcp port 179', validateInput: validate,
      });
      if (expression === undefined) return undefined;
    }
    if (!capture) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Capture to test the filter against', canSelectMany: false, openLabel: 'Test Filter', filters: { Captures: CAPTURE_EXTENSIONS },
      });
      if (!picked?.[0]) return undefined;
      capture = picked[0];
    }
    const file = path.posix.basename(capture.path);
    const oneLine = expression.replace(/\s+/g, ' ').trim();
    let result: CaptureMatches;
    try {
      result = await readMatches(capture, expression);
    } catch (err) {
      if (err instanceof bpfCore().ParseError) throw new Error(`filter${source}: ${err.message}`);
      throw ctx.failure(`testing '${oneLine}' on ${file}`, err);
    }
    ctx.output.info(`filter '${oneLine}'${source} on ${capture.fsPath}: ${result.matches.length} of ${result.packets} packets match: ${result.matches.join(' ')}`);
    const summary = `'${oneLine}' matches ${result.matches.length} of ${result.packets} packets of ${file}${result.matches.length ? `: ${listed(result.matches)}` : ''}`;
    const viewer = (await vscode.commands.getCommands(true)).includes(VIEWER_OPEN_WITH_FILTER);
    const open = 'Open in Capture Viewer';
    void vscode.window.showInformationMessage(
      viewer ? `labtel: ${summary}` : `labtel: ${summary}. (This build's capture viewer cannot open a capture filtered yet; every number is in the labtel log.)`,
      ...(viewer && result.matches.length ? [open] : ['Show Log']),
    ).then(async (choice) => {
      if (choice === open) await vscode.commands.executeCommand(VIEWER_OPEN_WITH_FILTER, capture, expression);
      else if (choice) ctx.output.show(true);
    });
    return { capture: capture.toString(), expression, ...result };
  },
};

/** The capture viewer (custom editor labtel.capture for .pcap, .pcapng, .cap). */
import type * as vscode from 'vscode';
import { registerCaptureEditor } from './captureEditor';

export function registerCaptureViewer(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCaptureEditor(context, log);
}

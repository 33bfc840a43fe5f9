/**
 * The capture viewer (custom editor labtel.capture for .pcap, .pcapng, .cap) and what other features call:
 * `openCaptureWithFilter` opens a capture with a pcap-filter expression applied ("Test Filter Against
 * Capture" opens its matches here).
 */
import * as vscode from 'vscode';
import { registerCaptureEditor, type CaptureEditorProvider, type CaptureFilterResult } from './captureEditor';

export type { CaptureExportResult, CaptureFilterResult } from './captureEditor';
export { PacketFilterError } from './packetFilter';

let viewer: CaptureEditorProvider | undefined;

/** Registers the viewer; the returned provider answers the viewer's commands (viewerCommands.ts). */
export function registerCaptureViewer(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): { provider: CaptureEditorProvider } & vscode.Disposable {
  const { provider, registration } = registerCaptureEditor(context, log);
  viewer = provider;
  return {
    provider,
    dispose: () => {
      registration.dispose();
      if (viewer === provider) viewer = undefined;
    },
  };
}

/**
 * Opens a capture in the viewer (or brings its editor forward) with the list filtered by a pcap-filter
 * expression, and resolves once every packet is tested: how many match, of how many. A bad expression
 * rejects with a PacketFilterError (message `LINE:COLUMN: reason`, position and end in the expression); the
 * viewer stays open and shows the error in its filter box.
 */
export async function openCaptureWithFilter(uri: vscode.Uri, expression: string): Promise<CaptureFilterResult> {
  if (!viewer) throw new Error('the capture viewer is not registered (labtel is not active)');
  const doc = await viewer.open(uri);
  return doc.applyFilter(expression);
}

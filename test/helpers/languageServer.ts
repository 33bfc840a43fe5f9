/**
 * A real LSP client for labtel's pcap-filter language server: the server is bundled by esbuild from
 * src/server/server.ts as scripts/build.mjs bundles dist/server.js, forked with `--node-ipc` as
 * vscode-languageclient starts it (TransportKind.ipc), and spoken to through vscode-languageserver-protocol.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CodeActionRequest, CompletionRequest, createProtocolConnection, DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification, ExitNotification, HoverRequest, InitializedNotification, InitializeRequest,
  IPCMessageReader, IPCMessageWriter, PublishDiagnosticsNotification, ShutdownRequest,
  type CodeAction, type CompletionItem, type Diagnostic, type Hover, type Position, type ProtocolConnection,
  type PublishDiagnosticsParams, type Range,
} from 'vscode-languageserver-protocol/node';
import { LAB_ADDRESSES_NOTIFICATION, type LabAddress } from '../../src/shared/pcapFilterLanguage';
import { repoRoot } from './corpus';

let bundle: Promise<string> | undefined;

/** The server bundled once per test process, into a folder of its own (dist/ is the build's). */
function serverBundle(): Promise<string> {
  bundle ??= (async () => {
    const esbuild = await import('esbuild');
    const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'labtel-server-')), 'server.js');
    await esbuild.build({
      entryPoints: [path.join(repoRoot, 'src', 'server', 'server.ts')],
      outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
    });
    return outfile;
  })();
  return bundle;
}

const WAIT_MS = 10_000;

export class LanguageServerSession {
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly versions = new Map<string, number>();

  private constructor(readonly child: ChildProcess, readonly connection: ProtocolConnection) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async start(labAddresses: LabAddress[] = []): Promise<LanguageServerSession> {
    const child = fork(await serverBundle(), ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    const session = new LanguageServerSession(child, connection);
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] } } },
      initializationOptions: { labAddresses },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  /** Opens (or replaces the text of) a document and returns the diagnostics published for that version. */
  async diagnose(uri: string, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    if (version === 1) {
      await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'pcap-filter', version, text } });
    } else {
      await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    }
    return (await this.nextDiagnostics(uri, (p) => p.version === version)).diagnostics;
  }

  /** Waits for diagnostics of a document that satisfy `accept` (the last published ones are looked at first). */
  async nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean, after = 0): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = this.published.slice(after).reverse().find((p) => p.uri === uri && accept(p));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} as expected within ${WAIT_MS} ms; got ${JSON.stringify(this.published.filter((p) => p.uri === uri).at(-1))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 200);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** How many diagnostics notifications have arrived, to wait for newer ones. */
  get publishedCount(): number {
    return this.published.length;
  }

  async setLabAddresses(addresses: LabAddress[]): Promise<void> {
    await this.connection.sendNotification(LAB_ADDRESSES_NOTIFICATION, { addresses });
  }

  async complete(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return Array.isArray(r) ? r : r?.items ?? [];
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const r = await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    return (r ?? []).filter((a): a is CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await this.connection.sendNotification(ExitNotification.type).catch(() => undefined);
    this.connection.dispose();
    const exited = new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    const timer = setTimeout(() => this.child.kill(), 2_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The offset of a position in a text (LSP positions count UTF-16 units, as JavaScript strings do). */
export function offsetOf(text: string, p: Position): number {
  const lines = text.split('\n');
  return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
}

/** The text after applying a code action's edits to one document. */
export function applyAction(text: string, action: CodeAction, uri: string): string {
  const edits = [...(action.edit?.changes?.[uri] ?? [])].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  let out = text;
  for (const e of edits) out = out.slice(0, offsetOf(out, e.range.start)) + e.newText + out.slice(offsetOf(out, e.range.end));
  return out;
}

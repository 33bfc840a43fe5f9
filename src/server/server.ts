/**
 * labtel's pcap-filter language server (`dist/server.js`), spoken to over Node IPC by the extension's language
 * client (or over stdio: `node dist/server.js --stdio`). For each open `.pcapfilter` document: diagnostics as it
 * changes, completion, hover and quick fixes, all on src/bpf — the same parser and compiler as `labtel bpf`.
 */
import {
  CodeActionKind, CompletionItemKind, createConnection, DiagnosticSeverity, MarkupKind, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind, type CodeAction, type CompletionItem, type Diagnostic, type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  LAB_ADDRESSES_NOTIFICATION, type LabAddressesParams, type PcapFilterInitializationOptions,
} from '../shared/pcapFilterLanguage';
import { complete, type CandidateKind } from './completion';
import { analyzeFilter, type Finding, type FilterAnalysis, type Severity, type TextEdit } from './findings';
import { hover } from './hover';
import { LabAddresses } from './labAddresses';

/** Where diagnostics say they come from. */
const SOURCE = 'pcap-filter';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const ITEM_KIND: Record<CandidateKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  operator: CompletionItemKind.Operator,
  protocol: CompletionItemKind.Module,
  address: CompletionItemKind.Value,
  service: CompletionItemKind.EnumMember,
  constant: CompletionItemKind.Constant,
};

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const lab = new LabAddresses();
/** The latest analysis of each open document, by URI and version. */
const analyses = new Map<string, { version: number; analysis: FilterAnalysis }>();

function analysisOf(doc: TextDocument): FilterAnalysis {
  const cached = analyses.get(doc.uri);
  if (cached?.version === doc.version) return cached.analysis;
  const analysis = analyzeFilter(doc.getText(), lab);
  analyses.set(doc.uri, { version: doc.version, analysis });
  return analysis;
}

function rangeOf(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

function toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
  return { range: rangeOf(doc, f.start, f.end), severity: SEVERITY[f.severity], code: f.code, source: SOURCE, message: f.message };
}

const sameRange = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

function publish(doc: TextDocument): void {
  try {
    const diagnostics = analysisOf(doc).findings.map((f) => toDiagnostic(doc, f));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  } catch (err) {
    // A fault of labtel's, not of the filter: logged in the client's output channel, the document left as it was.
    connection.console.error(`${doc.uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
}

connection.onInitialize((params) => {
  const options = params.initializationOptions as Partial<PcapFilterInitializationOptions> | undefined;
  lab.set(options?.labAddresses);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: [' ', '[', '('] },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'labtel pcap-filter' },
  };
});

connection.onNotification(LAB_ADDRESSES_NOTIFICATION, (params: LabAddressesParams) => {
  lab.set(params?.addresses);
  // What depends on the lab (IPv6-only findings, node names) is judged again for every open document.
  analyses.clear();
  for (const doc of documents.all()) publish(doc);
});

documents.onDidChangeContent((e) => publish(e.document));
documents.onDidClose((e) => {
  analyses.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onCompletion((params): CompletionItem[] => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  return complete(doc.getText(), doc.offsetAt(params.position), lab).map((c, i) => ({
    label: c.label,
    kind: ITEM_KIND[c.kind],
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    insertText: c.insertText,
    // The order complete() chose (the lab's addresses before keywords), not the alphabet's.
    sortText: String(i).padStart(5, '0'),
  }));
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const h = hover(analysisOf(doc), doc.offsetAt(params.position));
  if (!h) return null;
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: { start: doc.positionAt(h.start), end: doc.positionAt(h.end) } };
});

// The fixes are those of the document's current analysis, found again by the diagnostic's code and range.
connection.onCodeAction((params): CodeAction[] => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const findings = analysisOf(doc).findings;
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== SOURCE) continue;
    const finding = findings.find((f) => f.code === diagnostic.code && sameRange(rangeOf(doc, f.start, f.end), diagnostic.range));
    for (const fix of finding?.fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred ?? false,
        edit: { changes: { [doc.uri]: fix.edits.map((e: TextEdit) => ({ range: rangeOf(doc, e.start, e.end), newText: e.newText })) } },
      });
    }
  }
  return actions;
});

documents.listen(connection);
connection.listen();

// @ts-check
// The protocol alone: a language server made with the library ours is made with, which publishes the same
// fixed diagnostics on every change and parses nothing. What an edit costs on this machine before any
// analysis: reading a full-text didChange, keeping the document, writing a publishDiagnostics about the
// size of ours on a real config.
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';

/** Five findings of the length ours have on the 36-line config (its publishDiagnostics is about 1.4 KB). */
const DIAGNOSTICS = Array.from({ length: 5 }, (_, line) => ({
  range: { start: { line, character: 2 }, end: { line, character: 14 } },
  severity: DiagnosticSeverity.Warning,
  source: 'truss-config',
  code: 'some-code',
  message: 'A sentence of about the length of ours, naming a key and saying what truss does.',
  data: { key: 'some_key' },
}));

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));
documents.onDidChangeContent(({ document }) => {
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: DIAGNOSTICS });
});
documents.listen(connection);
connection.listen();

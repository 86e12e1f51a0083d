import {
  type CancellationToken,
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  type InitializeResult,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { REGISTRY_INFO_REQUEST, type RegistryInfoParams } from '../../../protocol/protocol';
import type { Analysis } from '../core/analysis';
import { matchesGlob } from '../core/glob';
import { validateSchema } from '../core/schema';
import { analyze } from '../engine/analyze';
import type { Settings } from '../engine/settings';
import { complete } from '../features/complete';
import { hover } from '../features/hover';
import { toDiagnostic } from './convert';
import { codeActions, registryInfo, toCompletionItem, toHover } from './features';
import { definition, documentSymbols, highlights, prepareRename, references, rename } from './navigation';
import { SettingsStore } from './settings';

interface Cached {
  version: number;
  settings: Settings;
  analysis: Analysis;
}

/** How many documents keep their analysis in memory (the ones used last). */
const CACHED_ANALYSES = 8;

/** The path of a document URI, for matching the `files` globs. */
function pathOf(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/** Wires the analysis core to an LSP connection. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const settings = new SettingsStore(connection);
  const cache = new Map<string, Cached>();
  const pending = new Map<string, NodeJS.Immediate>();

  /**
   * The one analysis of this document version, shared by every feature. Only the documents
   * used last keep theirs (a parse tree is large); another one is analysed again when asked.
   */
  const analysisFor = (doc: TextDocument, s: Settings): Analysis => {
    const hit = cache.get(doc.uri);
    cache.delete(doc.uri);
    if (hit && hit.version === doc.version && hit.settings === s) {
      cache.set(doc.uri, hit);
      return hit.analysis;
    }
    const wanted = s.enable && matchesGlob(pathOf(doc.uri), s.files);
    const analysis = analyze(doc.getText(), { detect: wanted ? s.detect : 'never', rules: s.rules });
    for (const { rule, error } of analysis.internalErrors) logError(`rule ${rule}`, error);
    cache.set(doc.uri, { version: doc.version, settings: s, analysis });
    if (cache.size > CACHED_ANALYSES) cache.delete(cache.keys().next().value!);
    return analysis;
  };

  const validate = async (uri: string): Promise<void> => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const s = await settings.get(uri);
    const current = documents.get(uri);
    if (!current || current.version !== version) return; // a newer version is on its way
    const analysis = safe('validation', () => analysisFor(current, s), undefined);
    const diagnostics = analysis ? analysis.findings.map(toDiagnostic) : [];
    await connection.sendDiagnostics({ uri, version, diagnostics });
  };

  /**
   * Coalesces changes into one validation. It waits two turns of the event loop: the connection
   * handles one message per turn, so a newer change already received replaces this validation
   * before it runs, and no result is computed or published for a version already superseded.
   */
  const schedule = (uri: string): void => {
    const old = pending.get(uri);
    if (old) clearImmediate(old);
    const run = (): void => {
      pending.delete(uri);
      validate(uri).catch((e) => logError('validation', e));
    };
    pending.set(
      uri,
      setImmediate(() => pending.set(uri, setImmediate(run))),
    );
  };

  const logError = (what: string, e: unknown): void => {
    // Only the error's own first line and stack frames: never document text.
    const err = e instanceof Error ? e : new Error(String(e));
    const frames = (err.stack ?? '')
      .split('\n')
      .filter((l) => l.trimStart().startsWith('at '))
      .slice(0, 5);
    connection.console.error(`${what} failed: ${err.name}: ${err.message.split('\n')[0]}\n${frames.join('\n')}`);
  };

  function safe<T>(what: string, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (e) {
      logError(what, e);
      return fallback;
    }
  }

  /** Runs a request against the current analysis of a document; empty when cancelled or on error. */
  const withAnalysis = async <T>(
    what: string,
    uri: string,
    token: CancellationToken,
    fallback: T,
    fn: (a: Analysis, doc: TextDocument) => T,
  ): Promise<T> => {
    const doc = documents.get(uri);
    if (!doc) return fallback;
    const s = await settings.get(uri);
    if (token.isCancellationRequested) return fallback;
    const current = documents.get(uri);
    if (!current) return fallback;
    return safe(what, () => fn(analysisFor(current, s), current), fallback);
  };

  let versionedEdits = false;

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    settings.supported = !!caps.workspace?.configuration;
    versionedEdits = !!caps.workspace?.workspaceEdit?.documentChanges;
    validateSchema({}); // compile the schema now, not on the first keystroke
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [':'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor] },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
      },
      serverInfo: { name: 'truss-config' },
    };
  });

  connection.onInitialized(() => {
    if (settings.supported) {
      connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration(() => {
    settings.forget();
    for (const doc of documents.all()) schedule(doc.uri);
  });

  connection.onCompletion((params, token) =>
    withAnalysis('completion', params.textDocument.uri, token, [], (a) =>
      complete(a, params.position).map(toCompletionItem),
    ),
  );

  connection.onHover((params, token) =>
    withAnalysis('hover', params.textDocument.uri, token, null, (a) => {
      const h = hover(a, params.position);
      return h ? toHover(h) : null;
    }),
  );

  connection.onCodeAction((params, token) =>
    withAnalysis('code actions', params.textDocument.uri, token, [], (a, doc) =>
      codeActions(
        a,
        { uri: doc.uri, version: doc.version, versioned: versionedEdits },
        params.range,
        params.context.diagnostics,
      ),
    ),
  );

  connection.onDefinition((p, token) =>
    withAnalysis('definition', p.textDocument.uri, token, [], (a) => definition(a, p.textDocument.uri, p.position)),
  );
  connection.onReferences((p, token) =>
    withAnalysis('references', p.textDocument.uri, token, [], (a) =>
      references(a, p.textDocument.uri, p.position, p.context.includeDeclaration),
    ),
  );
  connection.onDocumentHighlight((p, token) =>
    withAnalysis('highlight', p.textDocument.uri, token, [], (a) => highlights(a, p.position)),
  );
  connection.onPrepareRename((p, token) =>
    withAnalysis('prepare rename', p.textDocument.uri, token, null, (a) => prepareRename(a, p.position)),
  );
  // A refused rename is an answer for the user, not a failure: its ResponseError passes through.
  connection.onRenameRequest(async (p, token) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc || token.isCancellationRequested) return null;
    const analysis = analysisFor(doc, await settings.get(doc.uri));
    try {
      return rename(analysis, doc.uri, p.position, p.newName);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      logError('rename', e);
      return null;
    }
  });
  connection.onDocumentSymbol((p, token) =>
    withAnalysis('symbols', p.textDocument.uri, token, [], (a) => documentSymbols(a)),
  );

  connection.onRequest(REGISTRY_INFO_REQUEST, (params: RegistryInfoParams, token: CancellationToken) =>
    withAnalysis('registry info', params.uri, token, null, (a) => registryInfo(a)),
  );

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    const t = pending.get(e.document.uri);
    if (t) clearImmediate(t);
    pending.delete(e.document.uri);
    cache.delete(e.document.uri);
    settings.forget(e.document.uri);
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(() => undefined);
  });

  documents.listen(connection);
  connection.listen();
}

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  BASETEN_REFRESH_COMMAND,
  BASETEN_SIGN_IN_COMMAND,
  type BasetenState,
  CHECK_AS_TRUSS_COMMAND,
  RESTART_COMMAND,
  SHOW_OUTPUT_COMMAND,
  STATUS_REQUEST,
  type Status,
  type StatusParams,
} from '../../protocol/protocol';

/** The documents the server checks: YAML files on disk and untitled YAML documents. */
export const SELECTOR: Array<{ scheme: string; language: string }> = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
];

/**
 * Python files on disk: those of a Truss are its model code (the server follows their secret reads).
 * Not an untitled Python document: it has no folder, so no Truss.
 */
export const PYTHON_SELECTOR = { scheme: 'file', language: 'python' };

/** How long a status request may take before the item says it does not know. */
const REQUEST_TIMEOUT = 5000;
/** Retries while the server has not received the document yet (it answers null). */
const RETRIES = 10;

/** What the status item shows, for the editor tests (the extension's exports). */
export interface StatusText {
  text: string;
  detail: string | undefined;
  severity: 'information' | 'warning' | 'error';
  command: string | undefined;
  /** The Baseten item: "Baseten: 12 secrets", "Baseten: signed out"… */
  baseten: string;
  /** The release item: "truss 0.13.1 (.venv)", "truss not found: checking as 0.18.26". */
  release: string;
}

/** The setting the release item's link opens. */
const RELEASE_SETTING = 'trussConfig.truss.version';

/** How the release in force is said: "truss 0.13.1 (.venv)", or "truss not found: checking as 0.18.26". */
export function releaseText(r: NonNullable<Status['release']>): string {
  if (r.source === 'default') return `truss not found: checking as ${r.version}`;
  const name = r.where.split(/[\\/]/).filter(Boolean).pop() ?? r.where;
  const where: Record<string, string> = {
    setting: 'setting',
    interpreter: 'selected interpreter',
    venv: name,
    path: 'on PATH',
    requirements: `pinned in ${name}`,
  };
  return `truss ${r.version} (${where[r.source] ?? r.source})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The detail of a Truss config's status: its problems counted. */
export function problemsDetail(s: Pick<Status, 'errors' | 'warnings' | 'others'>): string {
  const parts = [
    s.errors ? plural(s.errors, 'error') : '',
    s.warnings ? plural(s.warnings, 'warning') : '',
    s.others ? `${s.others} other${s.others === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no problems';
}

/**
 * The language status items of YAML files: whether the active file is checked as a Truss config
 * (with its problems counted, or the reason it is not), and the state of the language server.
 * They update when the active editor, its text or the diagnostics change, and when the server
 * starts or stops; a server that is not running or does not answer never makes them throw or wait.
 */
export class TrussStatus implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('truss-config.status', SELECTOR);
  private readonly server = vscode.languages.createLanguageStatusItem('truss-config.server', SELECTOR);
  private readonly baseten = vscode.languages.createLanguageStatusItem('truss-config.baseten', SELECTOR);
  private readonly release = vscode.languages.createLanguageStatusItem('truss-config.release', SELECTOR);
  private readonly disposables: vscode.Disposable[] = [this.item, this.server, this.baseten, this.release];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private pending: vscode.CancellationTokenSource | undefined;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.item.name = 'Truss Config';
    this.item.text = 'Truss config';
    this.server.name = 'Truss language server';
    this.server.command = { title: 'Restart', command: RESTART_COMMAND };
    this.baseten.name = 'Baseten secrets';
    this.release.name = 'truss release';
    this.release.text = 'truss: finding…';
    this.release.command = { title: 'Choose', command: 'workbench.action.openSettings', arguments: [RELEASE_SETTING] };
    this.basetenState({ state: 'off', reason: 'trussConfig.baseten.checkSecrets is off' });
    this.serverState('starting');
    const isActive = (uri: vscode.Uri) => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString();
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.workspace.onDidOpenTextDocument((d) => isActive(d.uri) && this.schedule(0)),
      vscode.workspace.onDidChangeTextDocument((e) => isActive(e.document.uri) && this.schedule(300)),
      vscode.languages.onDidChangeDiagnostics((e) => e.uris.some(isActive) && this.schedule(50)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('trussConfig') && this.schedule(300)),
    );
  }

  /** The server's state, shown on the second item. */
  serverState(state: 'starting' | 'running' | 'stopped'): void {
    this.server.text = `Truss server ${state}`;
    this.server.busy = state === 'starting';
    this.server.severity =
      state === 'stopped' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.server.detail = state === 'stopped' ? 'no diagnostics until it is restarted' : undefined;
    this.schedule(0);
  }

  /** The Baseten workspace check, on the third item: how many secrets, or why none are known. */
  basetenState(s: BasetenState): void {
    const item = this.baseten;
    item.text =
      s.state === 'ready'
        ? `Baseten: ${s.reason}`
        : s.state === 'off'
          ? 'Baseten: not checked'
          : `Baseten: ${s.reason}`;
    item.detail =
      s.state === 'ready'
        ? s.team
          ? `team ${s.team}`
          : 'workspace secrets'
        : s.state === 'off'
          ? s.reason
          : undefined;
    item.busy = s.state === 'loading';
    item.severity =
      s.state === 'failed' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    item.command =
      s.state === 'ready' || s.state === 'failed'
        ? { title: 'Refresh', command: BASETEN_REFRESH_COMMAND }
        : { title: 'Sign in', command: BASETEN_SIGN_IN_COMMAND };
  }

  /** What the status item shows now. */
  current(): StatusText {
    const severity = this.item.severity;
    return {
      text: this.item.text,
      detail: this.item.detail,
      severity:
        severity === vscode.LanguageStatusSeverity.Error
          ? 'error'
          : severity === vscode.LanguageStatusSeverity.Warning
            ? 'warning'
            : 'information',
      command: this.item.command?.command,
      baseten: this.baseten.text,
      release: this.release.text,
    };
  }

  /** Asks the server again in `delay` ms (a burst of events makes one request). */
  schedule(delay: number, retries = RETRIES): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(retries), delay);
  }

  private async refresh(retries: number): Promise<void> {
    const generation = ++this.generation;
    this.pending?.cancel();
    this.pending = undefined;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || vscode.languages.match(SELECTOR, doc) === 0) return; // the items are hidden anyway
    const client = this.client();
    if (!client?.isRunning()) {
      this.show({ truss: false, text: 'Truss config: unknown', detail: 'the Truss language server is not running' });
      return;
    }
    const source = new vscode.CancellationTokenSource();
    this.pending = source;
    const timeout = setTimeout(() => source.cancel(), REQUEST_TIMEOUT);
    let status: Status | null | undefined;
    try {
      const params: StatusParams = { uri: doc.uri.toString() };
      status = await client.sendRequest<Status | null>(STATUS_REQUEST, params, source.token);
    } catch {
      status = undefined; // cancelled, timed out, or the server went away
    } finally {
      clearTimeout(timeout);
      source.dispose();
      if (this.pending === source) this.pending = undefined;
    }
    if (generation !== this.generation) return; // a newer refresh is under way
    if (status === null && retries > 0) {
      this.schedule(300, retries - 1); // the server has not received the document yet
      return;
    }
    if (!status) {
      this.show({ truss: false, text: 'Truss config: unknown', detail: 'the Truss language server did not answer' });
      return;
    }
    if (status.baseten) this.basetenState(status.baseten);
    if (status.release) {
      this.release.text = releaseText(status.release);
      const where = status.release.source === 'default' ? 'choose the release you push with' : status.release.where;
      this.release.detail = status.trussRun ? `${where} · ${status.trussRun}` : where;
    }
    if (status.truss) {
      this.show({
        truss: true,
        text: 'Truss config',
        detail: problemsDetail(status),
        severity: status.errors
          ? vscode.LanguageStatusSeverity.Error
          : status.warnings
            ? vscode.LanguageStatusSeverity.Warning
            : vscode.LanguageStatusSeverity.Information,
      });
    } else {
      // The reason's first clause ("1 of 3 top-level keys are Truss keys"): the hover is one short line,
      // and a long one pushes the item's link out of sight.
      this.show({ truss: false, text: 'Not a Truss config', detail: status.reason.split(', ')[0], uri: doc.uri });
    }
  }

  private show(s: {
    truss: boolean;
    text: string;
    detail: string;
    severity?: vscode.LanguageStatusSeverity;
    uri?: vscode.Uri;
  }): void {
    this.item.text = s.text;
    this.item.detail = s.detail;
    this.item.severity = s.severity ?? vscode.LanguageStatusSeverity.Information;
    this.item.command = s.uri
      ? { title: 'Check as Truss config', command: CHECK_AS_TRUSS_COMMAND, arguments: [s.uri] }
      : { title: 'Show Output', command: SHOW_OUTPUT_COMMAND };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending?.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

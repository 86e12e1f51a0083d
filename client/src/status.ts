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
  STOP_CHECK_AS_TRUSS_COMMAND,
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
  /** Whether the Truss items show on the active editor's document (only on candidate configs). */
  shown: boolean;
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
  /** The files the server said may be Truss configs: the items show on those (and untitled YAML) only. */
  private readonly candidates = new Set<string>();
  private running = false;
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
    this.select();
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
    this.running = state === 'running';
    this.select();
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

  /**
   * Shows the items on the candidate configs only (not on every YAML file); the server's item also on
   * every YAML file while it is not running, so that Restart stays at hand.
   */
  private select(): void {
    const selector: vscode.DocumentFilter[] = [{ scheme: 'untitled', language: 'yaml' }];
    for (const uri of this.candidates) {
      const u = vscode.Uri.parse(uri);
      const name = u.path.slice(u.path.lastIndexOf('/') + 1).replace(/[[\]{}*?]/g, '[$&]');
      selector.push({ language: 'yaml', pattern: new vscode.RelativePattern(vscode.Uri.joinPath(u, '..'), name) });
    }
    for (const item of [this.item, this.baseten, this.release]) item.selector = selector;
    this.server.selector = this.running ? selector : SELECTOR;
  }

  /** What the status item shows now. */
  current(): StatusText {
    const severity = this.item.severity;
    const doc = vscode.window.activeTextEditor?.document;
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
      shown: !!doc && vscode.languages.match(this.item.selector, doc) > 0,
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
    const uri = doc.uri.toString();
    const was = this.candidates.has(uri);
    if (status.candidate === false) this.candidates.delete(uri);
    else if (doc.uri.scheme !== 'untitled') this.candidates.add(uri);
    if (was !== this.candidates.has(uri)) this.select();
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
        stop: status.forced ? doc.uri : undefined,
        severity: status.errors
          ? vscode.LanguageStatusSeverity.Error
          : status.warnings
            ? vscode.LanguageStatusSeverity.Warning
            : vscode.LanguageStatusSeverity.Information,
      });
    } else {
      this.show({ truss: false, text: 'Not a Truss config', detail: shortReason(status.reason), uri: doc.uri });
    }
  }

  private show(s: {
    truss: boolean;
    text: string;
    detail: string;
    severity?: vscode.LanguageStatusSeverity;
    /** Not a Truss config: the link checks it as one. */
    uri?: vscode.Uri;
    /** Checked because the user asked: the link stops that. */
    stop?: vscode.Uri;
  }): void {
    this.item.text = s.text;
    this.item.detail = s.detail;
    this.item.severity = s.severity ?? vscode.LanguageStatusSeverity.Information;
    this.item.command = s.uri
      ? { title: 'Check as Truss config', command: CHECK_AS_TRUSS_COMMAND, arguments: [s.uri] }
      : s.stop
        ? { title: 'Stop checking as Truss config', command: STOP_CHECK_AS_TRUSS_COMMAND, arguments: [s.stop] }
        : { title: 'Show Output', command: SHOW_OUTPUT_COMMAND };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending?.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * The reason with its strongest piece of evidence only ("score 0 of 3: model_name +1; no folder"): the
 * hover is one short line, and a long one pushes the item's link out of sight.
 */
function shortReason(reason: string): string {
  const tail = reason.indexOf('; ');
  const head = tail < 0 ? reason : reason.slice(0, tail);
  return head.split(', ')[0] + (tail < 0 ? '' : reason.slice(tail));
}

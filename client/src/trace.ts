import * as vscode from 'vscode';

/**
 * The client's trace channel: the LSP traffic goes to the output channel (at the info level) when
 * `trussConfig.trace.server` is not `off`, whatever the channel's own log level. vscode-languageclient
 * traces only when its trace channel's log level is Trace; this one says Trace exactly when the setting
 * asks for a trace, as other language extensions behave.
 */
export class TraceChannel implements vscode.LogOutputChannel {
  private readonly changed = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly watch: vscode.Disposable;
  readonly onDidChangeLogLevel = this.changed.event;
  /** Trace lines written (for the editor tests). */
  lines = 0;

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.watch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('trussConfig.trace.server')) this.changed.fire(this.logLevel);
    });
  }

  get name(): string {
    return this.output.name;
  }

  get logLevel(): vscode.LogLevel {
    const setting = vscode.workspace.getConfiguration('trussConfig').get<string>('trace.server', 'off');
    return setting === 'off' ? vscode.LogLevel.Off : vscode.LogLevel.Trace;
  }

  trace(message: string): void {
    this.lines++;
    this.output.info(message);
  }
  debug(message: string, ...args: unknown[]): void {
    this.output.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.output.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.output.warn(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.output.error(error, ...args);
  }
  append(value: string): void {
    this.output.append(value);
  }
  appendLine(value: string): void {
    this.output.appendLine(value);
  }
  replace(value: string): void {
    this.output.replace(value);
  }
  clear(): void {
    this.output.clear();
  }
  show(column?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof column === 'boolean') this.output.show(column);
    else this.output.show(column, preserveFocus);
  }
  hide(): void {
    this.output.hide();
  }
  dispose(): void {
    this.watch.dispose();
    this.changed.dispose();
  }
}

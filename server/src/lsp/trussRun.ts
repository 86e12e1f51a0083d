/**
 * The opt-in truss run in the editor (`trussConfig.truss.run`, trusted workspaces only): on open and
 * save, the installed truss is asked about the document's text in the background (trussRun/worker.ts,
 * one process per interpreter); its answer is kept by text, and an analysis of that very text uses it.
 * A keystroke never waits on Python: the analysis only looks the answer up. When truss cannot be
 * asked, the status says why, the log says it once, and nothing else changes.
 */
import type { TrussAnswer } from '../core/truss/trussAnswer';
import type { Settings } from '../engine/settings';
import { TrussWorker } from '../trussRun/worker';
import type { Log } from './log';

/** How many answers are kept (the texts asked about last). */
const KEPT = 16;

export interface TrussRunDeps {
  /** The interpreter to ask for a document: `trussConfig.truss.pythonPath`, else the one truss was found in. */
  python(uri: string, s: Settings): string | undefined;
  /** An answer arrived for a document's text: analyse it again. */
  answered(uri: string): void;
  log: Log;
  /** How long a request may take (ms). */
  timeout?: number;
}

export class TrussRuns {
  private trusted = false;
  private readonly workers = new Map<string, TrussWorker>();
  private readonly answers = new Map<string, TrussAnswer>();
  private readonly asking = new Set<string>();
  /** Why truss could not be asked, per interpreter (until it answers again). */
  private readonly failures = new Map<string, string>();

  constructor(private readonly deps: TrussRunDeps) {}

  /** Whether the workspace is trusted (the client says so at start; a grant restarts the server). */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
  }

  private python(uri: string, s: Settings): string | undefined {
    return s.truss.run && this.trusted ? this.deps.python(uri, s) : undefined;
  }

  /** truss's answer for this very text, when it was asked and answered. */
  answer(uri: string, text: string, s: Settings): TrussAnswer | undefined {
    const python = this.python(uri, s);
    return python === undefined ? undefined : this.answers.get(`${python}\u0000${text}`);
  }

  /** Asks truss about a document's text in the background, unless its answer is known or coming. */
  ask(uri: string, text: string, s: Settings): void {
    const python = this.python(uri, s);
    if (python === undefined) return;
    const key = `${python}\u0000${text}`;
    if (this.answers.has(key) || this.asking.has(key)) return;
    this.asking.add(key);
    let worker = this.workers.get(python);
    if (!worker) this.workers.set(python, (worker = new TrussWorker(python, { timeout: this.deps.timeout ?? 20_000 })));
    void worker.ask(text).then((run) => {
      this.asking.delete(key);
      if ('failed' in run) {
        if (run.failed === 'stopped') return;
        if (this.failures.get(python) !== run.failed) this.deps.log.error(`truss run: not asked: ${run.failed}`);
        this.failures.set(python, run.failed);
        return;
      }
      this.failures.delete(python);
      this.answers.set(key, run.answer);
      if (this.answers.size > KEPT) this.answers.delete(this.answers.keys().next().value!);
      this.deps.answered(uri);
    });
  }

  /** The status line of the truss run for a document: undefined when it is off. */
  line(uri: string, s: Settings): string | undefined {
    if (!s.truss.run) return undefined;
    if (!this.trusted) return 'truss run: off in an untrusted workspace';
    const python = this.deps.python(uri, s);
    if (python === undefined) return 'truss run: no Python with truss found';
    const failed = this.failures.get(python);
    return failed ? `truss run: not asked: ${failed}` : 'truss run: on open and save';
  }

  /** Stops every process and forgets every answer (the settings or the environment changed). */
  stop(): void {
    for (const w of this.workers.values()) w.stop();
    this.workers.clear();
    this.failures.clear();
    this.answers.clear();
  }
}

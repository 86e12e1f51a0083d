/**
 * The opt-in truss run: one Python process per interpreter that loads config texts with the installed
 * truss (load_config.py, our own script, bundled as text and run with `python -c`). It starts on the
 * first request, answers requests in order, and is stopped and started anew after a timeout, a crash
 * or a line that is not an answer; each of those fails the requests it had, with a short reason and
 * never a finding.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { TrussAnswer, TrussError } from '../core/truss/trussAnswer';
import script from './load_config.py';

export type TrussRun = { answer: TrussAnswer } | { failed: string };

export interface WorkerOptions {
  /** How long a request may take, start included (ms). */
  timeout: number;
}

interface Pending {
  resolve: (r: TrussRun) => void;
  timer: NodeJS.Timeout;
}

export class TrussWorker {
  private child?: ChildProcess;
  private version?: string;
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests written before the first line said truss was there. */
  private waiting: string[] = [];

  constructor(
    readonly python: string,
    private readonly options: WorkerOptions = { timeout: 20_000 },
  ) {}

  /** What the installed truss says of a config text. */
  ask(text: string): Promise<TrussRun> {
    const id = this.nextId++;
    return new Promise<TrussRun>((resolve) => {
      const timer = setTimeout(
        () => this.fail(`truss did not answer in ${this.options.timeout / 1000} s`),
        this.options.timeout,
      );
      this.pending.set(id, { resolve, timer });
      const line = JSON.stringify({ id, text }) + '\n';
      const child = this.child ?? this.start();
      if (!child) return;
      if (this.version === undefined) this.waiting.push(line);
      else child.stdin?.write(line);
    });
  }

  /** Stops the process; requests not answered yet fail. */
  stop(): void {
    this.fail('stopped');
  }

  private start(): ChildProcess | undefined {
    let child: ChildProcess;
    try {
      child = spawn(this.python, ['-c', script], { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      this.fail('Python could not be started');
      return undefined;
    }
    this.child = child;
    child.on('error', () => this.child === child && this.fail('Python could not be started'));
    // 'close', not 'exit': what it printed before it ended is read first.
    child.on('close', () => this.child === child && this.fail('Python exited'));
    child.stdin?.on('error', () => undefined);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.child === child && this.read(chunk));
    return child;
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    if (this.buffer.length > 8_000_000) return this.fail('Python printed what is not an answer');
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        return this.fail('Python printed what is not an answer');
      }
      if (!this.take(msg)) return this.fail('Python printed what is not an answer');
    }
  }

  /** One line from the script: false when it is not one of its answers. */
  private take(msg: unknown): boolean {
    if (!isRecord(msg)) return false;
    if (this.version === undefined) {
      if (msg.ready === false) {
        this.fail('truss cannot be imported by this Python');
        return true;
      }
      if (msg.ready !== true || typeof msg.version !== 'string') return false;
      this.version = msg.version;
      for (const line of this.waiting) this.child?.stdin?.write(line);
      this.waiting = [];
      return true;
    }
    const pending = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!pending) return false;
    const errors = Array.isArray(msg.errors) && msg.errors.every(isTrussError) ? msg.errors : undefined;
    if (!errors && typeof msg.failed !== 'string') return false;
    this.pending.delete(msg.id as number);
    clearTimeout(pending.timer);
    pending.resolve(errors ? { answer: { version: this.version, errors } } : { failed: 'truss failed on this text' });
    return true;
  }

  private fail(reason: string): void {
    const child = this.child;
    this.child = undefined;
    this.version = undefined;
    this.buffer = '';
    this.waiting = [];
    if (child && child.exitCode === null) child.kill('SIGKILL');
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve({ failed: reason });
    }
    this.pending.clear();
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTrussError(v: unknown): v is TrussError {
  return (
    isRecord(v) &&
    (v.loc === null || (Array.isArray(v.loc) && v.loc.every((p) => typeof p === 'string' || typeof p === 'number'))) &&
    typeof v.type === 'string' &&
    typeof v.msg === 'string' &&
    (v.stage === 'load' || v.stage === 'push')
  );
}

/**
 * Asks about several texts in one process of their own that ends with the answers: for the checker,
 * which knows all its files first. The same failures as the worker's, as short reasons, per text.
 */
export function askMany(python: string, texts: readonly string[], timeout = 20_000): TrussRun[] {
  const limit = timeout + 1_000 * texts.length;
  const r = spawnSync(python, ['-c', script], {
    input: texts.map((text, i) => JSON.stringify({ id: i + 1, text }) + '\n').join(''),
    encoding: 'utf8',
    cwd: tmpdir(),
    stdio: ['pipe', 'pipe', 'ignore'],
    timeout: limit,
    killSignal: 'SIGKILL',
    maxBuffer: 64_000_000,
  });
  const all = (failed: string): TrussRun[] => texts.map(() => ({ failed }));
  const code = r.error ? (r.error as NodeJS.ErrnoException).code : undefined;
  if (code === 'ETIMEDOUT') return all(`truss did not answer in ${limit / 1000} s`);
  // EPIPE: it started, and ended before it read what it was given.
  if (r.error && code !== 'EPIPE') return all('Python could not be started');
  const lines = (r.stdout ?? '').split('\n').filter((l) => l.trim());
  const parsed = lines.map((l) => {
    try {
      return JSON.parse(l) as unknown;
    } catch {
      return undefined;
    }
  });
  const [ready, ...answers] = parsed;
  if (isRecord(ready) && ready.ready === false) return all('truss cannot be imported by this Python');
  const garbage = 'Python printed what is not an answer';
  if (!isRecord(ready) || ready.ready !== true || typeof ready.version !== 'string') {
    return all(r.status === 0 && lines.length ? garbage : 'Python exited');
  }
  const version = ready.version;
  if (answers.some((a) => !isRecord(a) || typeof a.id !== 'number')) return all(garbage);
  const byId = new Map(answers.map((a) => [(a as Record<string, unknown>).id, a as Record<string, unknown>]));
  return texts.map((_, i): TrussRun => {
    const a = byId.get(i + 1);
    if (!a) return { failed: 'Python exited' };
    if (typeof a.failed === 'string') return { failed: 'truss failed on this text' };
    if (!Array.isArray(a.errors) || !a.errors.every(isTrussError)) return { failed: garbage };
    return { answer: { version, errors: a.errors } };
  });
}

/** Asks about one text, in a process of its own. */
export function askOnce(python: string, text: string, timeout = 20_000): TrussRun {
  return askMany(python, [text], timeout)[0];
}

/**
 * Emacs as an LSP client, in batch mode: the eglot setup of docs/editors.md, loaded as it is written,
 * with Debian's Emacs 28, elpa-eglot and elpa-yaml-mode. Opening a config with a known problem, eglot
 * receives the diagnostic from our server and hands it to Flymake, and no warning is shown.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { docsSnippet, editorFolder, missing } from './tools';

/** Loads init.el, opens the file, waits for eglot's diagnostics and Flymake's, writes JSON. */
const HARNESS = `
(require 'package)
(package-initialize)
(require 'json)
(defvar truss-received nil)
(defvar truss-warnings nil)
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (push (plist-get params :diagnostics) truss-received))))
(advice-add 'display-warning :before
            (lambda (type message &rest _)
              (unless (memq :debug _) (push (format "%S %s" type message) truss-warnings))))
(defun truss-finish (result)
  (with-temp-file (getenv "TRUSS_OUT") (insert (json-encode result)))
  (kill-emacs 0))
(defun truss-start (d) (plist-get (plist-get d :range) :start))
(condition-case err
    (progn
      (load (getenv "TRUSS_INIT"))
      (find-file (getenv "TRUSS_FILE"))
      ;; eglot-ensure connects after the next command, which batch mode never runs: run its hook.
      (run-hooks 'post-command-hook)
      (let ((deadline (+ (float-time) 20)))
        (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
          (accept-process-output nil 0.05)))
      (truss-finish
       (list (cons 'mode (symbol-name major-mode))
             (cons 'managed (if (eglot-managed-p) t :json-false))
             (cons 'warnings (vconcat truss-warnings))
             (cons 'received
                   (vconcat (mapcar (lambda (d)
                                      (list (cons 'code (plist-get d :code))
                                            (cons 'line (plist-get (truss-start d) :line))
                                            (cons 'character (plist-get (truss-start d) :character))))
                                    (seq-find (lambda (ds) (> (length ds) 0)) truss-received))))
             (cons 'flymake (vconcat (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))))))
  (error (truss-finish (list (cons 'error (format "%S" err))))))
`;

interface Result {
  error?: string;
  mode: string;
  managed: boolean;
  warnings: string[];
  received: Array<{ code: string; line: number; character: number }>;
  flymake: string[];
}

describe('Emacs with eglot (docs/editors.md)', () => {
  const skip = missing('emacs');
  const tmp = mkdtempSync(join(tmpdir(), 'truss-emacs-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the eglot setup gets the diagnostic of a config, in Flymake, with no warning', { skip }, () => {
    const snippet = docsSnippet('emacs', 'elisp');
    assert.ok(snippet, 'docs/editors.md has the tested Emacs snippet');
    const bin = editorFolder(tmp);
    writeFileSync(join(tmp, 'init.el'), snippet);
    writeFileSync(join(tmp, 'harness.el'), HARNESS);
    const out = join(tmp, 'result.json');
    const started = Date.now();
    const r = spawnSync('emacs', ['--batch', '-l', join(tmp, 'harness.el')], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        HOME: tmp,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        TRUSS_INIT: join(tmp, 'init.el'),
        TRUSS_FILE: join(tmp, 'model', 'config.yaml'),
        TRUSS_OUT: out,
      },
    });
    let result: Result;
    try {
      result = JSON.parse(readFileSync(out, 'utf8')) as Result;
    } catch {
      assert.fail(`emacs wrote no result (status ${r.status}): ${r.stdout}${r.stderr}`);
    }
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.mode, 'yaml-mode');
    assert.equal(result.managed, true, 'eglot manages the buffer');
    assert.deepEqual(
      result.received.map((d) => [d.code, d.line, d.character]),
      [['auth-method-case', 4, 17]],
    );
    assert.equal(result.flymake.length, 1, result.flymake.join('\n'));
    assert.match(result.flymake[0], /auth-method-case.*AWS_IAM/);
    // eglot warns of a registration the client did not offer (workspace/didChangeConfiguration once).
    assert.deepEqual(result.warnings, []);
    assert.ok(Date.now() - started < 30_000);
  });
});

/** Problems of every Truss config in the workspace, opened or not (the editor's Problems panel). */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { NEWEST } from '../../server/src/core/truss/release';
import { LspClient, writeModelCode } from './client';
import { applyEdits } from '../text';

const BROKEN = 'model_name: m\nresources:\n  accelerator: h100\n';
const NOT_TRUSS = 'defaults:\n  - db: postgres\nserver:\n  port: 8080\n';
const ISSUE_26 = 'model_name: bert-base-uncased\ndataset_dir: ./data/processed\noutput_dir: ./outputs\n';

/** A workspace folder on disk; each config.yaml or config.yml written in it is a Truss's, beside its model code. */
function workspace(): { dir: string; uri: (p: string) => string; write: (p: string, t: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'truss-ws-'));
  const uri = (p: string) => pathToFileURL(join(dir, p)).href;
  const write = (p: string, text: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
    if (/(^|\/)config\.ya?ml$/.test(p)) writeModelCode(join(dir, p, '..'));
    return uri(p);
  };
  return { dir, uri, write };
}

/** Waits until `ready` holds for the latest diagnostics published per URI. */
async function until(client: LspClient, ready: (latest: Map<string, number>) => boolean, ms = 8000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const latest = new Map<string, number>();
    for (const p of client.published) latest.set(p.uri, p.diagnostics.length);
    if (ready(latest)) return;
    if (Date.now() - start > ms) throw new Error(`timed out: ${JSON.stringify([...latest])}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('workspace problems over LSP', () => {
  it('checks the unopened configs of the folder, skipping node_modules and non-Truss files', async () => {
    const ws = workspace();
    const broken = ['a/config.yaml', 'b/c/config.yml', 'd/e/f/config.yaml'].map((p) => ws.write(p, BROKEN));
    const hidden = ws.write('node_modules/pkg/config.yaml', BROKEN);
    const venv = ws.write('.venv/lib/config.yaml', BROKEN);
    const other = ws.write('app/config.yaml', NOT_TRUSS);
    const client = await LspClient.start({ folders: [pathToFileURL(ws.dir).href] });
    try {
      await until(client, (l) => broken.every((u) => (l.get(u) ?? 0) > 0));
      const uris = new Set(client.published.filter((p) => p.diagnostics.length).map((p) => p.uri));
      assert.deepEqual([...uris].sort(), [...broken].sort());
      for (const u of [hidden, venv, other]) assert.ok(!client.published.some((p) => p.uri === u), u);

      // Created, changed and deleted on disk: the client's watcher says so.
      const created = ws.write('g/config.yaml', BROKEN);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: created, type: 1 }],
      });
      await until(client, (l) => (l.get(created) ?? 0) > 0);
      ws.write('a/config.yaml', 'model_name: m\nresources:\n  accelerator: H100\n');
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: broken[0], type: 2 }],
      });
      await until(client, (l) => l.get(broken[0]) === 0);
      rmSync(join(ws.dir, 'b/c/config.yml'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: broken[1], type: 3 }],
      });
      await until(client, (l) => l.get(broken[1]) === 0);

      // An open document's text wins over the disk; closed, the disk's problems come back.
      const third = broken[2];
      const opened = await client.open(third, 'model_name: m\n');
      assert.deepEqual(opened, []);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: third, type: 2 }],
      });
      await new Promise((r) => setTimeout(r, 300));
      const latest = client.published.filter((p) => p.uri === third).pop()!;
      assert.equal(latest.diagnostics.length, 0, 'the open text, not the disk');
      void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: third } });
      await until(client, (l) => (l.get(third) ?? 0) > 0);

      // Re-checked on request, with counts.
      const result = await client.request<{ configs: number; withProblems: number }>('trussConfig/checkWorkspace', {});
      assert.deepEqual(result, { configs: 3, withProblems: 2, open: 0 });
      // An open config counts too, with the problems of its text in the editor.
      await client.open(third, 'model_name: m\n');
      const withOpen = await client.request('trussConfig/checkWorkspace', {});
      assert.deepEqual(withOpen, { configs: 3, withProblems: 1, open: 1 });
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('forgets the configs of a folder deleted outside the editor, and follows a renamed one', async () => {
    const ws = workspace();
    const gone = ws.write('gone/sub/config.yaml', BROKEN);
    const moved = ws.write('old/config.yaml', BROKEN);
    const kept = ws.write('kept/config.yaml', BROKEN);
    const client = await LspClient.start({ folders: [pathToFileURL(ws.dir).href] });
    try {
      await until(client, (l) => [gone, moved, kept].every((u) => (l.get(u) ?? 0) > 0));
      const watchers = [...client.registered.values()]
        .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
        .flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: unknown; kind?: number }> }).watchers);
      assert.ok(
        watchers.some((w) => w.globPattern === '**/*' && w.kind === 5),
        `folders are watched: ${JSON.stringify(watchers)}`,
      );
      // rm -rf gone; mv old new: the watcher reports the folders only.
      rmSync(join(ws.dir, 'gone'), { recursive: true });
      renameSync(join(ws.dir, 'old'), join(ws.dir, 'new'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: ws.uri('gone'), type: 3 },
          { uri: ws.uri('old'), type: 3 },
          { uri: ws.uri('new'), type: 1 },
        ],
      });
      const renamed = ws.uri('new/config.yaml');
      await until(client, (l) => l.get(gone) === 0 && l.get(moved) === 0 && (l.get(renamed) ?? 0) > 0);
      assert.ok((client.latest(kept) ?? []).length > 0, 'the other config keeps its problems');
      const result = await client.request<{ configs: number }>('trussConfig/checkWorkspace', {});
      assert.equal(result.configs, 2);
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('scans for a client that does not announce workspace folder events', async () => {
    const ws = workspace();
    const a = ws.write('a/config.yaml', BROKEN);
    const client = await LspClient.start({ folders: [pathToFileURL(ws.dir).href], folderEvents: false });
    try {
      await until(client, (l) => (l.get(a) ?? 0) > 0);
      assert.equal(client.stderr, '');
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('checks only open files with trussConfig.scope: openFiles, and honours files.exclude', async () => {
    const ws = workspace();
    const a = ws.write('a/config.yaml', BROKEN);
    const excluded = ws.write('build/config.yaml', BROKEN);
    const client = await LspClient.start({ folders: [pathToFileURL(ws.dir).href], settings: { scope: 'openFiles' } });
    client.filesExclude = { '**/build': true };
    try {
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(client.published.length, 0, 'nothing published before the scope includes the workspace');
      client.settings = {};
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await until(client, (l) => (l.get(a) ?? 0) > 0);
      assert.ok(!client.published.some((p) => p.uri === excluded), 'hidden by files.exclude');
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('says whether a document is checked as a Truss config, and why: the score of its folder and keys', async () => {
    // No truss on PATH: the release in force is the newest known.
    const client = await LspClient.start({ env: { ...process.env, PATH: '' } });
    const ws = workspace();
    try {
      const truss = ws.write('status/config.yaml', BROKEN);
      await client.open(truss, BROKEN);
      assert.deepEqual(await client.request('trussConfig/status', { uri: truss }), {
        truss: true,
        candidate: true,
        baseten: { state: 'off', reason: 'trussConfig.baseten.checkSecrets is off' },
        reason: 'score 5 of 3: model/model.py +3, model_name/resources +2',
        errors: 1,
        warnings: 0,
        others: 0,
        release: { version: NEWEST, source: 'default', where: 'no truss found' },
      });
      // The same keys with no model code beside them: keys other tools share are not enough.
      const lone = ws.uri('lone/config.yaml');
      assert.deepEqual(await client.open(lone, BROKEN), []);
      const alone = await client.request<{ truss: boolean; reason: string }>('trussConfig/status', { uri: lone });
      assert.deepEqual(
        [alone.truss, alone.reason],
        [false, 'score 2 of 3: model_name/resources +2; no model/model.py or packages/ beside it'],
      );
      // The config of issue 26, in a training repository: its folder has data/, which is not evidence.
      mkdirSync(join(ws.dir, 'train', 'data'), { recursive: true });
      const train = ws.uri('train/config.yaml');
      assert.deepEqual(await client.open(train, ISSUE_26), []);
      const trained = await client.request<{ truss: boolean; reason: string }>('trussConfig/status', { uri: train });
      assert.deepEqual(
        [trained.truss, trained.reason],
        [
          false,
          'score 0 of 3: model_name +1, 1 other key -1, 1 key close to a Truss key 0; ' +
            'no model/model.py or packages/ beside it',
        ],
      );
      const other = ws.write('status2/config.yaml', NOT_TRUSS);
      await client.open(other, NOT_TRUSS);
      const status = await client.request<{ truss: boolean; reason: string }>('trussConfig/status', { uri: other });
      assert.equal(status.truss, false);
      assert.equal(status.reason, 'score -1 of 3: model/model.py +3, defaults -3, 1 other key -1');
      const named = await client.request<{ reason: string }>('trussConfig/status', { uri: 'file:///w/values.yaml' });
      assert.equal(named.reason, 'not matched by trussConfig.files');
      // Not a candidate, so the editor shows no Truss entries on it: another YAML file, the project file.
      for (const u of ['file:///w/values.yaml', 'file:///w/.truss-config.yaml']) {
        const s = await client.request<{ candidate?: boolean }>('trussConfig/status', { uri: u });
        assert.equal(s.candidate, false, u);
      }
      // Checked anyway when the user asks.
      const next = client.nextDiagnostics(other);
      await client.connection.sendNotification('trussConfig/checkAsTruss', { uris: [other] });
      assert.ok((await next).length > 0);
      const forced = await client.request<{ truss: boolean; reason: string; forced?: boolean }>('trussConfig/status', {
        uri: other,
      });
      assert.deepEqual(
        [forced.truss, forced.reason, forced.forced],
        [true, 'you asked to check it as a Truss config', true],
      );
      // Whatever its name: a file the `files` globs do not match is checked when the user asks.
      const values = 'file:///work/status3/values.yaml';
      assert.deepEqual(await client.open(values, BROKEN), []);
      const checked = client.nextDiagnostics(values);
      await client.connection.sendNotification('trussConfig/checkAsTruss', { uris: [other, values] });
      assert.ok((await checked).length > 0);
      const asked = await client.request<{ truss: boolean; reason: string }>('trussConfig/status', { uri: values });
      assert.deepEqual([asked.truss, asked.reason], [true, 'you asked to check it as a Truss config']);
      // An untitled document has no folder: it is checked when a key only Truss uses is there.
      assert.deepEqual(await client.open('untitled:Untitled-1', BROKEN), []);
      const untitled = await client.request<{ reason: string }>('trussConfig/status', { uri: 'untitled:Untitled-1' });
      assert.equal(untitled.reason, 'score 2 of 3: model_name/resources +2; no folder');
      assert.ok((await client.open('untitled:Untitled-2', `python_version: py311\n${BROKEN}`)).length > 0);
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('offers fix-all as source.fixAll.truss, with the safe fixes only', async () => {
    const client = await LspClient.start();
    const ws = workspace();
    try {
      const text = 'model_name: m\npython_version: 3.11\nresources:\n  memory: 2048\nsecrets:\n  token: abc\n';
      const uri = ws.write('fixall/config.yaml', text);
      await client.open(uri, text);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll.truss'] },
      });
      assert.deepEqual(
        actions.map((a) => [a.title, a.kind]),
        [['Fix all auto-fixable Truss problems', 'source.fixAll.truss']],
      );
      const change = actions[0].edit!.documentChanges![0] as { edits: TextEdit[] };
      const out = applyEdits(text, change.edits);
      assert.equal(out, 'model_name: m\npython_version: py311\nresources:\n  memory: 2048\nsecrets:\n  token: null\n');
      const source = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source'] },
      });
      assert.deepEqual(
        source.map((a) => a.kind),
        ['source.fixAll.truss'],
      );
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('fixes a "did you mean" in .truss-config.yaml', async () => {
    const ws = workspace();
    const text = '# project settings\nrules:\n  missing-secrte: off # not now\nignor: [vendor]\n';
    const project = ws.write('.truss-config.yaml', text);
    const client = await LspClient.start({ folders: [pathToFileURL(ws.dir).href] });
    try {
      const ds = await client.open(project, text);
      assert.equal(ds.length, 2, JSON.stringify(ds));
      const titles: string[] = [];
      let fixed = text;
      for (const d of ds) {
        const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri: project },
          range: d.range,
          context: { diagnostics: [d] },
        });
        assert.equal(actions.length, 1, JSON.stringify(actions));
        assert.equal(actions[0].isPreferred, true);
        titles.push(actions[0].title);
        const change = actions[0].edit!.documentChanges![0] as { edits: TextEdit[] };
        fixed = applyEdits(fixed, change.edits);
      }
      assert.deepEqual(titles, ['Change to `missing-secret`', 'Change to `ignore`']);
      assert.equal(fixed, '# project settings\nrules:\n  missing-secret: off # not now\nignore: [vendor]\n');
      assert.deepEqual(await client.change(project, 2, [{ text: fixed }]), []);
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('applies the .truss-config.yaml above each config, and shows its problems on it', async () => {
    const ws = workspace();
    const a = ws.write('a/config.yaml', BROKEN);
    const vendored = ws.write('vendor/config.yaml', BROKEN);
    const project = ws.write('.truss-config.yaml', 'rules:\n  invalid-resources: warning\nignore: [vendor]\n');
    const client = await LspClient.start({ folders: [pathToFileURL(ws.dir).href] });
    const latest = (uri: string) => client.published.filter((p) => p.uri === uri).pop()?.diagnostics ?? [];
    const changed = (uri: string) =>
      client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    try {
      await until(client, (l) => (l.get(a) ?? 0) > 0);
      assert.deepEqual(
        latest(a).map((d) => [d.code, d.severity]),
        [['invalid-resources', 2]],
        'a warning, as the project file says',
      );
      assert.ok(!client.published.some((p) => p.uri === vendored), 'ignored');
      const open = ws.uri('a/config.yaml');
      const opened = await client.open(open, BROKEN);
      assert.deepEqual(
        opened.map((d) => d.severity),
        [2],
      );
      const status = await client.request<{ reason: string }>('trussConfig/status', { uri: vendored });
      assert.match(status.reason, /^ignored by .*\.truss-config\.yaml$/);

      // A broken project file: an error on it, and nothing of it applied.
      ws.write('.truss-config.yaml', 'rules:\n  invalid-resources: warn\n');
      await changed(project);
      await until(client, (l) => (l.get(project) ?? 0) > 0 && (l.get(vendored) ?? 0) > 0);
      assert.deepEqual(
        latest(project).map((d) => [d.code, d.range.start, d.message]),
        [
          [
            'project-file',
            { line: 1, character: 21 },
            '`invalid-resources` must be off, hint, information, warning or error',
          ],
        ],
      );
      await until(client, () => latest(open)[0]?.severity === 1);

      // Open, it is checked as typed; fixed and saved, its settings apply again.
      const typed = await client.open(project, 'rules:\n  invalid-resources: of\n');
      assert.equal(typed.length, 1);
      const fixed = await client.change(project, 2, [{ text: 'rules:\n  invalid-resources: off\n' }]);
      assert.deepEqual(fixed, []);
      ws.write('.truss-config.yaml', 'rules:\n  invalid-resources: off\n');
      await changed(project);
      await until(client, () => latest(open).length === 0);
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });
});

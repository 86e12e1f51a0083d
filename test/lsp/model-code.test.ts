/**
 * A Truss as one unit in the editor, over stdio with the real server: the Python files of a Truss get
 * their problems, completion of the declared names, hover, definition, references and rename across
 * config.yaml and the code; another Truss and a Python file of no Truss are never touched.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  Hover,
  Location,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { LspClient } from './client';
import { applyEdits } from '../text';

const CONFIG = [
  'model_name: chat',
  'secrets:',
  '  # read by model.py',
  '  hf_access_token: null',
  "  openai_api_key: null   # the key's name in Baseten",
  '  unused_key: null',
  '',
].join('\n');

const MODEL = [
  'class Model:',
  '    def __init__(self, **kwargs):',
  '        self._secrets = kwargs["secrets"]',
  '',
  '    def load(self):',
  '        self._hf = self._secrets["hf_access_token"]',
  "        self._openai = self._secrets.get('openai_api_ky')",
  '        self._wandb = self._secrets["wandb_key"]',
  '',
].join('\n');

/** A Python file read in the config's Truss but by another Truss's config: never edited from this one. */
const OTHER_CONFIG = 'model_name: other\nsecrets:\n  hf_access_token: null\n';
const OTHER_MODEL =
  'class Model:\n    def __init__(self, secrets):\n        self.s = secrets\n\n    def load(self):\n' +
  '        return self.s["hf_access_token"]\n';

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'truss-py-'));
  const uri = (p: string) => pathToFileURL(join(dir, p)).href;
  const write = (p: string, text: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
    return uri(p);
  };
  const read = (p: string) => readFileSync(join(dir, p), 'utf8');
  return { dir, uri, write, read, folder: pathToFileURL(dir).href };
}

/** The position of the `nth` occurrence of `needle` in `text`, plus `shift` characters. */
function at(text: string, needle: string, shift = 0, nth = 0): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} in the text`);
  const before = text.slice(0, offset + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

const codes = (d: Diagnostic[] | undefined) => (d ?? []).map((x) => `${x.code} ${x.range.start.line}`).sort();

describe('model code over LSP', () => {
  it('publishes the Python findings under the Python file, and the config’s under the config', async () => {
    const ws = workspace();
    const config = ws.write('chat/config.yaml', CONFIG);
    const model = ws.write('chat/model/model.py', MODEL);
    const client = await LspClient.start({ folders: [ws.folder] });
    try {
      // Not open: found by the workspace scan, with the Truss's code.
      const py = await client.until(model, (d) => (d?.length ?? 0) === 2);
      assert.deepEqual(codes(py), ['undeclared-secret-read 6', 'undeclared-secret-read 7']);
      assert.match(py.find((d) => d.range.start.line === 6)!.message as string, /Did you mean `openai_api_key`\?/);
      const own = await client.until(config, (d) => (d?.length ?? 0) > 0);
      assert.deepEqual(codes(own), ['unused-secret 4', 'unused-secret 5']);
      for (const d of own) assert.ok(d.range.start.line < 6, 'no Python range in the config’s diagnostics');

      // Open: the same, the open text wins; a read of unused_key typed in model.py clears its hint.
      await client.open(config, CONFIG);
      await client.openPython(model, MODEL);
      const edited = MODEL.replace('"wandb_key"', '"unused_key"');
      void client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: model, version: 2 },
        contentChanges: [{ text: edited }],
      });
      await client.until(config, (d) => codes(d).join() === 'unused-secret 4');
      await client.until(model, (d) => codes(d).join() === 'undeclared-secret-read 6');
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('completes, hovers, goes to the declaration and finds references across the two files', async () => {
    const ws = workspace();
    const config = ws.write('chat/config.yaml', CONFIG);
    const typing = MODEL.replace('"wandb_key"', '""');
    const model = ws.write('chat/model/model.py', typing);
    const client = await LspClient.start({ folders: [ws.folder] });
    try {
      await client.openPython(model, typing);
      // Inside `secrets[""]`: the declared names, replacing the string's content.
      const inside = at(typing, '[""]', 2);
      const items = await client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: model },
        position: inside,
        context: { triggerKind: 2, triggerCharacter: '"' },
      });
      assert.deepEqual(items.map((i) => i.label).sort(), ['hf_access_token', 'openai_api_key', 'unused_key']);
      const edit = items[0].textEdit as TextEdit;
      assert.deepEqual(edit.range, { start: inside, end: inside });
      // `.get('|…')` too, over what is typed; nowhere else in the file.
      const get = await client.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: model },
        position: at(typing, "get('", 6),
      });
      assert.deepEqual((get[0].textEdit as TextEdit).range, {
        start: at(typing, "get('", 5),
        end: at(typing, "get('", 5 + 'openai_api_ky'.length),
      });
      for (const where of [at(typing, 'self._hf'), at(typing, 'kwargs["', 8)]) {
        const none = await client.request<CompletionItem[]>('textDocument/completion', {
          textDocument: { uri: model },
          position: where,
        });
        assert.deepEqual(none, [], JSON.stringify(where));
      }

      // Hover on a read: its declaration and where Baseten's value comes from.
      const read = at(typing, 'hf_access_token', 3);
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: model }, position: read });
      const text = (hover.contents as { value: string }).value;
      assert.match(text, /Declared in `config.yaml` under `secrets` \(line 4\)/);
      assert.match(text, /Settings → Secrets/);
      assert.match(text, /`\/secrets\/hf_access_token`/);
      const undeclared = await client.request<Hover>('textDocument/hover', {
        textDocument: { uri: model },
        position: at(typing, 'openai_api_ky', 2),
      });
      assert.match((undeclared.contents as { value: string }).value, /\*\*Not declared\*\*.*SecretNotFound/s);

      // Definition: from the read to the key in config.yaml.
      const def = await client.request<Location[]>('textDocument/definition', {
        textDocument: { uri: model },
        position: read,
      });
      assert.deepEqual(def, [
        { uri: config, range: { start: { line: 3, character: 2 }, end: { line: 3, character: 17 } } },
      ]);

      // References, from either file: the key and the read.
      const fromPy = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri: model },
        position: read,
        context: { includeDeclaration: true },
      });
      await client.open(config, CONFIG);
      const fromYaml = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri: config },
        position: { line: 3, character: 4 },
        context: { includeDeclaration: true },
      });
      const fromOpen = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri: config },
        position: { line: 3, character: 4 },
        context: { includeDeclaration: false },
      });
      const where = (ls: Location[]) => ls.map((l) => `${l.uri === config ? 'config' : 'model'}:${l.range.start.line}`);
      assert.deepEqual(where(fromPy), ['config:3', 'model:5']);
      assert.deepEqual(where(fromYaml), ['config:3', 'model:5']);
      assert.deepEqual(where(fromOpen), ['model:5']);
      // Outline and highlights of a Python file are the Python language's, not ours.
      assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri: model } }), []);
      assert.deepEqual(
        await client.request('textDocument/documentHighlight', { textDocument: { uri: model }, position: read }),
        [],
      );
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('renames across config.yaml and the Python files of one Truss, from either, and no other Truss', async () => {
    const ws = workspace();
    const config = ws.write('chat/config.yaml', CONFIG);
    const model = ws.write('chat/model/model.py', MODEL);
    const helper = ws.write(
      'chat/packages/auth/hf.py',
      'def token(secrets):\n    return open("/secrets/hf_access_token").read()\n',
    );
    const other = ws.write('other/config.yaml', OTHER_CONFIG);
    const otherModel = ws.write('other/model/model.py', OTHER_MODEL);
    const client = await LspClient.start({ folders: [ws.folder] });
    try {
      await client.request('trussConfig/checkWorkspace', {}); // both Trusses known
      await client.openPython(model, MODEL);
      const apply = (edit: WorkspaceEdit) => {
        const changes = edit.changes!;
        assert.deepEqual(Object.keys(changes).sort(), [config, helper, model].sort(), 'this Truss only');
        return {
          config: applyEdits(CONFIG, changes[config]),
          model: applyEdits(MODEL, changes[model]),
          helper: applyEdits(ws.read('chat/packages/auth/hf.py'), changes[helper]),
        };
      };
      const fromPy = await client.request<WorkspaceEdit>('textDocument/rename', {
        textDocument: { uri: model },
        position: at(MODEL, 'hf_access_token', 1),
        newName: 'hf_token',
      });
      const py = apply(fromPy);
      assert.equal(py.config, CONFIG.replace('  hf_access_token: null', '  hf_token: null'), 'comments kept');
      assert.equal(py.model, MODEL.replace('"hf_access_token"', '"hf_token"'));
      assert.match(py.helper, /open\("\/secrets\/hf_token"\)/);
      assert.ok(!(other in fromPy.changes!) && !(otherModel in fromPy.changes!));

      await client.open(config, CONFIG);
      const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', {
        textDocument: { uri: config },
        position: { line: 3, character: 3 },
      });
      assert.equal(prepared.placeholder, 'hf_access_token');
      const fromYaml = await client.request<WorkspaceEdit>('textDocument/rename', {
        textDocument: { uri: config },
        position: { line: 3, character: 3 },
        newName: 'hf_token',
      });
      assert.deepEqual(apply(fromYaml), py, 'the same edit from either file');

      // Refused, with the reason: a name the reads cannot hold, a name already declared.
      await assert.rejects(
        client.request('textDocument/rename', {
          textDocument: { uri: model },
          position: at(MODEL, 'hf_access_token', 1),
          newName: 'openai_api_key',
        }),
        /already declared/,
      );
      // Not on a secret: no rename here, and the Python language's own rename can take over.
      const position = at(MODEL, 'load');
      assert.equal(
        await client.request('textDocument/prepareRename', { textDocument: { uri: model }, position }),
        null,
      );
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('refuses a rename that would edit a Python file another Truss packages too', async () => {
    const ws = workspace();
    const shared = 'def token():\n    return open("/secrets/hf_access_token").read()\n';
    const declared = 'secrets:\n  hf_access_token: null\nexternal_package_dirs:\n  - ../shared\n';
    const a = ws.write('a/config.yaml', `model_name: a\n${declared}`);
    ws.write('b/config.yaml', `model_name: b\n${declared}`);
    const util = ws.write('shared/util.py', shared);
    const client = await LspClient.start({ folders: [ws.folder] });
    try {
      await client.request('trussConfig/checkWorkspace', {}); // both Trusses known
      await client.open(a, `model_name: a\n${declared}`);
      const refs = await client.request<Location[]>('textDocument/references', {
        textDocument: { uri: a },
        position: { line: 2, character: 4 },
        context: { includeDeclaration: false },
      });
      assert.deepEqual(
        refs.map((l) => l.uri),
        [util],
        'the shared file is code of this Truss',
      );
      await assert.rejects(
        client.request('textDocument/rename', {
          textDocument: { uri: a },
          position: { line: 2, character: 4 },
          newName: 'hf_token',
        }),
        /`\.\.\/shared\/util\.py` is model code of another Truss too/,
      );
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('offers the fixes of a Python finding: declare it in config.yaml, or read the close declared name', async () => {
    const ws = workspace();
    const config = ws.write('chat/config.yaml', CONFIG);
    const model = ws.write('chat/model/model.py', MODEL);
    const client = await LspClient.start({ folders: [ws.folder] });
    try {
      await client.openPython(model, MODEL);
      const diagnostics = await client.until(model, (d) => (d?.length ?? 0) === 2);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: model },
        range: diagnostics[0].range,
        context: { diagnostics },
      });
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred ?? false]),
        [
          ['Read the declared secret `openai_api_key`', true],
          ['Add `wandb_key: null` to secrets in config.yaml', true],
          ['Add `openai_api_ky: null` to secrets in config.yaml', false],
        ],
      );
      const edits = (a: CodeAction) =>
        Object.fromEntries(
          (
            a.edit!.documentChanges as Array<{
              textDocument: { uri: string; version: number | null };
              edits: TextEdit[];
            }>
          ).map((c) => [c.textDocument.uri, c]),
        );
      const read = edits(actions[0]);
      assert.deepEqual(Object.keys(read), [model]);
      assert.equal(read[model].textDocument.version, 1);
      assert.equal(applyEdits(MODEL, read[model].edits), MODEL.replace("'openai_api_ky'", "'openai_api_key'"));
      const declare = edits(actions[1]);
      assert.deepEqual(Object.keys(declare), [config]);
      assert.equal(declare[config].textDocument.version, null, 'config.yaml is not open');
      assert.equal(
        applyEdits(CONFIG, declare[config].edits),
        CONFIG.replace('  unused_key: null\n', '  unused_key: null\n  wandb_key: null\n'),
      );
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('follows a Truss whose model_module_dir is src, and says nothing about other Python files', async () => {
    const ws = workspace();
    const config = ws.write('t/config.yaml', 'model_name: m\nmodel_module_dir: src\nsecrets:\n  api_key: null\n');
    const read =
      'class Model:\n    def __init__(self, **kw):\n        self.s = kw["secrets"]\n        self.k = self.s["nope"]\n';
    const model = ws.write('t/src/model.py', read);
    const notCode = ws.write('t/model/model.py', read); // not the model module of this Truss
    const script = ws.write('t/scripts/deploy.py', read);
    const loose = ws.write('elsewhere/model/model.py', read);
    const client = await LspClient.start({ folders: [ws.folder], relativeWatch: true });
    try {
      await client.until(model, (d) => codes(d).join() === 'undeclared-secret-read 3');
      for (const uri of [notCode, script, loose]) await client.openPython(uri, read);
      await client.openPython(model, read);
      await new Promise((r) => setTimeout(r, 400));
      for (const uri of [notCode, script, loose]) {
        assert.equal(client.latest(uri), undefined, `nothing published for ${uri}`);
        const position = at(read, '"nope"', 2);
        assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position }), null);
        assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri }, position }), []);
        assert.deepEqual(await client.request('textDocument/definition', { textDocument: { uri }, position }), []);
      }
      // The client is asked to watch the Python files of the Truss's code folders, and no others.
      const globs = [...client.registered.values()]
        .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
        .flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: unknown }> }).watchers)
        .map((w) => w.globPattern)
        .filter((g) => JSON.stringify(g).includes('.py'));
      assert.deepEqual(globs, [
        { baseUri: ws.uri('t/packages'), pattern: '**/*.py' },
        { baseUri: ws.uri('t/src'), pattern: '**/*.py' },
      ]);
      void config;
    } finally {
      await client.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });

  it('follows Python files changed on disk, and an open Python file when only open files are checked', async () => {
    const ws = workspace();
    const config = ws.write('chat/config.yaml', CONFIG);
    const model = ws.write('chat/model/model.py', MODEL);
    const client = await LspClient.start({ folders: [ws.folder] });
    try {
      await client.until(model, (d) => (d?.length ?? 0) === 2);
      // Changed on disk: the client's watcher says so.
      ws.write('chat/model/model.py', MODEL.replace('"wandb_key"', '"hf_access_token"'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: model, type: 2 }],
      });
      await client.until(model, (d) => (d?.length ?? 0) === 1);
      // A new file in the model folder is code of the Truss too.
      const added = ws.write('chat/model/extra.py', MODEL);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: added, type: 1 }],
      });
      await client.until(added, (d) => (d?.length ?? 0) === 2);
      rmSync(join(ws.dir, 'chat/model/extra.py'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: added, type: 3 }],
      });
      await client.until(added, (d) => d?.length === 0);
    } finally {
      await client.stop();
    }
    const only = await LspClient.start({ folders: [ws.folder], settings: { scope: 'openFiles' } });
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(only.latest(model), undefined, 'out of scope until opened');
      await only.openPython(model, MODEL);
      await only.until(model, (d) => (d?.length ?? 0) === 2);
      assert.equal(only.latest(config), undefined, 'the config is not open: its own problems are not shown');
      void only.connection.sendNotification('textDocument/didClose', { textDocument: { uri: model } });
      await only.until(model, (d) => d?.length === 0);
    } finally {
      await only.stop();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });
});

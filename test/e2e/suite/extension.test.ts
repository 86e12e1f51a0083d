// The extension in a real VS Code, through the `vscode` API only. The workspace is a copy of
// test/e2e/workspace: iam/ (AWS_IAM without its secrets), new/ (auth_method not chosen yet),
// app/ (a config.yaml that is not a Truss config), unopened/ (a config with an unknown key that no
// test opens), onsave/ (a config that fix-all on save corrects), chat/ (a Truss whose model/model.py reads
// a secret its config does not declare), tools/loose.py (a Python file of no Truss).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import {
  BASETEN_REFRESH_COMMAND,
  BASETEN_SIGN_IN_COMMAND,
  BASETEN_SIGN_OUT_COMMAND,
  CHECK_AS_TRUSS_COMMAND,
  CHECK_WORKSPACE_COMMAND,
  CREATE_CREDENTIAL_COMMAND,
  type CheckWorkspaceResult,
  FIX_ALL_KIND,
  RESTART_COMMAND,
  STOP_CHECK_AS_TRUSS_COMMAND,
} from '../../../protocol/protocol';
import { BasetenStandIn } from '../../baseten/standin';
import { EXTENSION_ID } from '../editor';

/** What the extension exports (client/src/extension.ts): the language status item's text. */
interface StatusText {
  text: string;
  detail: string | undefined;
  severity: string;
  command: string | undefined;
  release: string;
  shown: boolean;
}
interface TrussConfigApi {
  status(): StatusText;
  traceLines(): number;
}

const METHODS = ['AWS_IAM', 'AWS_OIDC', 'GCP_OIDC', 'GCP_SERVICE_ACCOUNT_JSON', 'REGISTRY_SECRET'];

function fileIn(folder: string, name = 'config.yaml'): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0];
  assert.ok(root, 'a workspace folder is open');
  return vscode.Uri.joinPath(root.uri, folder, name);
}

async function open(folder: string, name?: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fileIn(folder, name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function trussDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'truss');
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Waits until `check` holds for the document's truss diagnostics, and returns them. */
async function diagnosticsWhen(
  uri: vscode.Uri,
  check: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  timeout = 20_000,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const ds = trussDiagnostics(uri);
    if (check(ds)) return ds;
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}; have: ${JSON.stringify(ds.map((d) => [codeOf(d), d.message]))}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The range of the first `needle` on the line that contains `lineText`. */
function rangeOf(doc: vscode.TextDocument, lineText: string, needle: string): vscode.Range {
  for (let i = 0; i < doc.lineCount; i++) {
    const line = doc.lineAt(i).text;
    if (line.includes(lineText)) {
      const at = line.indexOf(needle);
      return new vscode.Range(i, at, i, at + needle.length);
    }
  }
  throw new Error(`no line with ${lineText}`);
}

/** Waits until the status item of the active editor satisfies `check`. */
async function statusWhen(api: TrussConfigApi, check: (s: StatusText) => boolean, what: string): Promise<StatusText> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = api.status();
    if (check(s)) return s;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; the status item: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());

const missingSecrets = (ds: vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === 'missing-secret');

const hasSecret = (name: string) => (ds: vscode.Diagnostic[]) =>
  ds.some((d) => codeOf(d) === 'missing-secret' && d.message.includes(`\`${name}\``));

describe('Truss Config in VS Code', () => {
  let api: TrussConfigApi;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    api = (await ext.activate()) as TrussConfigApi;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports a missing AWS secret on the AWS_IAM value, with its code', async () => {
    const doc = await open('iam');
    const all = await diagnosticsWhen(
      doc.uri,
      (ds) => missingSecrets(ds).length === 2,
      'two missing-secret diagnostics',
    );
    const ds = missingSecrets(all);
    const method = rangeOf(doc, 'auth_method:', 'AWS_IAM');
    for (const d of ds) {
      assert.ok(d.range.isEqual(method), `range ${JSON.stringify(d.range)} is the AWS_IAM value`);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    }
    assert.ok(hasSecret('aws_access_key_id')(ds));
    assert.ok(hasSecret('aws_secret_access_key')(ds));
  });

  it('completes the five auth methods after `auth_method: `', async () => {
    const doc = await open('new');
    const line = rangeOf(doc, 'auth_method:', 'auth_method:').start.line;
    const at = doc.lineAt(line).range.end;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      at,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(
      labels.filter((l) => METHODS.includes(l)).sort(),
      [...METHODS].sort(),
      `labels: ${labels.join(', ')}`,
    );
  });

  it('explains docker_auth on hover', async () => {
    const doc = await open('iam');
    const at = rangeOf(doc, 'docker_auth:', 'docker_auth').start.translate(0, 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /Baseten's build service logs in/);
  });

  it('gives a config.yaml that is not a Truss config nothing', async () => {
    const app = await open('app');
    // Make the server check another document after this one, then allow a moment more.
    const iam = await open('iam');
    await diagnosticsWhen(iam.uri, (ds) => missingSecrets(ds).length === 2, 'the Truss config checked');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(trussDiagnostics(app.uri), []);
  });

  it('clears the diagnostics when validation is turned off in settings, and brings them back', async () => {
    const doc = await open('iam');
    await diagnosticsWhen(doc.uri, (ds) => missingSecrets(ds).length === 2, 'diagnostics before');
    const config = vscode.workspace.getConfiguration('trussConfig');
    await config.update('validate.enable', false, vscode.ConfigurationTarget.Global);
    try {
      await diagnosticsWhen(doc.uri, (ds) => ds.length === 0, 'no diagnostics with validation off');
    } finally {
      await config.update('validate.enable', undefined, vscode.ConfigurationTarget.Global);
    }
    await diagnosticsWhen(doc.uri, (ds) => missingSecrets(ds).length === 2, 'diagnostics back with validation on');
  });

  it('shows the problems of a config that is not open, and counts them with Check All Truss Configs', async () => {
    const uri = fileIn('unopened');
    assert.ok(!isOpen(uri), 'unopened/config.yaml is not open');
    const ds = await diagnosticsWhen(
      uri,
      (d) => d.some((x) => codeOf(x) === 'unknown-key' && x.message.includes('`acelerator`')),
      'the unknown-key diagnostic of the unopened config',
    );
    assert.equal(ds.find((d) => codeOf(d) === 'unknown-key')?.severity, vscode.DiagnosticSeverity.Error);
    const result = await vscode.commands.executeCommand<CheckWorkspaceResult>(CHECK_WORKSPACE_COMMAND);
    assert.ok(result && result.withProblems >= 1 && result.configs >= result.withProblems, JSON.stringify(result));
    assert.ok(!isOpen(uri), 'the check did not open it');
    assert.ok(
      trussDiagnostics(uri).some((d) => codeOf(d) === 'unknown-key'),
      'its problem is still shown',
    );
  });

  it('says "Truss config" with the count of problems in the status item, or "Not a Truss config" and why', async () => {
    await open('iam');
    const truss = await statusWhen(api, (s) => s.text === 'Truss config' && s.detail === '2 warnings', 'iam');
    assert.equal(truss.severity, 'warning');
    // The release it is judged by: the test machine has no truss installed.
    assert.match(truss.release, /^truss not found: checking as \d+\.\d+\.\d+$/);
    await open('app');
    const other = await statusWhen(api, (s) => s.text === 'Not a Truss config', 'app');
    assert.match(other.detail ?? '', /^score -?\d+ of 3: defaults -3; no model\/model\.py or packages\/ beside it$/);
    assert.equal(other.command, CHECK_AS_TRUSS_COMMAND);
  });

  it('fixes all auto-fixable problems on save with "source.fixAll.truss": "explicit"', async () => {
    const editor = vscode.workspace.getConfiguration('editor', { languageId: 'yaml' });
    await editor.update('codeActionsOnSave', { [FIX_ALL_KIND]: 'explicit' }, vscode.ConfigurationTarget.Global, true);
    try {
      const doc = await open('onsave');
      await diagnosticsWhen(doc.uri, (ds) => ds.some((d) => codeOf(d) === 'auth-method-case'), 'auth-method-case');
      const edited = await vscode.window.activeTextEditor?.edit((e) => e.insert(new vscode.Position(1, 0), '# \n'));
      assert.ok(edited && doc.isDirty, 'the document is edited');
      await vscode.commands.executeCommand('workbench.action.files.save');
      const deadline = Date.now() + 20_000;
      while (doc.isDirty && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const saved = new TextDecoder().decode(await vscode.workspace.fs.readFile(doc.uri));
      assert.match(saved, /^ {4}auth_method: AWS_IAM$/m, 'the method upper-cased on disk');
      assert.match(
        saved,
        /^secrets:\n {2}aws_access_key_id: null\n {2}aws_secret_access_key: null\n/m,
        'secrets declared',
      );
      assert.equal(doc.getText(), saved, 'the saved text is the document');
      await diagnosticsWhen(doc.uri, (ds) => ds.length === 0, 'no problem left');
    } finally {
      await editor.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Global, true);
    }
  });

  it('restarts the language server with Truss: Restart Language Server, and the diagnostics come back', async () => {
    const doc = await open('iam');
    await diagnosticsWhen(doc.uri, (ds) => missingSecrets(ds).length === 2, 'diagnostics before');
    let cleared = false;
    const watch = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === doc.uri.toString()) && !trussDiagnostics(doc.uri).length) cleared = true;
    });
    try {
      const said = await vscode.commands.executeCommand<string>(RESTART_COMMAND);
      assert.match(said, /^Truss: restarted the language server \(truss-config \d+\.\d+\.\d+\)\.$/);
      await diagnosticsWhen(doc.uri, (ds) => missingSecrets(ds).length === 2, 'diagnostics after the restart');
    } finally {
      watch.dispose();
    }
    assert.ok(cleared, 'the diagnostics went away while the server was stopped');
    await diagnosticsWhen(
      fileIn('unopened'),
      (ds) => ds.some((d) => codeOf(d) === 'unknown-key'),
      'the unopened config checked again',
    );
    await statusWhen(api, (s) => s.text === 'Truss config' && s.detail === '2 warnings', 'the status item back');
  });

  it('fixes a missing secret with the "add missing secret" quick fix', async () => {
    const doc = await open('iam');
    const ds = await diagnosticsWhen(doc.uri, hasSecret('aws_access_key_id'), 'the aws_access_key_id diagnostic');
    const target = ds.find((d) => d.message.includes('`aws_access_key_id`'));
    assert.ok(target);
    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      target.range,
      vscode.CodeActionKind.QuickFix.value,
      10, // resolve up to 10 actions, in case the edit comes on resolve
    );
    const titles = actions.map((a) => a.title);
    // Both problems sit on the AWS_IAM value: each gets its own fix, once.
    for (const name of ['aws_access_key_id', 'aws_secret_access_key']) {
      const count = titles.filter((t) => t === `Add \`${name}: null\` to secrets`).length;
      assert.equal(count, 1, `one "Add ${name}" fix among: ${titles.join(' | ')}`);
    }
    const title = 'Add `aws_access_key_id: null` to secrets';
    const fix = actions.find((a) => a.title === title) as vscode.CodeAction | undefined;
    assert.ok(fix?.edit, `"${title}" has an edit`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
    assert.match(doc.getText(), /^secrets:\n( {2}.*\n)* {2}aws_access_key_id: null\n/m);
    const left = await diagnosticsWhen(doc.uri, (ds) => !hasSecret('aws_access_key_id')(ds), 'the diagnostic cleared');
    assert.equal(missingSecrets(left).length, 1, 'one missing secret is left');
    assert.ok(hasSecret('aws_secret_access_key')(left), 'aws_secret_access_key is still missing');
  });

  it('warns of an undeclared read in model.py, completes declared names, and declares it in config.yaml', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const model = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'chat', 'model', 'model.py'));
    await vscode.window.showTextDocument(model);
    assert.equal(model.languageId, 'python');
    const read = (ds: vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === 'undeclared-secret-read');
    const ds = read(
      await diagnosticsWhen(model.uri, (x) => read(x).length === 1, 'undeclared-secret-read in model.py'),
    );
    assert.ok(ds[0].range.isEqual(rangeOf(model, '.get(', 'openai_key')), 'on the name in the string');
    assert.equal(ds[0].severity, vscode.DiagnosticSeverity.Warning);

    const inside = rangeOf(model, '_secrets["hf_access_token"]', 'hf_access_token').start.translate(0, 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      model.uri,
      inside,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('hf_access_token'), `the declared name among: ${labels.slice(0, 20).join(', ')}`);

    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider',
      model.uri,
      ds[0].range,
      vscode.CodeActionKind.QuickFix.value,
      10,
    );
    const title = 'Add `openai_key: null` to secrets in config.yaml';
    const fix = actions.find((a) => a.title === title) as vscode.CodeAction | undefined;
    assert.ok(fix?.edit, `"${title}" among: ${actions.map((a) => a.title).join(' | ')}`);
    const config = vscode.Uri.joinPath(root, 'chat', 'config.yaml');
    assert.deepEqual(
      fix.edit.entries().map(([uri]) => uri.toString()),
      [config.toString()],
      'it edits config.yaml only',
    );
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applies');
    const edited = await vscode.workspace.openTextDocument(config);
    assert.match(edited.getText(), /^ {2}hf_access_token: null {2}# the Hugging Face token\n {2}openai_key: null\n/m);
    await diagnosticsWhen(model.uri, (x) => read(x).length === 0, 'the Python diagnostic cleared');
  });

  it('says nothing about a Python file of no Truss', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const loose = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'tools', 'loose.py'));
    await vscode.window.showTextDocument(loose);
    const iam = await open('iam'); // the server has handled the Python file's opening by then
    await diagnosticsWhen(iam.uri, (ds) => missingSecrets(ds).length >= 1, 'the Truss config checked');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(trussDiagnostics(loose.uri), []);
  });

  it('checks a config.yaml as a Truss config on request (Truss: Check This File as a Truss Config)', async () => {
    const app = await open('app');
    await statusWhen(api, (s) => s.text === 'Not a Truss config', 'app not a Truss config');
    await vscode.commands.executeCommand(CHECK_AS_TRUSS_COMMAND, app.uri);
    const s = await statusWhen(api, (x) => x.text === 'Truss config', 'app checked as a Truss config');
    assert.match(s.detail ?? '', /error/);
    await diagnosticsWhen(app.uri, (ds) => ds.some((d) => codeOf(d) === 'unknown-key'), 'its unknown keys');
    // The way back, from the status item.
    const forced = await statusWhen(api, (x) => x.command === STOP_CHECK_AS_TRUSS_COMMAND, 'the Stop link');
    assert.equal(forced.text, 'Truss config');
    await vscode.commands.executeCommand(STOP_CHECK_AS_TRUSS_COMMAND, app.uri);
    await statusWhen(api, (x) => x.text === 'Not a Truss config', 'app no longer checked');
    await diagnosticsWhen(app.uri, (ds) => ds.length === 0, 'its problems gone');
  });

  it('shows no Truss entries in the status bar on YAML files that are not candidate configs', async () => {
    await open('iam');
    await statusWhen(api, (s) => s.shown && s.text === 'Truss config', 'shown on a Truss config');
    await open('tools', '.truss-config.yaml');
    await statusWhen(api, (s) => !s.shown, 'not shown on .truss-config.yaml');
    await open('tools', 'values.yaml');
    await statusWhen(api, (s) => !s.shown, 'not shown on values.yaml');
    await open('app');
    await statusWhen(api, (s) => s.shown && s.text === 'Not a Truss config', 'shown on a config.yaml');
  });

  it('traces the LSP traffic with trussConfig.trace.server alone', async () => {
    const config = vscode.workspace.getConfiguration('trussConfig');
    const doc = await open('iam');
    const before = api.traceLines();
    await config.update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
    try {
      const at = rangeOf(doc, 'docker_auth:', 'docker_auth').start;
      const deadline = Date.now() + 10_000;
      while (api.traceLines() <= before && Date.now() < deadline) {
        await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(api.traceLines() > before, 'trace lines written');
    } finally {
      await config.update('trace.server', undefined, vscode.ConfigurationTarget.Global);
    }
    const after = api.traceLines();
    await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 2));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(api.traceLines(), after, 'none once it is off');
  });
});

interface Asked {
  kind: 'input' | 'pick' | 'information' | 'warning' | 'error';
  text: string;
  items: string[];
}

/**
 * Answers the extension's prompts for a while (the `vscode` API object is the extension's too): input
 * boxes, quick picks and messages with buttons take the next reply in order; everything asked is kept.
 */
function answering(replies: Array<string | undefined>): { asked: Asked[]; restore(): void } {
  const w = vscode.window as unknown as Record<string, unknown>;
  const names = ['showInputBox', 'showQuickPick', 'showInformationMessage', 'showWarningMessage', 'showErrorMessage'];
  const saved = names.map((n) => w[n]);
  const asked: Asked[] = [];
  w.showInputBox = (o: vscode.InputBoxOptions = {}) => {
    asked.push({ kind: 'input', text: [o.title, o.prompt, o.value].join(' | '), items: [] });
    return Promise.resolve(replies.shift());
  };
  w.showQuickPick = async (items: string[] | Thenable<string[]>) => {
    asked.push({ kind: 'pick', text: '', items: [...(await items)] });
    return replies.shift();
  };
  const message =
    (kind: Asked['kind']) =>
    (text: string, ...rest: unknown[]) => {
      const options = rest[0] && typeof rest[0] === 'object' ? (rest[0] as vscode.MessageOptions) : undefined;
      const items = rest.filter((x): x is string => typeof x === 'string');
      asked.push({ kind, text: options?.detail ? `${text} | ${options.detail}` : text, items });
      return Promise.resolve(items.length ? replies.shift() : undefined);
    };
  w.showInformationMessage = message('information');
  w.showWarningMessage = message('warning');
  w.showErrorMessage = message('error');
  return { asked, restore: () => names.forEach((n, i) => (w[n] = saved[i])) };
}

describe('Truss Config in VS Code: registry credentials and Baseten', () => {
  const HUB = 'DOCKER_REGISTRY_https://index.docker.io/v1/';
  const standIn = new BasetenStandIn('bt_e2e_key_7f3a', ['hf_access_token']);

  after(async () => {
    await standIn.stop();
  });

  it('names a Docker Hub credential as the checker wants it, however the host is typed', async () => {
    await open('app'); // not a Truss config: the command asks for the host
    const prompts = answering(['docker.io', 'me', 'not-a-real-password']);
    try {
      await vscode.commands.executeCommand(CREATE_CREDENTIAL_COMMAND);
    } finally {
      prompts.restore();
    }
    const said = prompts.asked.map((a) => `${a.kind}: ${a.text}`).join('\n');
    assert.ok(!prompts.asked.some((a) => a.kind === 'pick'), `no Save to Baseten while signed out:\n${said}`);
    const copied = prompts.asked.find((a) => a.kind === 'information' && a.text.startsWith('Copied'));
    assert.ok(copied?.text.includes(`secret named ${HUB} `), said);
  });

  it('asks before adding a credential that docker_auth already gives, and says an ECR token expires', async () => {
    await open('iam'); // ECR image with docker_auth AWS_IAM
    const declined = answering([undefined]);
    try {
      await vscode.commands.executeCommand(CREATE_CREDENTIAL_COMMAND);
    } finally {
      declined.restore();
    }
    assert.equal(declined.asked.length, 1, JSON.stringify(declined.asked));
    assert.equal(declined.asked[0].kind, 'warning');
    assert.match(declined.asked[0].text, /already has docker_auth.*registry-credentials-twice/);
    const anyway = answering(['Create Anyway', 'AWS', undefined]);
    try {
      await vscode.commands.executeCommand(CREATE_CREDENTIAL_COMMAND);
    } finally {
      anyway.restore();
    }
    const inputs = anyway.asked.filter((a) => a.kind === 'input');
    assert.match(inputs[0].text, /\| AWS$/, 'the user ECR dictates');
    assert.match(inputs[1].text, /expires after 12 hours/);
  });

  it('confirms a sign-in, checks unopened configs, and offers Save to Baseten only while it answers', async () => {
    const url = await standIn.start();
    process.env.BASETEN_API_URL = url; // the server started next inherits it
    const config = vscode.workspace.getConfiguration('trussConfig');
    try {
      await vscode.commands.executeCommand(RESTART_COMMAND);
      const signIn = answering([standIn.key]);
      try {
        await vscode.commands.executeCommand(BASETEN_SIGN_IN_COMMAND);
      } finally {
        signIn.restore();
      }
      const confirmed = signIn.asked.find((a) => a.kind === 'information');
      assert.equal(confirmed?.text, 'Truss: signed in to Baseten: 1 secret.', JSON.stringify(signIn.asked));
      // A config never opened gets the workspace's findings too.
      await diagnosticsWhen(
        fileIn('unopened'),
        (ds) => ds.some((d) => codeOf(d) === 'secret-not-in-workspace'),
        'secret-not-in-workspace on the unopened config',
      );
      await open('app');
      const online = answering(['ghcr.io', 'me', 'not-a-real-password', undefined]);
      try {
        await vscode.commands.executeCommand(CREATE_CREDENTIAL_COMMAND);
      } finally {
        online.restore();
      }
      const pick = online.asked.find((a) => a.kind === 'pick');
      assert.ok(pick?.items.includes('Save to Baseten as DOCKER_REGISTRY_ghcr.io'), JSON.stringify(online.asked));

      await standIn.stop(); // Baseten unreachable
      const refresh = answering([]);
      try {
        await vscode.commands.executeCommand(BASETEN_REFRESH_COMMAND);
      } finally {
        refresh.restore();
      }
      const warned = refresh.asked.find((a) => a.kind === 'warning');
      assert.ok(warned && !/answered/.test(warned.text), JSON.stringify(refresh.asked));
      assert.match(warned.text, /not fetched: (offline|timeout)/);
      const offline = answering(['ghcr.io', 'me', 'not-a-real-password', undefined]);
      try {
        await vscode.commands.executeCommand(CREATE_CREDENTIAL_COMMAND);
      } finally {
        offline.restore();
      }
      assert.ok(!offline.asked.some((a) => a.kind === 'pick'), JSON.stringify(offline.asked));
    } finally {
      const out = answering([]);
      try {
        await vscode.commands.executeCommand(BASETEN_SIGN_OUT_COMMAND);
      } finally {
        out.restore();
      }
      await config.update('baseten.checkSecrets', undefined, vscode.ConfigurationTarget.Global);
      delete process.env.BASETEN_API_URL;
    }
    await diagnosticsWhen(
      fileIn('unopened'),
      (ds) => !ds.some((d) => codeOf(d) === 'secret-not-in-workspace'),
      'the unopened config without it after sign-out',
    );
  });
});

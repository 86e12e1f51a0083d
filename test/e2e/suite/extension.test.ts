// The extension in a real VS Code, through the `vscode` API only. The workspace is a copy of
// test/e2e/workspace: iam/ (AWS_IAM without its secrets), new/ (auth_method not chosen yet),
// app/ (a config.yaml that is not a Truss config).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../editor';

const METHODS = ['AWS_IAM', 'AWS_OIDC', 'GCP_OIDC', 'GCP_SERVICE_ACCOUNT_JSON', 'REGISTRY_SECRET'];

function fileIn(folder: string): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0];
  assert.ok(root, 'a workspace folder is open');
  return vscode.Uri.joinPath(root.uri, folder, 'config.yaml');
}

async function open(folder: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fileIn(folder));
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

const missingSecrets = (ds: vscode.Diagnostic[]) => ds.filter((d) => codeOf(d) === 'missing-secret');

const hasSecret = (name: string) => (ds: vscode.Diagnostic[]) =>
  ds.some((d) => codeOf(d) === 'missing-secret' && d.message.includes(`\`${name}\``));

describe('Truss Config in VS Code', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await ext.activate();
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
});

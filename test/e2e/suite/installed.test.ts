// Runs in a VS Code where the extension comes from the installed .vsix, not from this folder
// (the development extension is test/e2e/probe, which contributes nothing).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, ROOT } from '../editor';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('the installed .vsix', () => {
  it('is the extension VS Code loaded, from the extensions folder', () => {
    const copies = vscode.extensions.all.filter((e) => e.id === EXTENSION_ID);
    assert.equal(copies.length, 1, 'one copy of the extension');
    const [ext] = copies;
    assert.equal((ext.packageJSON as { version: string }).version, VERSION);
    assert.equal(basename(ext.extensionPath), `${EXTENSION_ID}-${VERSION}`, `installed copy, not ${ext.extensionPath}`);
    assert.ok(!ext.extensionPath.startsWith(ROOT), 'not the development folder');
  });

  it('activates and diagnoses a config.yaml', async () => {
    const root = vscode.workspace.workspaceFolders?.[0];
    assert.ok(root, 'a workspace folder is open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root.uri, 'iam', 'config.yaml'));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const deadline = Date.now() + 30_000;
    let codes: string[] = [];
    for (;;) {
      codes = vscode.languages
        .getDiagnostics(doc.uri)
        .filter((d) => d.source === 'truss')
        .map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
      if (ext?.isActive && codes.filter((c) => c === 'missing-secret').length === 2) break;
      assert.ok(Date.now() < deadline, `active: ${ext?.isActive}, diagnostics: ${codes.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});

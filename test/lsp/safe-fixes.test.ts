import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { parseAllDocuments } from 'yaml';
import { ROOT, goldens, ruleCases } from '../ruleFiles';
import { LspClient, uri } from './client';
import { applyEdits } from '../text';

/** Every config of ours: the rule cases, the golden inputs, the examples and the mutation bases. */
function documents(): Array<{ name: string; text: string }> {
  const docs = [...ruleCases(), ...goldens().map((g) => ({ name: g.name, text: g.input }))];
  const dir = (d: string, pick: (f: string) => boolean) =>
    readdirSync(join(ROOT, d), { recursive: true })
      .map(String)
      .filter(pick)
      .map((f) => ({ name: `${d}/${f}`, text: readFileSync(join(ROOT, d, f), 'utf8') }));
  return [
    ...docs,
    ...dir('examples', (f) => f.endsWith('config.yaml')),
    ...dir('test/mutation', (f) => f.endsWith('.yaml')),
  ];
}

describe('every quick fix on every test file is safe', () => {
  it('parses afterwards, touches only its lines, keeps the line endings', async () => {
    const client = await LspClient.start();
    let applied = 0;
    try {
      for (const doc of documents()) {
        for (const eol of ['\n', '\r\n']) {
          const text = doc.text.replace(/\r?\n/g, eol);
          const u = uri();
          const diagnostics = await client.open(u, text);
          for (const d of diagnostics) {
            const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
              textDocument: { uri: u },
              range: d.range,
              context: { diagnostics: [d] },
            });
            for (const action of actions.filter((a) => a.edit)) {
              const change = action.edit!.documentChanges![0] as {
                textDocument: { version: number };
                edits: TextEdit[];
              };
              assert.equal(change.textDocument.version, 1, 'versioned for the text it was computed on');
              const out = applyEdits(text, change.edits);
              applied++;
              const what = `${doc.name} (${eol === '\n' ? 'LF' : 'CRLF'}): ${action.title}`;
              const hadErrors = parseAllDocuments(text).some((x) => x.errors.length > 0);
              if (!hadErrors) assert.ok(!parseAllDocuments(out).some((x) => x.errors.length > 0), `${what}: parses`);
              if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(out), `${what}: CRLF kept`);
              // Lines before the first edit and after the last are unchanged.
              const first = Math.min(...change.edits.map((e) => e.range.start.line));
              const last = Math.max(...change.edits.map((e) => e.range.end.line));
              const a = text.split(eol);
              const b = out.split(eol);
              assert.deepEqual(b.slice(0, first), a.slice(0, first), `${what}: lines above`);
              assert.deepEqual(b.slice(b.length - (a.length - last - 1)), a.slice(last + 1), `${what}: lines below`);
            }
          }
        }
      }
    } finally {
      await client.stop();
    }
    console.log(`safe fixes: ${applied} fixes applied`);
    assert.ok(applied > 100, `${applied} fixes applied`);
  });
});

/**
 * The quick-fix menu at every cursor of every example (the rules' cases, goldens and docs examples), as
 * the editor asks for it: the diagnostics under the cursor. No two actions share a title, and the
 * preferred ones come first, one per code at most.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, Position } from 'vscode-languageserver-protocol';
import { CODES } from '../../server/src/engine/rules';
import { goldens, ruleCases } from '../ruleFiles';
import { LspClient, uri } from './client';

const before_ = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const under = (d: Diagnostic, at: Position) => before_(d.range.start, at) && before_(at, d.range.end);

describe('the quick-fix menu at a cursor', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('offers each fix once, the preferred first, for every code', async () => {
    const examples = [
      ...[...CODES.values()].map((c) => ({ name: `docs of ${c.code}`, text: c.docs.bad })),
      ...ruleCases().map((c) => ({ name: c.name, text: c.text })),
      ...goldens().map((g) => ({ name: g.name, text: g.input })),
    ];
    const wrong: string[] = [];
    const fixed = new Set<string>();
    let menus = 0;
    for (const { name, text } of examples) {
      const u = uri();
      const diagnostics = await client.open(u, text);
      const cursors = new Map(diagnostics.map((d) => [JSON.stringify(d.range.start), d.range.start]));
      for (const at of cursors.values()) {
        const here = diagnostics.filter((d) => under(d, at));
        const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri: u },
          range: { start: at, end: at },
          context: { diagnostics: here, only: ['quickfix'] },
        });
        menus++;
        const titles = actions.map((a) => a.title);
        const twice = titles.filter((t, i) => titles.indexOf(t) !== i);
        if (twice.length) wrong.push(`${name} ${at.line}:${at.character}: twice: ${twice.join(' | ')}`);
        const firstOther = actions.findIndex((a) => !a.isPreferred);
        if (firstOther >= 0 && actions.slice(firstOther).some((a) => a.isPreferred)) {
          wrong.push(`${name} ${at.line}:${at.character}: a preferred fix after another: ${titles.join(' | ')}`);
        }
        const preferredCodes = actions
          .filter((a) => a.isPreferred)
          .flatMap((a) => [...new Set(a.diagnostics?.map((d) => d.code))]);
        if (new Set(preferredCodes).size !== preferredCodes.length) {
          wrong.push(`${name} ${at.line}:${at.character}: two preferred fixes of a code: ${titles.join(' | ')}`);
        }
        for (const a of actions)
          if (!a.title.startsWith('Suppress')) a.diagnostics?.forEach((d) => fixed.add(`${d.code}`));
      }
      void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: u } });
    }
    assert.deepEqual(wrong, []);
    assert.ok(menus > 200, `${menus} menus`);
    // Every code that has a fix was looked at (those that need Baseten's list or model code are tested elsewhere).
    const elsewhere = new Set(['secret-not-in-workspace', 'undeclared-secret-read', 'unused-secret']);
    const missed = [...CODES.values()]
      .filter((c) => c.fix !== undefined && !fixed.has(c.code) && !elsewhere.has(c.code))
      .map((c) => c.code);
    assert.deepEqual(missed, []);
  });

  it('offers "add all missing secrets" first and preferred, and the suppression once', async () => {
    const u = uri();
    const text =
      'model_name: m\nbase_image:\n  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/m:1\n' +
      '  docker_auth:\n    auth_method: AWS_IAM\n    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com\n';
    const diagnostics = await client.open(u, text);
    const here = diagnostics.filter((d) => d.code === 'missing-secret');
    assert.equal(here.length, 2);
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: u },
      range: here[0].range,
      context: { diagnostics: here },
    });
    assert.deepEqual(
      actions.map((a) => [a.title, a.isPreferred ?? false]),
      [
        ['Add all missing secrets to secrets (aws_access_key_id, aws_secret_access_key)', true],
        ['Add `aws_access_key_id: null` to secrets', false],
        ['Add `aws_secret_access_key: null` to secrets', false],
        ['Suppress `missing-secret` on this line', false],
      ],
    );
    assert.equal(actions[3].diagnostics?.length, 2, 'the suppression speaks for both');
  });
});

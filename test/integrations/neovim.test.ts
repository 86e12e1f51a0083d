/**
 * Neovim as a second LSP client, headless: the Neovim 0.7 setup of docs/editors.md, run as it is written,
 * gets the diagnostics of a config, and a quick fix requested with textDocument/codeAction and applied
 * with vim.lsp.util.apply_workspace_edit changes the buffer and clears the diagnostic.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CONFIG, docsSnippet, editorFolder, missing } from './tools';

/** Opens the file, waits for diagnostics, applies the preferred quick fix of the first, writes JSON. */
const HARNESS = `
local function finish(result)
  local f = assert(io.open(os.getenv('TRUSS_OUT'), 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end
local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('TRUSS_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  if not vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
    error('no diagnostics in 15 s; clients: ' .. #vim.lsp.buf_get_clients(buf))
  end
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(found, { code = d.code, lnum = d.lnum, col = d.col, source = d.source, message = d.message })
  end
  local d = vim.diagnostic.get(buf)[1]
  local lsp = d.user_data and d.user_data.lsp or {}
  local range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = range,
    context = { diagnostics = { {
      range = range, severity = d.severity, code = d.code, source = d.source, message = d.message, data = lsp.data,
    } } },
  }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000) or {}
  local titles, chosen, client_id = {}, nil, nil
  for id, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(titles, action.title)
      if action.isPreferred and action.edit and not chosen then chosen, client_id = action, id end
    end
  end
  if not chosen then error('no preferred quick fix among: ' .. table.concat(titles, ' | ')) end
  vim.lsp.util.apply_workspace_edit(chosen.edit, vim.lsp.get_client_by_id(client_id).offset_encoding)
  local cleared = vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
  finish({
    diagnostics = found,
    titles = titles,
    applied = chosen.title,
    lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false),
    cleared = cleared,
  })
end)
if not ok then finish({ error = tostring(err) }) end
`;

interface Result {
  error?: string;
  diagnostics: Array<{ code: string; lnum: number; col: number; source: string }>;
  titles: string[];
  applied: string;
  lines: string[];
  cleared: boolean;
}

describe('Neovim (docs/editors.md)', () => {
  const skip = missing('nvim');
  const tmp = mkdtempSync(join(tmpdir(), 'truss-nvim-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('the Neovim 0.7 setup gets the diagnostics, and a quick fix applies', { skip }, () => {
    const snippet = docsSnippet('neovim', 'lua');
    assert.ok(snippet, 'docs/editors.md has the tested Neovim snippet');
    const bin = editorFolder(tmp);
    writeFileSync(join(tmp, 'init.lua'), snippet);
    writeFileSync(join(tmp, 'harness.lua'), HARNESS);
    const out = join(tmp, 'result.json');
    const started = Date.now();
    const r = spawnSync(
      'nvim',
      ['--headless', '-n', '-i', 'NONE', '-u', join(tmp, 'init.lua'), '-c', 'luafile ' + join(tmp, 'harness.lua')],
      {
        cwd: tmp,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          XDG_CONFIG_HOME: join(tmp, 'xdg', 'config'),
          XDG_DATA_HOME: join(tmp, 'xdg', 'data'),
          XDG_STATE_HOME: join(tmp, 'xdg', 'state'),
          XDG_CACHE_HOME: join(tmp, 'xdg', 'cache'),
          TRUSS_FILE: join(tmp, 'model', 'config.yaml'),
          TRUSS_OUT: out,
        },
      },
    );
    let result: Result;
    try {
      result = JSON.parse(readFileSync(out, 'utf8')) as Result;
    } catch {
      assert.fail(`nvim wrote no result (status ${r.status}): ${r.stdout}${r.stderr}`);
    }
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.lnum, d.col, d.source]),
      [['auth-method-case', 4, 17, 'truss']],
    );
    assert.match(result.applied, /AWS_IAM/);
    assert.equal(result.lines[4], '    auth_method: AWS_IAM');
    assert.deepEqual(
      result.lines.slice(0, 4).concat(result.lines.slice(5)),
      CONFIG.trimEnd()
        .split('\n')
        .filter((_, i) => i !== 4),
    );
    assert.ok(result.cleared, 'the diagnostic went away after the edit');
    assert.ok(Date.now() - started < 30_000);
  });
});

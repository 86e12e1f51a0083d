/**
 * Red Hat's YAML extension also validates a config that carries truss's `$schema` modeline, with
 * truss's published schema. Wherever it reports a problem, we must report one too, on the same
 * lines and with a code. Runs when ../shared/reference/truss-config.schema.json is there.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ROOT, goldens, ruleCases } from '../ruleFiles';
import { LspClient, messageText, uri } from './client';

const SCHEMA = join(ROOT, '..', 'shared', 'reference', 'truss-config.schema.json');
const YLS = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

function documents(): Array<{ name: string; text: string }> {
  return [...ruleCases(), ...goldens().map((g) => ({ name: g.name, text: g.input }))];
}

describe(
  "beside Red Hat YAML with truss's published schema",
  { skip: !existsSync(SCHEMA) && 'no ../shared/reference schema' },
  () => {
    it('we flag every line it flags', async () => {
      const yls = await LspClient.start({
        server: YLS,
        sections: {
          yaml: {
            schemas: { [pathToFileURL(SCHEMA).href]: ['*.yaml'] },
            validate: true,
            schemaStore: { enable: false },
          },
        },
      });
      const ours = await LspClient.start();
      const missed: string[] = [];
      let compared = 0;
      let accepted = 0;
      try {
        // It reads its settings after `initialized`, and again when told they changed.
        await yls.connection.sendNotification('workspace/didChangeConfiguration', { settings: yls.sections });
        await new Promise((r) => setTimeout(r, 300));
        for (const doc of documents()) {
          const u = uri();
          const theirs = (await yls.open(u, doc.text, 1).catch(() => [])) as Diagnostic[];
          const mine = await ours.open(uri(), doc.text);
          for (const d of theirs) {
            compared++;
            const message = messageText(d).split('\n')[0];
            const line = doc.text.split('\n')[d.range.start.line] ?? '';
            // On the same lines, or on the key that holds them (we flag `transport:` missing its `kind`,
            // it flags the mapping under it).
            const same = mine.find(
              (m) => m.range.start.line <= d.range.end.line && m.range.end.line >= d.range.start.line - 1,
            );
            // Its YAML parser refuses what PyYAML loads (test/yaml-differential.test.ts): a flow collection
            // closing at column 0, `!!float 1`, `{# comment`. Truss loads these files, and so do we.
            const pyyaml =
              /token in YAML stream|sufficiently indented|Comments must be separated|Unresolved tag|Unused anchor/.test(
                message,
              ) && !mine.some((m) => m.code === 'yaml-syntax' && m.range.start.line === d.range.start.line);
            // It flags the entry truss keeps; we flag the one truss ignores, naming the kept line.
            const duplicate =
              /Map keys must be unique/.test(message) &&
              mine.some(
                (m) => m.code === 'duplicate-key' && (m.data as { keptLine?: number }).keptLine === d.range.start.line,
              );
            // Its schema refuses the forms truss's lax validation accepts: "4", 4.0, " 4.00 " or "1_0" for an
            // int, "0.5" for a float, yes/0 for a bool; a `!!set` for a list; `1e3`, a string to PyYAML (YAML
            // 1.1) and a number to it (1.2); the mapping form of `resources.accelerator`, which it lacks.
            const previous = doc.text.split('\n')[d.range.start.line - 1] ?? '';
            const lax =
              (/Incorrect type\. Expected "(integer|number|boolean)( \| null)?"/.test(message) &&
                /:\s*(["']\s*[-+]?[\d_.]+\s*["']|[-+]?\d+\.0*|"?(yes|no|true|false|on|off)"?|[01])\s*$/i.test(line)) ||
              (/Incorrect type\. Expected "array"/.test(message) && /:\s*!!set\b/.test(line)) ||
              (/Incorrect type\. Expected "string"/.test(message) && /:\s*[-+]?\d+[eE][-+]?\d+\s*$/.test(line)) ||
              (/Incorrect type\. Expected "string( \| null)?"/.test(message) && /^\s*accelerator:\s*$/.test(previous));
            if (/Unable to load schema/.test(message)) continue; // the modeline's URL, out of reach offline
            if (lax || pyyaml) accepted++;
            else if (!same && !duplicate) missed.push(`${doc.name}: line ${d.range.start.line + 1}: ${message}`);
          }
        }
      } finally {
        await yls.stop();
        await ours.stop();
      }
      console.log(
        `red hat yaml: ${compared} of its diagnostics compared, ${accepted} on values or YAML truss accepts, ` +
          `${missed.length} without one of ours`,
      );
      assert.ok(compared > 20, `${compared} compared`);
      assert.deepEqual(missed, []);
    });
  },
);

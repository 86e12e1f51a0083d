import { LIMITS } from '../core/yaml/parse';
import { code, defineRule } from '../core/rule';

/** The config of the `file-too-large` example: a long example input written out in block style. */
function largeConfig(values: number): string {
  const lines = ['model_name: text-embedder', 'python_version: py311', 'model_metadata:', '  example_model_input:'];
  lines.push('    embedding:');
  for (let i = 0; i < values; i++) lines.push(`      - ${(((i * 7919) % 2000) / 1000 - 1).toFixed(4)}`);
  lines.push('resources:', '  cpu: "2"', '  memory: 4Gi', '');
  return lines.join('\n');
}

/** Trims the position suffix `yaml` adds, so a message never quotes the source. */
function plainMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
}

export const yamlSyntax = defineRule({
  name: 'yaml-syntax',
  codes: {
    'yaml-syntax': code({
      severity: 'error',
      summary:
        'PyYAML, the loader truss uses, cannot load the file: a syntax error, a tab between tokens, a control ' +
        'character, a tag it cannot build (`!Ref`), a merge key (`<<`), an undefined alias or a mapping used as ' +
        'a key; or its aliases expand too far or it nests too deep to check.',
      source: 'truss loads the file with PyYAML (truss/util/yaml_utils.py)',
      docs: {
        description:
          'Flags what keeps truss from loading `config.yaml`. truss reads it with PyYAML’s safe loader, with one ' +
          'change: it builds each mapping key itself (to warn about duplicate keys). So, besides a syntax error ' +
          '(an unclosed quote or bracket, a mis-indented line), these fail: a tab between tokens (PyYAML accepts ' +
          'tabs only inside quoted and block scalars and comments), a control character, a tag its safe loader ' +
          'cannot build (`!Ref`, or `!!int` on a value that is not a number), a merge key `<<` (truss’s loader has ' +
          'no constructor for it), an alias without an anchor before it, a mapping or a sequence used as a key ' +
          '(`hf_access_token: {{HF_ACCESS_TOKEN}}` is a mapping inside a mapping; quote such a template), and a ' +
          'plain value that PyYAML reads as a date or a number but cannot build (`2024-13-45`). `truss push` and ' +
          'every other command stop before anything is uploaded. When truss cannot load the file, the checks of ' +
          'its values do not run on a guess. The same code marks a file this tool will not expand (aliases that ' +
          'expand too far, a "billion laughs" pattern) or that nests too deep to check. What PyYAML accepts is ' +
          'not flagged, even where YAML 1.2 tools complain: a multi-line `{ … }` or `[ … ]` whose closing ' +
          'bracket is at column 0, standard tags such as `!!float 1`, `yes`/`no` booleans.',
        bad: `model_name: my-model
python_version: py311
requirements: [torch==2.3.0, transformers==4.41.0
resources:
  accelerator: A10G
`,
        good: `model_name: my-model
python_version: py311
requirements: [torch==2.3.0, transformers==4.41.0]
resources:
  accelerator: A10G
`,
      },
    }),
    'file-too-large': code({
      severity: 'warning',
      summary: 'A file over 2 MB or 30,000 lines: it is not checked.',
      source: 'a limit of this tool, so that the editor never waits',
      docs: {
        description:
          'truss-config does not parse a file over 2 MB or 30,000 lines, so that the editor never waits on it: ' +
          'it reports this warning on the first line and checks nothing else in the file. This is a limit of this ' +
          'tool, not of truss, so mistakes in such a file surface only at `truss push` or later. A `config.yaml` ' +
          'that large usually holds inlined data, such as a long `example_model_input` under `model_metadata`; ' +
          'keep that data short and the file is checked again.',
        bad: `model_name: text-embedder
python_version: py311
model_metadata:
  example_model_input:
    embedding:
      - -1.0000
      - 0.9190
      # … 30,000 values in all, one per line
resources:
  cpu: "2"
  memory: 4Gi
`,
        badText: () => largeConfig(30_000),
        good: largeConfig(2),
      },
    }),
    'multiple-documents': code({
      severity: 'error',
      summary: 'A second YAML document (`---`): truss reads exactly one.',
      source: 'PyYAML `safe_load` rejects a stream of several documents',
      docs: {
        description:
          'Flags a `---` line that starts a second YAML document, for example after two configs were pasted into ' +
          'one file. truss loads `config.yaml` as a single document, and PyYAML refuses a stream with more than one ' +
          '("expected a single document in the stream"), so `truss push` fails before anything is uploaded. ' +
          'truss-config checks only the first document. A single `---` at the very top of the file is fine.',
        bad: `model_name: my-model
python_version: py311
resources:
  cpu: "2"
  memory: 4Gi
---
model_name: my-model-staging
python_version: py311
`,
        good: `model_name: my-model
python_version: py311
resources:
  cpu: "2"
  memory: 4Gi
`,
      },
    }),
  },
  check({ parsed, report }) {
    if (parsed.tooLarge) {
      const mb = (parsed.tooLarge.bytes / 1e6).toFixed(1);
      report({
        code: 'file-too-large',
        range: parsed.range(0, 0),
        message:
          `This file has ${parsed.tooLarge.lines} lines (${mb} MB): truss-config checks files up to ` +
          `${LIMITS.lines} lines and ${LIMITS.bytes / 1e6} MB, so nothing in it is checked.`,
      });
      return;
    }
    for (const p of parsed.problems) {
      report({
        code: 'yaml-syntax',
        range: p.range,
        message: `YAML: ${plainMessage(p.message)}`,
        severity: p.severity,
      });
    }
    // When truss cannot load the file, the problems above say where; the value error adds nothing.
    if (parsed.valueError && !parsed.problems.some((p) => p.severity === 'error')) {
      report({
        code: 'yaml-syntax',
        range: parsed.nodeRange(parsed.root) ?? parsed.range(0, 0),
        message: `YAML: ${plainMessage(parsed.valueError)}`,
      });
    }
    for (const offset of parsed.extraDocuments) {
      report({
        code: 'multiple-documents',
        range: parsed.range(offset, offset + 3),
        message:
          'A second YAML document starts here. Truss reads config.yaml as one document and fails to load a file ' +
          'with several; only the first is checked.',
      });
    }
  },
});

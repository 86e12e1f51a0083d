import { LIMITS } from '../core/parse';
import { code, defineRule, PENDING_DOCS } from '../core/rule';

/** Trims the position suffix `yaml` adds, so a message never quotes the source. */
function plainMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
}

export const yamlSyntax = defineRule({
  name: 'yaml-syntax',
  codes: {
    'yaml-syntax': code({
      severity: 'error',
      summary: 'The file is not valid YAML.',
      source: 'truss loads the file with PyYAML',
      docs: PENDING_DOCS,
    }),
    'file-too-large': code({
      severity: 'warning',
      summary: 'A file over 2 MB or 30,000 lines: it is not checked.',
      source: 'a limit of this tool, so that the editor never waits',
      docs: PENDING_DOCS,
    }),
    'multiple-documents': code({
      severity: 'error',
      summary: 'A second YAML document (`---`): truss reads exactly one.',
      source: 'PyYAML `safe_load` rejects a stream of several documents',
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, report }) {
    if (parsed.tooLarge) {
      const mb = (parsed.tooLarge.bytes / 1e6).toFixed(1);
      report({
        code: 'file-too-large',
        range: parsed.range(0, 0),
        message: `This file has ${parsed.tooLarge.lines} lines (${mb} MB): truss-config checks files up to ${LIMITS.lines} lines and ${LIMITS.bytes / 1e6} MB, so nothing in it is checked.`,
      });
      return;
    }
    for (const p of parsed.problems) {
      report({ code: 'yaml-syntax', range: p.range, message: `YAML: ${plainMessage(p.message)}`, severity: p.severity });
    }
    if (parsed.valueError) {
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
          'A second YAML document starts here. Truss reads config.yaml as one document and fails to load a file with several; only the first is checked.',
      });
    }
  },
});

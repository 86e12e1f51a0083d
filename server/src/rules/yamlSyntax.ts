import { Rule } from '../core/rule';
import { LIMITS } from '../core/parse';

/** Trims the position suffix `yaml` adds, so a message never quotes the source. */
function plainMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
}

export const yamlSyntax: Rule = {
  codes: [
    { code: 'yaml-syntax', severity: 'error', summary: 'The file is not valid YAML.', source: 'truss loads the file with PyYAML' },
    {
      code: 'file-too-large',
      severity: 'warning',
      summary: 'A file over 2 MB or 30,000 lines: it is not checked.',
      source: 'a limit of this tool, so that the editor never waits',
    },
    {
      code: 'multiple-documents',
      severity: 'error',
      summary: 'A second YAML document (`---`): truss reads exactly one.',
      source: 'PyYAML `safe_load` rejects a stream of several documents',
    },
  ],
  check({ parsed, report }) {
    if (parsed.tooLarge) {
      const mb = (parsed.tooLarge.bytes / 1e6).toFixed(1);
      report('file-too-large', parsed.range(0, 0), `This file has ${parsed.tooLarge.lines} lines (${mb} MB): truss-config checks files up to ${LIMITS.lines} lines and ${LIMITS.bytes / 1e6} MB, so nothing in it is checked.`);
      return;
    }
    for (const p of parsed.problems) report('yaml-syntax', p.range, `YAML: ${plainMessage(p.message)}`, undefined, p.severity);
    if (parsed.valueError) {
      report('yaml-syntax', parsed.nodeRange(parsed.root) ?? parsed.range(0, 0), `YAML: ${plainMessage(parsed.valueError)}`);
    }
    for (const offset of parsed.extraDocuments) {
      report(
        'multiple-documents',
        parsed.range(offset, offset + 3),
        'A second YAML document starts here. Truss reads config.yaml as one document and fails to load a file with several; only the first is checked.',
      );
    }
  },
};

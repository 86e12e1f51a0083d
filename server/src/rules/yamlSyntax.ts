import { Rule } from '../core/rule';

/** Trims the position suffix `yaml` adds, so a message never quotes the source. */
function plainMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
}

export const yamlSyntax: Rule = {
  codes: [
    { code: 'yaml-syntax', severity: 'error', summary: 'The file is not valid YAML.', source: 'truss loads the file with PyYAML' },
    {
      code: 'multiple-documents',
      severity: 'error',
      summary: 'A second YAML document (`---`): truss reads exactly one.',
      source: 'PyYAML `safe_load` rejects a stream of several documents',
    },
  ],
  check({ parsed, report }) {
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

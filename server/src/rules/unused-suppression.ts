import { code, defineRule } from '../core/rule';

/**
 * A suppression comment that silences nothing: reported once every rule has run and the suppressions
 * are matched with their findings (core/suppress.ts).
 */
export const unusedSuppression = defineRule({
  name: 'unused-suppression',
  codes: {
    'unused-suppression': code<{ unknown: string[]; unused: string[] }>({
      severity: 'warning',
      suppressible: false,
      summary: 'A `# truss-config-disable…` comment that suppresses nothing or names no known code.',
      source: 'this tool',
      docs: {
        description:
          'Flags a `# truss-config-disable-next-line` or `# truss-config-disable` comment that silences nothing: ' +
          'the problem it was written for has since been fixed, the comment sits above the wrong line, or it ' +
          'names a code no rule has (a typo such as `secret-literal`). truss ignores these comments, so nothing ' +
          'fails at push; but a leftover comment would later hide a new finding it matches, without anyone ' +
          'noticing. Remove the comment, or correct the code it names.',
        bad: `model_name: my-model
python_version: py311
resources:
  # truss-config-disable-next-line invalid-type
  cpu: "4"
  memory: 16Gi
`,
        good: `model_name: my-model
python_version: py311
resources:
  cpu: "4"
  memory: 16Gi
`,
      },
    }),
  },
  finish({ unusedSuppressions, report }) {
    for (const u of unusedSuppressions) {
      report({
        code: 'unused-suppression',
        range: u.range,
        message: u.message,
        data: { unknown: u.unknown, unused: u.unused },
      });
    }
  },
});

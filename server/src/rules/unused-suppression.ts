import { code, defineRule } from '../core/rule';

export const UNUSED_SUPPRESSION = 'unused-suppression';

/**
 * Declares the code of a suppression comment that silences nothing. The engine reports it, after
 * every other rule has run and the suppressions are matched (see core/suppress.ts).
 */
export const unusedSuppression = defineRule({
  name: 'unused-suppression',
  codes: {
    [UNUSED_SUPPRESSION]: code<{ unknown: string[]; unused: string[] }>({
      severity: 'warning',
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
  check() {
    // Nothing to check in the document itself.
  },
});

import { code, defineRule, PENDING_DOCS } from '../core/rule';

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
      docs: PENDING_DOCS,
    }),
  },
  check() {
    // Nothing to check in the document itself.
  },
});

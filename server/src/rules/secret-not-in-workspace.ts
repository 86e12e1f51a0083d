import { looksLikeCredential } from '../core/truss/credentials';
import { code, defineRule } from '../core/rule';
import { renameEdits } from '../core/truss/secretEdits';
import { secretUses } from '../core/truss/secretUses';
import { DOCS } from '../core/types';

export const secretNotInWorkspace = defineRule({
  name: 'secret-not-in-workspace',
  codes: {
    'secret-not-in-workspace': code<{ name: string; candidates: string[] }>({
      severity: 'warning',
      fix: 'editor',
      summary:
        'A secret the config declares or reads is missing from the Baseten workspace (or its team), compared as ' +
        'Baseten compares names; only when the workspace is known (`--baseten`, `trussConfig.baseten.checkSecrets`).',
      source: 'docs.baseten.co/organization/secrets',
      href: DOCS.organizationSecrets,
      docs: {
        description:
          'The most common private-registry deploy failure is a secret that the Baseten workspace does not have, or ' +
          "has under another name. With a Baseten API key (the editor's **Truss: Sign in to Baseten**, or the " +
          "checker's `--baseten`), the names of the workspace's secrets (never their values) are fetched and every " +
          'secret the config declares under `secrets` or reads (`docker_auth`, `weights`, `model_cache`, build ' +
          'secrets, `/secrets/<name>`) is looked up. Baseten treats names that differ only in non-alphanumeric ' +
          'characters as one secret (`hf_access_token` and `hf-access-token`), so those match. When the ' +
          'organization has teams, the team named in `~/.trussrc` is the one compared. Without a key, or when ' +
          'Baseten cannot be reached, this check reports nothing.',
        bad: `model_name: my-model
secrets:
  hf_acess_token: null
`,
        good: `model_name: my-model
secrets:
  hf_access_token: null
`,
        fix:
          "Renames the secret everywhere the config names it to the workspace's spelling of a close name. It is " +
          'a guess: the secret may be the one missing.',
        workspaceSecrets: ['hf_access_token', 'DOCKER_REGISTRY_ghcr.io'],
      },
    }),
  },
  check({ parsed, facts, baseten, report }) {
    if (!baseten) return;
    const seen = new Set<string>();
    for (const use of secretUses(parsed, facts)) {
      // A use Baseten does not read (a field ignored by this auth_method, a public image's pull credential).
      if (use.kind !== 'declaration' && !use.needsDeclaration) continue;
      if (baseten.has(use.name) || looksLikeCredential(use.name)) continue;
      const key = `${use.name}\u0000${use.range.start.line}:${use.range.start.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const candidates = baseten.closest(use.name);
      const hint = candidates.length ? ` Did you mean \`${candidates[0]}\`?` : '';
      const what =
        use.kind === 'declaration' ? 'declared' : use.kind === 'implicit' ? `read by default (${use.use})` : 'read';
      report({
        code: 'secret-not-in-workspace',
        range: use.range,
        message:
          `The secret \`${use.name}\` is ${what} here, but ${baseten.where} has no secret of that name: ` +
          `create it in Baseten (Settings → Secrets) before pushing, or the deployment cannot read it.${hint}`,
        data: { name: use.name, candidates },
      });
    }
  },
  fixes: {
    'secret-not-in-workspace'(finding, { parsed, facts }) {
      const { name, candidates } = finding.data;
      const uses = secretUses(parsed, facts).filter((u) => u.name === name);
      const declared = uses.some((u) => u.kind === 'declaration');
      // Renaming a declaration onto a name `secrets` already has would declare it twice.
      const usable = candidates.filter((c) => !(declared && facts.secretNames.has(c)));
      return usable.map((candidate, i) => ({
        title: `Use the workspace's secret \`${candidate}\``,
        ...renameEdits(parsed, facts, uses, candidate),
        preferred: i === 0,
        // A guess: the secret may be missing from the workspace rather than misspelled here.
        safe: false,
      }));
    },
  },
});

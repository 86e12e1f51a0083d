// @ts-check
// npm run new-rule NAME: writes server/src/rules/NAME.ts (a rule with one code, NAME) and
// test/rules/NAME/NAME.yaml (its first case), then runs npm run generate. Fill in the rule, the case's
// expectations (npm run annotate), and run npm run generate again.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportName } from './rule-list.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2] ?? '';
if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/.test(name)) {
  console.error('usage: npm run new-rule NAME   (kebab-case with at least one -, e.g. unpinned-requirement)');
  process.exit(2);
}
const ruleFile = join(root, 'server', 'src', 'rules', `${name}.ts`);
const caseFile = join(root, 'test', 'rules', name, `${name}.yaml`);
for (const f of [ruleFile, caseFile]) {
  if (existsSync(f)) {
    console.error(`${f} exists already`);
    process.exit(2);
  }
}

const rule = `import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';
import { exactly } from '../core/yaml/query';

export const ${exportName(name)} = defineRule({
  name: '${name}',
  codes: {
    '${name}': code({
      severity: 'warning',
      summary: 'TODO: one line for the README table and SARIF.',
      source: 'TODO: where truss or Baseten enforces it',
      href: DOCS.reference,
      docs: {
        description: 'TODO: what it catches and why it matters to a Truss user.',
        bad: \`model_name: my-model
\`,
        good: \`model_name: my-model
\`,
      },
    }),
  },
  check({ parsed, report }) {
    const section = exactly(parsed, ['TODO']);
    if (!section?.pair) return;
    report({ code: '${name}', range: parsed.keyRange(section.pair), message: 'TODO: never quote a value.' });
  },
});
`;
const example = `# ${name}: TODO what this case shows
model_name: my-model
`;
mkdirSync(dirname(caseFile), { recursive: true });
writeFileSync(ruleFile, rule);
writeFileSync(caseFile, example);
console.log(`wrote ${ruleFile}\nwrote ${caseFile}`);
const gen = spawnSync(process.execPath, [join(root, 'scripts', 'generate.mjs')], { stdio: 'inherit' });
process.exit(gen.status ?? 1);

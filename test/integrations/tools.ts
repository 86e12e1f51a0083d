/** The programs the integration tests drive, installed by scripts/integrations-install.sh. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../ruleFiles';

/** The config the editor tests open: `auth_method: aws_iam` is its one finding (`auth-method-case`). */
export const CONFIG = `model_name: m
base_image:
  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/m:1
  docker_auth:
    auth_method: aws_iam
    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com
    aws_access_key_id_secret_name: aws_access_key_id
    aws_secret_access_key_secret_name: aws_secret_access_key
secrets:
  aws_access_key_id: null
  aws_secret_access_key: null
`;

/**
 * Why a test cannot run (the program is missing), or undefined when it can. With
 * TRUSS_INTEGRATIONS_REQUIRED=1 (CI) a missing program fails the run instead of skipping.
 */
export function missing(program: string): string | undefined {
  if (spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0) return undefined;
  const why = `${program} is not installed (bash scripts/integrations-install.sh)`;
  if (process.env.TRUSS_INTEGRATIONS_REQUIRED === '1') throw new Error(why);
  return why;
}

/** The snippet docs/editors.md marks `<!-- test: NAME -->`, in a code block of `lang`, as it is written. */
export function docsSnippet(name: string, lang: string): string | undefined {
  const docs = readFileSync(join(ROOT, 'docs', 'editors.md'), 'utf8');
  return new RegExp(`<!-- test: ${name} -->\\s*\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(docs)?.[1];
}

/**
 * Prepares the folder an editor test runs in: `model/config.yaml` (CONFIG), and the command the docs name
 * in a `bin` folder, as `npm install -g` puts it on PATH. Returns that folder.
 */
export function editorFolder(tmp: string): string {
  const bin = join(tmp, 'bin');
  mkdirSync(bin);
  const server = join(bin, 'truss-config-language-server');
  writeFileSync(server, `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist', 'server.js')}" "$@"\n`);
  chmodSync(server, 0o755);
  mkdirSync(join(tmp, 'model'));
  writeFileSync(join(tmp, 'model', 'config.yaml'), CONFIG);
  return bin;
}

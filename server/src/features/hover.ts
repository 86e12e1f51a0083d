import type { Analysis } from '../core/analysis';
import { redactCredentials } from '../core/truss/credentials';
import { nodeAt } from '../core/yaml/cursor';
import { METHOD_FIELDS, type AuthMethod } from '../core/truss/facts';
import { type ImageRegistry, REGISTRY_SECRET_PREFIX, registryOfSecret } from '../core/truss/registry';
import { keyItem, valueItem } from '../core/truss/release';
import { schemaAt } from '../core/truss/schema';
import { READ_FORMS, type SecretUse, trussUses, useAt } from '../core/truss/secretUses';
import { DOCS, type Position, type Range } from '../core/types';
import { releaseLine } from './release';

export interface HoverResult {
  markdown: string;
  range: Range;
}

const KIND_NAMES: Record<ImageRegistry['kind'], string> = {
  dockerhub: 'Docker Hub',
  ecr: 'AWS ECR',
  google: 'Google Artifact Registry / GCR',
  ghcr: 'GitHub Container Registry',
  ngc: 'NVIDIA NGC',
  other: 'a private registry',
};

export function hover(analysis: Analysis, pos: Position): HoverResult | undefined {
  if (!analysis.truss) return undefined;
  const { parsed } = analysis;
  const at = nodeAt(parsed, parsed.offset(pos));
  if (!at) return undefined;
  const range = parsed.nodeRange(at.node);
  if (!range) return undefined;
  const path = at.path;
  const joined = path.join('.');
  let markdown: string | undefined;

  if (path[0] === 'secrets' && path.length === 2) markdown = secretHover(analysis, path[1]);
  else if (joined === 'base_image.docker_auth.auth_method' && at.part === 'value') {
    const value = String((at.node as { value?: unknown }).value);
    const text = methodHover(value);
    if (text) markdown = text + releaseLine(valueItem(path, value.trim().toUpperCase()), analysis.release);
  } else if (joined === 'base_image.image' || joined === 'base_image')
    markdown = withLink(doc(path), DOCS.privateRegistries) + imageNote(analysis);
  else {
    const text = doc(path);
    const value = at.part === 'value' ? (at.node as { value?: unknown }).value : undefined;
    const item = value === undefined ? keyItem(path) : valueItem(path, value);
    if (text)
      markdown =
        withLink(text, path[1] === 'docker_auth' || path[0] === 'secrets' ? DOCS.privateRegistries : DOCS.reference) +
        releaseLine(item, analysis.release);
    // A value that names a secret (`secret_name: hf_token`, `/secrets/hf_token` in a command): the secret too.
    const use = usesAt(analysis, parsed.offset(pos));
    if (use) {
      const secret = `**\`${use.name}\`**: a Baseten secret, ${use.use}.${workspaceNote(analysis, use.name)}`;
      markdown = markdown ? `${markdown}\n\n---\n\n${secret}` : secret;
    }
  }
  return markdown ? { markdown: redactCredentials(markdown), range } : undefined;
}

function doc(path: string[]): string {
  const s = schemaAt(path);
  return s?.markdownDescription ? `**\`${path[path.length - 1]}\`**\n\n${s.markdownDescription}` : '';
}

function withLink(text: string, href: string): string {
  return text.includes('](') ? text : `${text}\n\n[Baseten docs](${href})`;
}

function methodHover(raw: string): string | undefined {
  const method = raw.trim().toUpperCase() as AuthMethod;
  const s = schemaAt(['base_image', 'docker_auth', 'auth_method']);
  const i = ((s?.enum ?? []) as string[]).indexOf(method);
  if (i < 0) return undefined;
  const fields = METHOD_FIELDS[method];
  let text = `**\`${method}\`**\n\n${s!.markdownEnumDescriptions![i]}`;
  if (fields.required.length) text += `\n\nRequires: ${fields.required.map((f) => `\`${f}\``).join(', ')}.`;
  if (fields.forbidden.length) text += ` Not allowed: ${fields.forbidden.map((f) => `\`${f}\``).join(', ')}.`;
  return withLink(text, DOCS.privateRegistries);
}

function imageNote(analysis: Analysis): string {
  const reg = analysis.facts.image?.registry;
  if (!reg) return '';
  const secret = REGISTRY_SECRET_PREFIX + reg.secretKey;
  const where = reg.kind === 'dockerhub' ? 'Docker Hub' : `\`${reg.host}\``;
  const host = reg.kind === 'dockerhub' ? 'docker.io' : reg.host;
  return (
    `\n\n---\n\nThis image pulls from **${where}** (${KIND_NAMES[reg.kind]}). For a private image, use ` +
    `\`docker_auth\` with \`registry: ${host}\`, or declare the pull-credential secret \`${secret}\` under \`secrets\`.`
  );
}

/** What the Truss uses a secret for, apart from declaring it: the config's uses and the model code's reads. */
function usesOf(analysis: Analysis, name: string): SecretUse[] {
  return trussUses(analysis.parsed, analysis.facts, analysis.code).uses.filter(
    (u) => u.name === name && u.kind !== 'declaration',
  );
}

/** The use of a secret whose name the config spells at an offset (not its declaration). */
function usesAt(analysis: Analysis, offset: number): SecretUse | undefined {
  const { parsed } = analysis;
  return trussUses(parsed, analysis.facts, analysis.code).uses.find(
    (u) =>
      u.kind === 'reference' &&
      u.file === undefined &&
      parsed.offset(u.range.start) <= offset &&
      offset <= parsed.offset(u.range.end),
  );
}

/** "read by the model code (…) in model/model.py", one line per distinct use. */
function useLines(uses: readonly SecretUse[]): string[] {
  return [...new Set(uses.map((u) => (u.file === undefined ? u.use : `${u.use} in \`${u.file}\``)))];
}

function secretHover(analysis: Analysis, name: string): string {
  const uses = useLines(usesOf(analysis, name));
  const used = uses.length
    ? `Used as: ${uses.join('; ')}.`
    : analysis.code?.files.length
      ? 'Declared; not referenced in this file nor read by the model code.'
      : 'Declared; not referenced in this file. Model code can read it by name.';
  let text =
    `**\`${name}\`**: a Baseten secret\n\n${used}\n\nThe value lives in Baseten (Settings → Secrets); ` +
    'here it should be `null`, since anything written in this file is uploaded with the config.';
  text += workspaceNote(analysis, name);
  if (name.startsWith(REGISTRY_SECRET_PREFIX)) text += `\n\n---\n\n${credentialHelp(name)}`;
  return withLink(text, name.startsWith(REGISTRY_SECRET_PREFIX) ? DOCS.privateRegistries : DOCS.secrets);
}

/** Whether the Baseten workspace has the secret, when its names are known. */
function workspaceNote(analysis: Analysis, name: string): string {
  const ws = analysis.baseten;
  if (!ws) return '';
  const spelled = ws.spelling(name);
  return spelled
    ? `\n\n${capital(ws.where)} has it${spelled === name ? '' : ` (as \`${spelled}\`)`}.`
    : `\n\n${capital(ws.where)} does **not** have it.`;
}

/**
 * Hover on a read of a secret in a file of the model code (`file`, relative to the config's folder): its
 * declaration in config.yaml, and where Baseten's value comes from. Never a value.
 */
export function hoverCode(analysis: Analysis, file: string, pos: Position): HoverResult | undefined {
  if (!analysis.truss) return undefined;
  const all = trussUses(analysis.parsed, analysis.facts, analysis.code).uses;
  const here = useAt(
    all.filter((u) => u.file === file),
    pos.line,
    pos.character,
  );
  const read = here?.read;
  if (!here || !read) return undefined;
  const { name } = here;
  const declaration = all.find((u) => u.name === name && u.kind === 'declaration');
  let text = `**\`${name}\`**: a Baseten secret, read here through ${READ_FORMS[read.kind]}.\n\n`;
  if (declaration) {
    text += `Declared in \`config.yaml\` under \`secrets\` (line ${declaration.range.start.line + 1}).`;
  } else if (read.guard) {
    text +=
      '**Not declared** under `secrets` in `config.yaml`: this read is guarded (' +
      (read.guard === 'try' ? 'a `try` that catches the error' : 'an `if` on the mapping') +
      '), so it does not raise, but Baseten never passes the secret to this model.';
  } else {
    text +=
      '**Not declared** under `secrets` in `config.yaml`: Baseten passes only declared secrets, and truss raises ' +
      '`SecretNotFound` for this one at load.';
  }
  text +=
    `\n\nThe value comes from the Baseten secret \`${name}\` of the workspace that deploys the model ` +
    `(Settings → Secrets), once \`config.yaml\` declares it: Baseten mounts it at \`/secrets/${name}\`, and truss's ` +
    `\`secrets\` mapping reads the environment variable \`TRUSS_SECRET_${name}\` first, then that file. ` +
    '`config.yaml` holds only the name, with `null`.';
  text += workspaceNote(analysis, name);
  const others = useLines(all.filter((u) => u.name === name && u.kind !== 'declaration' && u !== here));
  if (others.length) text += `\n\nAlso used as: ${others.join('; ')}.`;
  return { markdown: redactCredentials(withLink(text, DOCS.secrets)), range: here.range };
}

function credentialHelp(name: string): string {
  const suffix = name.slice(REGISTRY_SECRET_PREFIX.length);
  if (!suffix.trim()) {
    return (
      `**A pull credential needs its registry in the name**: \`${REGISTRY_SECRET_PREFIX}\` followed by the ` +
      'registry host, such as `DOCKER_REGISTRY_ghcr.io`, or `DOCKER_REGISTRY_https://index.docker.io/v1/` for ' +
      'Docker Hub.'
    );
  }
  const reg = registryOfSecret(suffix);
  const how: Record<ImageRegistry['kind'], string> = {
    dockerhub:
      'base64 of `username:password` (an access token works in place of the password). ' +
      'The name must be exactly `DOCKER_REGISTRY_https://index.docker.io/v1/`.',
    ecr:
      'base64 of `AWS:<token>`, where the token is the output of `aws ecr get-login-password --region <region>`. ' +
      'ECR tokens expire after 12 hours, so `docker_auth` with `AWS_OIDC` is the lasting choice.',
    google: 'an access token, base64-encoded. `docker_auth` with `GCP_OIDC` needs no stored token.',
    ghcr:
      'base64 of `<github user>:ghp_…`, a **classic** personal access token with `read:packages` ' +
      '(fine-grained tokens do not work with the registry).',
    ngc: 'base64 of `$oauthtoken:<NGC API key>`; `$oauthtoken` is the literal user name.',
    other: 'base64 of `user:password` for the registry.',
  };
  const where = reg.kind === 'dockerhub' ? 'Docker Hub' : `\`${reg.host}\``;
  return (
    `**Pull credential for ${where}** (${KIND_NAMES[reg.kind]}). Its value is ${how[reg.kind]}\n\n` +
    `Create it as a Baseten secret named \`${name}\`, never in this file. The command ` +
    '**Truss: Create registry credential…** makes the value without leaving the password in your shell history.'
  );
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

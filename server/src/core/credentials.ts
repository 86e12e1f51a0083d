/** Recognising values that look like real credentials, without ever returning them. */

const PATTERNS: RegExp[] = [
  /\bghp_[A-Za-z0-9]{30,}/, // GitHub classic token
  /\bgithub_pat_[A-Za-z0-9_]{40,}/,
  /\bgh[ousr]_[A-Za-z0-9]{30,}/,
  /\bhf_[A-Za-z0-9]{30,}/, // Hugging Face
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*)/,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/, // OpenAI / Anthropic style
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/, // Slack
  /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab
  /\bnvapi-[A-Za-z0-9_-]{20,}/, // NVIDIA
  /\bAIza[0-9A-Za-z_-]{35}\b/, // Google API key
];

const SECRET_NAME = /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)(?:$|_)/i;

const REDACTED = '[a credential]';

/** The text with every known credential format in it replaced: the last guard before text reaches a user. */
export function redactCredentials(text: string): string {
  let out = text;
  for (const p of PATTERNS) if (p.test(out)) out = out.replace(new RegExp(p.source, 'g'), REDACTED);
  return out.replace(/[A-Za-z0-9+/]{12,}={0,2}/g, (m) => (isBasicAuthBase64(m) ? REDACTED : m));
}

/** True when the text contains a known credential format. */
export function looksLikeCredential(value: string): boolean {
  return PATTERNS.some((p) => p.test(value)) || isBasicAuthBase64(value);
}

/** base64 of `user:password`, the form of a DOCKER_REGISTRY_ secret. */
function isBasicAuthBase64(value: string): boolean {
  const v = value.trim();
  if (v.length < 12 || v.length > 400 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.length % 4 !== 0) return false;
  const decoded = Buffer.from(v, 'base64').toString('utf8');
  return /^[\x21-\x7e]{1,64}:[\x20-\x7e]{4,}$/.test(decoded) && !decoded.includes('://');
}

/** A value under a secret-sounding name that is not a reference, a path, a URL, a flag or a number. */
export function looksLikeSecretAssignment(name: string, value: string): boolean {
  if (!SECRET_NAME.test(name)) return false;
  const v = value.trim();
  if (v.length < 8 || /\s/.test(v)) return false;
  if (/^(?:\$|\/|~|https?:\/\/|\{\{|<|\[)/.test(v)) return false;
  if (/^(?:true|false|yes|no|none|null|[-+.\d]+)$/i.test(v)) return false;
  return /[A-Za-z]/.test(v) && /\d/.test(v);
}

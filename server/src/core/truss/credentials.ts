/** Recognising values that look like real credentials, without ever returning them. */

/** `scheme://user:password@`: the password is the credential. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]{3,}@/i;
/** An AWS secret key with its name: the last 40 characters are the credential. */
const AWS_SECRET_ASSIGNED = /(?:aws_secret_access_key|secret_access_key)\s*[=:]\s*[A-Za-z0-9/+]{40}\b/i;

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
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JWT
  URL_PASSWORD, // https://user:token@host
  /"auths"\s*:\s*\{[^}]*"auth"\s*:\s*"[A-Za-z0-9+/=]{8,}"/, // a Docker config.json
  AWS_SECRET_ASSIGNED, // AWS secret key with its name
];

/** PATTERNS as two searches (one ignoring case): one scan of a text instead of fifteen. */
const ANY_PATTERN = [false, true].map(
  (i) =>
    new RegExp(
      PATTERNS.filter((p) => p.ignoreCase === i)
        .map((p) => p.source)
        .join('|'),
      i ? 'i' : '',
    ),
);

function hasPattern(text: string): boolean {
  return ANY_PATTERN.some((p) => p.test(text));
}

/**
 * Whether a run of characters is random the way generated keys are: several runs each of upper case,
 * lower case and digits (at least `digitRuns` of digits), and an entropy of at least `bits` per character.
 */
function looksRandom(run: string, digitRuns: number, bits: number): boolean {
  const runs = (re: RegExp) => (run.match(re) ?? []).length;
  if (runs(/[A-Z]+/g) < 3 || runs(/[a-z]+/g) < 3 || runs(/[0-9]+/g) < digitRuns) return false;
  const counts = new Map<string, number>();
  for (const c of run) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / run.length) * Math.log2(n / run.length);
  return entropy >= bits;
}

/**
 * A long opaque token: a run of 20 or more letters and digits that mixes upper case, lower case and
 * digits the way random tokens do, with a high entropy. Model names (`Qwen3-235B-A22B-Instruct-2507`),
 * identifiers (`MyModelClass2024`), hashes (hex), UUIDs and paths do not qualify.
 */
function looksLikeOpaqueToken(value: string): boolean {
  const v = value.trim();
  if (v.length < 20 || v.length > 256) return false;
  const run = [...v.matchAll(/[A-Za-z0-9]{20,}/g)].map((m) => m[0]).sort((a, b) => b.length - a.length)[0];
  return run !== undefined && looksRandom(run, 3, 3.8);
}

/**
 * An AWS secret access key on its own: 40 characters of base64's alphabet, `/` and `+` included (which
 * break it into runs too short for an opaque token), mixing cases and digits with a high entropy.
 */
function looksLikeAwsSecretKey(value: string): boolean {
  const v = value.trim();
  return /^[A-Za-z0-9/+]{40}$/.test(v) && looksRandom(v, 1, 4.2);
}

/** Whether a run of base64 characters is, or holds, an AWS secret access key (`/key` in a path, say). */
function holdsAwsSecretKey(run: string): boolean {
  if (run.length < 40 || run.length > 400) return false;
  for (let i = 0; i + 40 <= run.length; i++) if (looksLikeAwsSecretKey(run.slice(i, i + 40))) return true;
  return false;
}

const SECRET_NAME = /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)(?:$|_)/i;

const REDACTED = '[a credential]';

/** The shortest text any of PATTERNS matches (`a://b:pwd@`). */
const SHORTEST_PATTERN = 10;
/** What a credential that is not one of PATTERNS must hold: 12 base64 characters (an opaque token has 20 of them). */
const LONG_RUN = /[A-Za-z0-9+/]{12}/;

/** The text with every known credential format in it replaced: the last guard before text reaches a user. */
export function redactCredentials(text: string): string {
  let out = text;
  if (hasPattern(out)) {
    for (const p of PATTERNS) if (p.test(out)) out = out.replace(new RegExp(p.source, `${p.flags}g`), REDACTED);
  }
  if (!LONG_RUN.test(out)) return out; // the searches below need such a run
  out = out.replace(/[A-Za-z0-9+/]{12,}={0,2}/g, (m) => (isBasicAuthBase64(m) || holdsAwsSecretKey(m) ? REDACTED : m));
  return out.replace(/[A-Za-z0-9]{20,}/g, (m) => (looksLikeOpaqueToken(m) ? REDACTED : m));
}

/**
 * A finding's data with every string in it that looks like a credential, or holds one, redacted (a
 * string that looksLikeCredential wholly, one that holds a known shape in part): the same value when
 * there is none. Arrays and plain objects are walked; other values are kept.
 */
export function redactData(data: unknown, depth = 0): unknown {
  if (typeof data === 'string') {
    if (looksLikeCredential(data)) return REDACTED;
    return redactCredentials(data);
  }
  if (!data || typeof data !== 'object' || depth > 16) return data;
  if (Array.isArray(data)) {
    const out = data.map((d) => redactData(d, depth + 1));
    return out.some((d, i) => d !== data[i]) ? out : data;
  }
  if (Object.getPrototypeOf(data) !== Object.prototype) return data;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    out[k] = redactData(v, depth + 1);
    changed ||= out[k] !== v;
  }
  return changed ? out : data;
}

/**
 * A pure function of short strings with its answers kept: from one keystroke to the next almost every
 * value and comment of a config is the same string. A bounded number, emptied when full.
 */
function remembered<T>(fn: (text: string) => T): (text: string) => T {
  const MAX_ENTRIES = 2048;
  const MAX_LENGTH = 512;
  const known = new Map<string, T>();
  return (text) => {
    if (text.length > MAX_LENGTH) return fn(text);
    const hit = known.get(text);
    if (hit !== undefined || known.has(text)) return hit as T;
    if (known.size >= MAX_ENTRIES) known.clear();
    const answer = fn(text);
    known.set(text, answer);
    return answer;
  };
}

/** True when the text contains a known credential format, or is a long opaque token. */
export const looksLikeCredential: (value: string) => boolean = remembered(credentialLike);

function credentialLike(value: string): boolean {
  if (value.length < SHORTEST_PATTERN) return false;
  if (hasPattern(value)) return true;
  if (!LONG_RUN.test(value)) return false;
  // Each word of a command line or a list on its own (`--api-key <token>`, `TOKEN=<token>`).
  // In a URL only the query can hold a token: paths are full of random-looking ids.
  const words = value.split(/[\s'",;()]+/).flatMap((w) => {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(w)) return w.split('=');
    const query = w.indexOf('?');
    return query < 0 ? [] : w.slice(query + 1).split(/[&=]/);
  });
  return words.some((w) => isBasicAuthBase64(w) || looksLikeAwsSecretKey(w) || looksLikeOpaqueToken(w));
}

/**
 * Where a text holds what looks like a credential, as offsets: what looksLikeCredential finds, placed.
 * A known shape is its match (only the password of `scheme://user:password@`, only the key after
 * `aws_secret_access_key=`), another token the word that is one (in a URL, only in its query), an
 * opaque token its random run. Sorted, never overlapping. For free text, such as a comment.
 */
export const credentialSpans: (text: string) => ReadonlyArray<{ start: number; end: number }> = remembered(spansOf);

function spansOf(text: string): Array<{ start: number; end: number }> {
  if (text.length < SHORTEST_PATTERN) return [];
  const spans: Array<{ start: number; end: number }> = [];
  if (hasPattern(text)) {
    for (const p of PATTERNS) {
      for (const m of text.matchAll(new RegExp(p.source, `${p.flags}g`))) {
        let start = m.index;
        let end = start + m[0].length;
        if (p === URL_PASSWORD) start += m[0].lastIndexOf(':') + 1;
        if (p === URL_PASSWORD) end -= 1; // the `@`
        if (p === AWS_SECRET_ASSIGNED) start = end - 40;
        spans.push({ start, end });
      }
    }
  }
  // As looksLikeCredential reads it: words, split at `=` but in a URL only its query. Only a word with
  // a run of 12 base64 characters can hold a token of these kinds, so only those words are read.
  let wordEnd = 0;
  for (const run of text.matchAll(LONG_RUNS)) {
    // base64 of `user:password` with its padding, which the words below lose at `=`.
    const padded = /^={1,2}/.exec(text.slice(run.index + run[0].length, run.index + run[0].length + 2));
    if (padded && isBasicAuthBase64(run[0] + padded[0])) {
      spans.push({ start: run.index, end: run.index + run[0].length + padded[0].length });
    }
    if (run.index < wordEnd) continue; // in a word already read
    let wordStart = run.index;
    while (wordStart > 0 && !WORD_BREAK.test(text[wordStart - 1])) wordStart--;
    wordEnd = run.index + run[0].length;
    while (wordEnd < text.length && !WORD_BREAK.test(text[wordEnd])) wordEnd++;
    const word = text.slice(wordStart, wordEnd);
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(word);
    const query = word.indexOf('?');
    if (url && query < 0) continue;
    const from = url ? query + 1 : 0;
    for (const piece of word.slice(from).matchAll(url ? /[^&=]+/g : /[^=]+/g)) {
      const start = wordStart + from + piece.index;
      const v = piece[0];
      if (isBasicAuthBase64(v) || looksLikeAwsSecretKey(v)) spans.push({ start, end: start + v.length });
      else if (looksLikeOpaqueToken(v)) {
        const run = [...v.matchAll(/[A-Za-z0-9]{20,}/g)].sort((a, b) => b[0].length - a[0].length)[0];
        spans.push({ start: start + run.index, end: start + run.index + run[0].length });
      }
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Array<{ start: number; end: number }> = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** What separates the words looksLikeCredential reads. */
const WORD_BREAK = /[\s'",;()]/;
const LONG_RUNS = /[A-Za-z0-9+/]{12,}/g;

/** base64 of `user:password`, the form of a DOCKER_REGISTRY_ secret. */
function isBasicAuthBase64(value: string): boolean {
  const v = value.trim();
  if (v.length < 12 || v.length > 400 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.length % 4 !== 0) return false;
  const decoded = base64Latin1(v);
  return /^[\x21-\x7e]{1,64}:[\x20-\x7e]{4,}$/.test(decoded) && !decoded.includes('://');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The bytes of a base64 text, one character each (no Node or browser API: the core runs in both). */
function base64Latin1(v: string): string {
  let bits = 0;
  let n = 0;
  let out = '';
  for (const c of v) {
    if (c === '=') break;
    bits = (bits << 6) | BASE64.indexOf(c);
    n += 6;
    if (n >= 8) {
      n -= 8;
      out += String.fromCharCode((bits >> n) & 0xff);
    }
  }
  return out;
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

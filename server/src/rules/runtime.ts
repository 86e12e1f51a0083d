import { valueRangeAt } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';
import { get, isObj } from '../core/yaml/values';

/** Python's `\\s` (Unicode white space). */
const S = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
/** packaging's `Version`: PEP 440's pattern, case-insensitive, spaces around allowed. */
const VERSION = new RegExp(
  `^${S}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*` +
    '(?:[._-]?(?:alpha|a|beta|b|preview|pre|c|rc)[._-]?[0-9]*)?' +
    '(?:-[0-9]+|[._-]?(?:post|rev|r)[._-]?[0-9]*)?' +
    '(?:[._-]?dev[._-]?[0-9]*)?' +
    `(?:\\+[a-z0-9]+(?:[._-][a-z0-9]+)*)?${S}*$`,
  'iu',
);
/**
 * A host name as truss's egress check reads it: labels joined by dots, each of 1 to 63 ASCII letters,
 * digits, `-` and `*` (a wildcard anywhere), not starting or ending with `-`. Python's `$` lets one
 * final line break follow.
 */
function isHostName(text: string): boolean {
  const name = text.endsWith('\n') ? text.slice(0, -1) : text;
  return name
    .split('.')
    .every(
      (label) =>
        label.length >= 1 &&
        label.length <= 63 &&
        !label.startsWith('-') &&
        !label.endsWith('-') &&
        [...label].every((c) => c === '-' || c === '*' || /^[a-zA-Z0-9]$/.test(c)),
    );
}

/** The 32 bits of a dotted IPv4 address as Python's ipaddress reads it (no leading zeros), or undefined. */
function ipv4(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^(?:0|[1-9][0-9]{0,2})$/.test(o) && Number(o) <= 255))
    return undefined;
  return octets.reduce((n, o) => n * 256 + Number(o), 0);
}

/** A mask of contiguous ones from the top (a netmask); `invert` reads a host mask. */
function isMask(bits: number, invert: boolean): boolean {
  const n = invert ? ~bits >>> 0 : bits;
  const low = ~n >>> 0;
  return (low & (low + 1)) === 0;
}

/** Whether `ipaddress.ip_network(text, strict=False)` reads an IPv4 network. */
function ipv4Network(text: string): boolean {
  const parts = text.split('/');
  if (parts.length > 2 || ipv4(parts[0]) === undefined) return false;
  if (parts.length === 1) return true;
  const prefix = parts[1];
  if (/^[0-9]+$/.test(prefix)) return Number(prefix) <= 32;
  const mask = ipv4(prefix);
  return mask !== undefined && (isMask(mask, false) || isMask(mask, true));
}

export const runtime = defineRule({
  name: 'runtime',
  codes: {
    'invalid-runtime': code({
      severity: 'error',
      summary:
        '`runtime.truss_server_version_override` that is not a version, an `egress_restrictions.ip_allow_list` ' +
        'entry that is not an IPv4 address or CIDR range, or a `fqdn_allow_list` entry that is not a host name.',
      source: '`Runtime` validators',
      href: DOCS.reference,
      docs: {
        description:
          'The `Runtime` validators of truss reject these when the config loads, so `truss push` fails before ' +
          'upload. `truss_server_version_override` must parse as a version (truss: "must be parsable as semver, ' +
          "e.g. '0.9.0'\"), so `latest` is refused. Each `egress_restrictions.ip_allow_list` entry must be an " +
          'IPv4 address or CIDR range: IPv6 is not supported, and host names belong in `fqdn_allow_list`, whose ' +
          'entries are host names of letters, digits, `-` and `*` (a wildcard anywhere in a label).',
        bad: `model_name: my-model
runtime:
  predict_concurrency: 8
  egress_restrictions:
    ip_allow_list:
      - 10.0.0.0/8
      - "2001:db8::/32"
      - api.example.com
`,
        good: `model_name: my-model
runtime:
  predict_concurrency: 8
  egress_restrictions:
    ip_allow_list:
      - 10.0.0.0/8
    fqdn_allow_list:
      - api.example.com
`,
      },
    }),
  },
  check({ parsed, value, report }) {
    const rt = get(value, 'runtime');
    if (!isObj(rt)) return;
    const version = rt.truss_server_version_override;
    if (typeof version === 'string' && !VERSION.test(version)) {
      report({
        code: 'invalid-runtime',
        range: valueRangeAt(parsed, ['runtime', 'truss_server_version_override']),
        message: "Invalid version string: it must be parsable as semver, e.g. '0.9.0'.",
      });
    }
    const ips = get(rt, 'egress_restrictions', 'ip_allow_list');
    if (Array.isArray(ips)) {
      ips.forEach((ip, i) => {
        if (typeof ip !== 'string') return;
        const range = valueRangeAt(parsed, ['runtime', 'egress_restrictions', 'ip_allow_list', String(i)]);
        if (ip.includes(':')) {
          const message = 'IPv6 is not supported in `ip_allow_list`: use IPv4 addresses or CIDR ranges.';
          report({ code: 'invalid-runtime', range, message });
        } else if (!ipv4Network(ip)) {
          const message =
            'Invalid IP or CIDR: write an IPv4 address or range, such as `10.0.0.0/8`, with no spaces or ' +
            'leading zeros.';
          report({ code: 'invalid-runtime', range, message });
        }
      });
    }
    const names = get(rt, 'egress_restrictions', 'fqdn_allow_list');
    if (Array.isArray(names)) {
      names.forEach((name, i) => {
        if (typeof name !== 'string' || isHostName(name)) return;
        const range = valueRangeAt(parsed, ['runtime', 'egress_restrictions', 'fqdn_allow_list', String(i)]);
        const message = name
          ? 'Invalid FQDN: write a host name of letters, digits, `-` and `*` labels joined by dots, such as ' +
            '`*.example.com`, with no spaces.'
          : 'FQDN entries cannot be empty.';
        report({ code: 'invalid-runtime', range, message });
      });
    }
  },
});

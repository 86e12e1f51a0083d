import { valueRangeAt } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';
import { get, isObj } from '../core/yaml/values';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const VERSION = /^\s*v?\d+(\.\d+)*([-.+]?[0-9A-Za-z][0-9A-Za-z.+-]*)?\s*$/;

export const runtime = defineRule({
  name: 'runtime',
  codes: {
    'invalid-runtime': code({
      severity: 'error',
      summary:
        '`runtime.truss_server_version_override` that is not a version, or an `egress_restrictions.ip_allow_list` ' +
        'entry that is not an IPv4 address or CIDR range.',
      source: '`Runtime` validators',
      href: DOCS.reference,
      docs: {
        description:
          'The `Runtime` validators of truss reject these when the config loads, so `truss push` fails before ' +
          'upload. `truss_server_version_override` must parse as a version (truss: "must be parsable as semver, ' +
          "e.g. '0.9.0'\"), so `latest` is refused. Each `egress_restrictions.ip_allow_list` entry must be an " +
          'IPv4 address or CIDR range: IPv6 is not supported, and host names belong in `fqdn_allow_list`.',
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
    if (!Array.isArray(ips)) return;
    ips.forEach((ip, i) => {
      if (typeof ip !== 'string') return;
      const range = valueRangeAt(parsed, ['runtime', 'egress_restrictions', 'ip_allow_list', String(i)]);
      if (ip.includes(':')) {
        const message = 'IPv6 is not supported in `ip_allow_list`: use IPv4 addresses or CIDR ranges.';
        report({ code: 'invalid-runtime', range, message });
      } else if (!IPV4.test(ip.trim())) {
        const message = 'Invalid IP or CIDR: write an IPv4 address or range, such as `10.0.0.0/8`.';
        report({ code: 'invalid-runtime', range, message });
      }
    });
  },
});

import { valueRangeAt } from '../core/parse';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { DOCS } from '../core/types';
import { get, isObj } from '../core/values';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const VERSION = /^\s*v?\d+(\.\d+)*([-.+]?[0-9A-Za-z][0-9A-Za-z.+-]*)?\s*$/;

export const runtime = defineRule({
  name: 'runtime',
  codes: {
    'invalid-runtime': code({
      severity: 'error',
      summary:
        '`truss_server_version_override` that is not a version, or an egress IP that is IPv6 or not an IPv4/CIDR.',
      source: '`Runtime` validators',
      href: DOCS.reference,
      docs: PENDING_DOCS,
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

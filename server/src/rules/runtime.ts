import { Rule } from '../core/rule';
import { valueRangeAt } from '../core/parse';
import { get, isObj } from '../core/values';
import { DOCS } from '../core/types';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;

export const runtime: Rule = {
  codes: [
    {
      code: 'invalid-runtime',
      severity: 'error',
      summary: '`truss_server_version_override` that is not a version, or an egress IP that is IPv6 or not an IPv4/CIDR.',
      source: '`Runtime` validators',
      href: DOCS.reference,
    },
  ],
  check({ parsed, value, report }) {
    const rt = get(value, 'runtime');
    if (!isObj(rt)) return;
    const version = rt.truss_server_version_override;
    if (typeof version === 'string' && !/^\s*v?\d+(\.\d+)*([-.+]?[0-9A-Za-z][0-9A-Za-z.+-]*)?\s*$/.test(version)) {
      report('invalid-runtime', valueRangeAt(parsed, ['runtime', 'truss_server_version_override']), "Invalid version string: it must be parsable as semver, e.g. '0.9.0'.", {});
    }
    const ips = get(rt, 'egress_restrictions', 'ip_allow_list');
    if (Array.isArray(ips)) {
      ips.forEach((ip, i) => {
        if (typeof ip !== 'string') return;
        const range = () => valueRangeAt(parsed, ['runtime', 'egress_restrictions', 'ip_allow_list', String(i)]);
        if (ip.includes(':')) report('invalid-runtime', range(), 'IPv6 is not supported in `ip_allow_list`: use IPv4 addresses or CIDR ranges.', {});
        else if (!IPV4.test(ip.trim())) report('invalid-runtime', range(), 'Invalid IP or CIDR: write an IPv4 address or range, such as `10.0.0.0/8`.', {});
      });
    }
  },
};

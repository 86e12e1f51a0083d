import { type Node, isScalar, isSeq } from 'yaml';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';
import { exactly } from '../core/yaml/query';

/** A requirement that names a package and nothing else: no version, URL, path or option. */
const BARE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(?:\[[^\]]*\])?\s*(?:;.*)?$/;

export const unpinnedRequirement = defineRule({
  name: 'unpinned-requirement',
  codes: {
    'unpinned-requirement': code({
      severity: 'information',
      summary: 'A `requirements` entry with no version: each build on Baseten installs whatever is newest then.',
      source: 'pip, which truss runs on `requirements` when it builds the image',
      href: DOCS.reference,
      docs: {
        description:
          'Flags an entry of `requirements` that names a package with no version, such as `transformers`. truss ' +
          "writes the list into the image's requirements file and pip installs the newest release at build " +
          'time, so two pushes of the same Truss can run different code, and a release published after your ' +
          'tests can break the model at load. Pin the version you tested (`transformers==4.44.2`). Entries ' +
          'with any version specifier, a URL, a path or a pip option are not flagged, nor are environment ' +
          'markers alone (`; python_version < "3.12"`).',
        bad: `model_name: my-model
python_version: py311
requirements:
  - torch==2.4.0
  - transformers
resources:
  accelerator: A10G
`,
        good: `model_name: my-model
python_version: py311
requirements:
  - torch==2.4.0
  - transformers==4.44.2
resources:
  accelerator: A10G
`,
      },
    }),
  },
  check({ parsed, report }) {
    const list = exactly(parsed, ['requirements'])?.node;
    if (!isSeq(list)) return;
    for (const item of list.items) {
      const node = parsed.resolve(item);
      if (!isScalar(node) || typeof node.value !== 'string' || !BARE.test(node.value.trim())) continue;
      const range = parsed.nodeRange(item as Node);
      if (!range) continue;
      report({
        code: 'unpinned-requirement',
        range,
        message:
          'This requirement has no version: pin the one you tested (`name==1.2.3`), or each build on Baseten ' +
          'installs the newest.',
      });
    }
  },
});

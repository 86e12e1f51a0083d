import { isScalar } from 'yaml';
import { replaceScalar } from '../core/edit';
import { findPair, stringValue } from '../core/parse';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { DOCS } from '../core/types';

export const baseImage = defineRule({
  name: 'base-image',
  codes: {
    'empty-image': code({
      severity: 'warning',
      summary: '`base_image` (or `docker_auth`) is set but `base_image.image` is empty.',
      source: 'truss/contexts/image_builder/serving_image_builder.py uses the empty name as the base image',
      href: DOCS.privateRegistries,
      docs: PENDING_DOCS,
    }),
    'relative-python-path': code({
      severity: 'error',
      summary: '`base_image.python_executable_path` is not an absolute path.',
      source: 'truss/base/truss_config.py `BaseImage._validate_path`',
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, facts, report }) {
    const map = facts.baseImageMap;
    if (!map || !facts.baseImage) return;
    const imagePair = findPair(map, 'image');
    const image = imagePair ? stringValue(parsed.resolve(imagePair.value)) : '';
    if (image !== undefined && image.trim() === '') {
      const what = facts.dockerAuthMap
        ? '`docker_auth` is set but `base_image.image` is empty'
        : '`base_image` has no `image`';
      report({
        code: 'empty-image',
        range: imagePair ? parsed.valueRange(imagePair) : parsed.keyRange(facts.baseImage),
        message: `${what}: the build would use an empty image name. Set \`image\` to the image reference, for example \`nvcr.io/nvidia/pytorch:24.05-py3\`.`,
      });
    }
    const pathPair = findPair(map, 'python_executable_path');
    const path = pathPair && stringValue(parsed.resolve(pathPair.value));
    if (pathPair && path && !path.startsWith('/')) {
      report({
        code: 'relative-python-path',
        range: parsed.valueRange(pathPair),
        message: 'Invalid relative python executable path: provide an absolute path such as `/usr/bin/python3`.',
      });
    }
  },
  fixes: {
    'relative-python-path'(_finding, { facts, parsed }) {
      const node = findPair(facts.baseImageMap, 'python_executable_path')?.value;
      const path = stringValue(node);
      const edit = path && isScalar(node) ? replaceScalar(parsed, node, `/${path}`) : undefined;
      return edit ? [{ title: `Change to \`/${path}\``, edits: [edit] }] : [];
    },
  },
});

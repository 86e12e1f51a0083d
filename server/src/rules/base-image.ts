import { isScalar } from 'yaml';
import { replaceScalar } from '../core/yaml/edit';
import { findPair, stringValue } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';

export const baseImage = defineRule({
  name: 'base-image',
  codes: {
    'empty-image': code({
      severity: 'warning',
      summary: '`base_image` is set (with or without `docker_auth`) but its `image` is missing or empty.',
      source: 'truss/contexts/image_builder/serving_image_builder.py uses the empty name as the base image',
      href: DOCS.privateRegistries,
      docs: {
        description:
          '`base_image` is there (often only to hold `docker_auth` or `python_executable_path`) but its `image` is ' +
          'missing or empty. Truss accepts this, since `image` defaults to `""`, so `truss push` goes through; its ' +
          'image builder (`serving_image_builder.py`) then uses the empty string as the base image name, and the ' +
          'build has no image to start from. Set `image` to the full reference of your custom base image.',
        bad: `model_name: my-model
python_version: py311
base_image:
  python_executable_path: /usr/bin/python3
requirements:
  - transformers==4.44.0
`,
        good: `model_name: my-model
python_version: py311
base_image:
  image: nvcr.io/nvidia/pytorch:24.05-py3
  python_executable_path: /usr/bin/python3
requirements:
  - transformers==4.44.0
`,
      },
    }),
    'relative-python-path': code({
      severity: 'error',
      fix: 'editor',
      summary: '`base_image.python_executable_path` is not an absolute path.',
      source: 'truss/base/truss_config.py `BaseImage._validate_path`',
      docs: {
        description:
          '`python_executable_path` tells truss where Python is inside a custom `base_image`, and truss requires an ' +
          'absolute path when it is set (`BaseImage._validate_path`). A relative path such as `usr/bin/python3` ' +
          'fails when truss loads the config, so `truss push` stops with `Invalid relative python executable path ' +
          'usr/bin/python3. Provide an absolute path`. An empty value is not checked.',
        bad: `model_name: my-model
base_image:
  image: nvcr.io/nvidia/pytorch:24.05-py3
  python_executable_path: usr/bin/python3
`,
        good: `model_name: my-model
base_image:
  image: nvcr.io/nvidia/pytorch:24.05-py3
  python_executable_path: /usr/bin/python3
`,
        fix:
          'Adds a leading `/` (`usr/bin/python3` becomes `/usr/bin/python3`); check that the result is the real path ' +
          'in the image.',
      },
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
        message:
          `${what}: the build would use an empty image name. Set \`image\` to the image reference, for ` +
          `example \`nvcr.io/nvidia/pytorch:24.05-py3\`.`,
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
      const intent = [{ path: ['base_image', 'python_executable_path'], to: `/${path}` }];
      return edit ? [{ title: `Change to \`/${path}\``, edits: [edit], intent }] : [];
    },
  },
});

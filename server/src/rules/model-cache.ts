import { modelCacheKey } from '../core/truss/facts';
import { keyRangeAt } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';
import { get, isObj, isSet, pyTruthy, truthy } from '../core/yaml/values';

export const modelCache = defineRule({
  name: 'model-cache',
  reads: ['model_cache'],
  codes: {
    'model-cache-volume': code({
      severity: 'error',
      summary:
        '`model_cache` with `use_volume: true` but no `volume_folder`, a Hugging Face repo without `revision`, ' +
        'or entries that disagree on `use_volume`.',
      source: '`ModelRepo._check_v2_requirements`, `ModelCache._check_volume_consistent`, `TrussConfig.from_dict`',
      href: DOCS.reference,
      docs: {
        description:
          'Checks the volume settings of `model_cache` entries. With `use_volume: true`, an entry needs a ' +
          '`volume_folder`, and a Hugging Face repo (the default `kind`) needs a `revision` (a commit hash, ' +
          "branch or tag): without them truss rejects the config when it loads it, with `Revision '' is " +
          'insufficient for repo ...` for the revision, so `truss push` fails. All entries must also use the ' +
          'same `use_volume` value; truss refuses a mix of `true` and `false` when it builds the image (not when it ' +
          'loads the config), so that one is a warning. `model_cache` itself is deprecated ' +
          'in favour of `weights` (`truss migrate` converts it): the `deprecated` information reports that, and the ' +
          'corrected config below turns it off to show this rule alone. A legacy `hf_cache` list (when there is ' +
          'no `model_cache`) is checked the same way: truss renames it to `model_cache` on load; so are the ' +
          'entries of the internal `cache_internal` list, which may mix `use_volume` values.',
        bad: `model_name: whisper-large-v3
python_version: py311
resources:
  accelerator: L4
model_cache:
  - repo_id: openai/whisper-large-v3
    use_volume: true
    allow_patterns:
      - "*.safetensors"
      - "*.json"
`,
        good: `model_name: whisper-large-v3
python_version: py311
resources:
  accelerator: L4
# truss-config-disable-next-line deprecated
model_cache:
  - repo_id: openai/whisper-large-v3
    revision: main
    use_volume: true
    volume_folder: whisper-large-v3
    allow_patterns:
      - "*.safetensors"
      - "*.json"
`,
      },
    }),
  },
  check({ parsed, value, report }) {
    // A legacy `hf_cache` is validated as `model_cache` when that is absent; findings stay on its entries.
    // `cache_internal` (internal) holds the same entries, with no rule on mixing `use_volume`.
    const key = modelCacheKey(value);
    for (const [name, consistent] of [
      [key, true],
      ['cache_internal', false],
    ] as const) {
      const list = name && get(value, name);
      if (!name || !Array.isArray(list)) continue;
      let firstVolume: boolean | undefined;
      list.forEach((m, i) => {
        if (!isObj(m) || m.use_volume === undefined) return;
        const range = keyRangeAt(parsed, [name, String(i), 'use_volume']);
        const flag = (message: string, severity?: 'warning') =>
          report({ code: 'model-cache-volume', range, message, severity });
        // truss checks these before pydantic reads `use_volume`: `"false"` is true there, as any text.
        if (pyTruthy(m.use_volume)) {
          if (!isSet(m.volume_folder)) flag('`volume_folder` is required when `use_volume` is true.');
          const hf = m.kind === undefined || m.kind === null || m.kind === 'hf';
          if (hf && !pyTruthy(m.revision)) {
            flag('A Hugging Face repo with `use_volume: true` needs a `revision` (a commit hash, branch or tag).');
          }
        }
        if (!consistent) return;
        const volume = truthy(m.use_volume);
        if (firstVolume === undefined) firstVolume = volume;
        else if (firstVolume !== volume)
          // truss checks this when it builds the image, not when it loads the config: a warning.
          flag(`All \`${name}\` entries must use the same \`use_volume\` value (truss checks it at build).`, 'warning');
      });
    }
  },
});

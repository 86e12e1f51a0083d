import { Rule } from '../core/rule';
import { keyRangeAt } from '../core/parse';
import { get, isObj, isSet, truthy } from '../core/values';
import { DOCS } from '../core/types';

export const modelCache: Rule = {
  codes: [
    {
      code: 'model-cache-volume',
      severity: 'error',
      summary: '`model_cache` with `use_volume: true` but no `volume_folder`, a Hugging Face repo without `revision`, or entries that disagree on `use_volume`.',
      source: '`ModelRepo._check_v2_requirements`, `ModelCache._check_volume_consistent`',
      href: DOCS.reference,
    },
  ],
  check({ parsed, value, report }) {
    const list = get(value, 'model_cache');
    if (!Array.isArray(list)) return;
    let firstVolume: boolean | undefined;
    list.forEach((m, i) => {
      if (!isObj(m) || m.use_volume === undefined) return;
      const at = (key: string) => ['model_cache', String(i), key];
      const volume = truthy(m.use_volume);
      if (volume) {
        if (!isSet(m.volume_folder)) {
          report('model-cache-volume', keyRangeAt(parsed, at('use_volume')), '`volume_folder` is required when `use_volume` is true.', {});
        }
        const kind = typeof m.kind === 'string' ? m.kind : 'hf';
        if (kind === 'hf' && !isSet(m.revision)) {
          report('model-cache-volume', keyRangeAt(parsed, at('use_volume')), 'A Hugging Face repo with `use_volume: true` needs a `revision` (a commit hash, branch or tag).', {});
        }
      }
      if (firstVolume === undefined) firstVolume = volume;
      else if (firstVolume !== volume) {
        report('model-cache-volume', keyRangeAt(parsed, at('use_volume')), 'All `model_cache` entries must use the same `use_volume` value.', {});
      }
    });
  },
};

import { acceleratorType } from '../core/facts';
import { keyRangeAt, valueRangeAt } from '../core/parse';
import { code, defineRule } from '../core/rule';
import { DOCS } from '../core/types';
import { get, isObj, isSet } from '../core/values';

const FP8 = ['fp8', 'fp8_kv', 'fp4'];
const PRE_ADA = ['A10G', 'A100', 'A100_40GB'];
const PRE_BLACKWELL = ['H100', 'H200', 'H100_40GB', 'L4', 'L40S', 'A100_40GB', 'A100', 'A10G'];
/** Build fields the v2 stack refuses, with the default it tolerates. */
const V2_ALLOWED = new Set(['checkpoint_repository', 'quantization_type', 'quantization_config', 'skip_build_result']);
const V2_DEFAULTS: Record<string, unknown> = {
  base_model: 'decoder',
  max_batch_size: 256,
  max_num_tokens: 8192,
  max_beam_width: 1,
  tensor_parallel_count: 1,
  pipeline_parallel_count: 1,
  sequence_parallel_count: 1,
};

export const trtLlm = defineRule({
  name: 'trt-llm',
  codes: {
    'trt-llm-accelerator': code({
      severity: 'error',
      summary:
        'A `trt_llm` build on a GPU it does not support: T4/V100 (but for `encoder_bert`), FP8 before L4/H100, ' +
        'FP4 before B200 (a warning for `fp4_kv`, `fp4_mlp_only`).',
      source: 'truss/base/trt_llm_config.py `trt_llm_common_validation`',
      href: DOCS.reference,
      docs: {
        description:
          'Checks a `trt_llm` build against `resources.accelerator`. TRT-LLM does not run on T4 or V100 (only ' +
          'an `encoder_bert` model may); `fp8`, `fp8_kv` and `fp4` quantization need an L4, H100, H200 or newer; ' +
          'and `fp4` needs a B200 (Blackwell) or newer. truss rejects these combinations when it loads the ' +
          'config (for example `FP8 quantization is only supported on L4, H100, H200 accelerators or newer`), ' +
          'so `truss push` fails. `fp4_kv` and `fp4_mlp_only` on a GPU older than B200 get a warning instead.',
        bad: `model_name: llama-3-8b-trt
model_metadata:
  tags:
    - openai-compatible
resources:
  accelerator: A100
trt_llm:
  build:
    base_model: decoder
    quantization_type: fp8
    max_seq_len: 8192
    checkpoint_repository:
      source: HF
      repo: meta-llama/Llama-3.1-8B-Instruct
`,
        good: `model_name: llama-3-8b-trt
model_metadata:
  tags:
    - openai-compatible
resources:
  accelerator: H100
trt_llm:
  build:
    base_model: decoder
    quantization_type: fp8
    max_seq_len: 8192
    checkpoint_repository:
      source: HF
      repo: meta-llama/Llama-3.1-8B-Instruct
`,
      },
    }),
    'trt-llm-speculator': code({
      severity: 'error',
      summary:
        '`speculator` with external draft tokens (`DRAFT_TOKENS_EXTERNAL`, the default mode), ' +
        'which truss discontinued.',
      source: '`TrussTRTLLMBuildConfiguration.validate_not_external_draft`',
      href: DOCS.reference,
      docs: {
        description:
          'Flags a `trt_llm.build.speculator` that uses external draft tokens: `speculative_decoding_mode: ' +
          'DRAFT_TOKENS_EXTERNAL`, which is also the mode when `speculative_decoding_mode` is left out. truss ' +
          'has discontinued this mode and rejects it when it loads the config (`external draft speculation is ' +
          'discontinued in favor of LOOKAHEAD_DECODING`), so `truss push` fails. Switch to ' +
          '`LOOKAHEAD_DECODING`, or move to `inference_stack: v2`.',
        bad: `model_name: llama-3-8b-speculative
model_metadata:
  tags:
    - openai-compatible
resources:
  accelerator: H100
trt_llm:
  build:
    base_model: decoder
    max_batch_size: 32
    checkpoint_repository:
      source: HF
      repo: meta-llama/Llama-3.1-8B-Instruct
    speculator:
      num_draft_tokens: 4
      checkpoint_repository:
        source: HF
        repo: meta-llama/Llama-3.2-1B-Instruct
`,
        good: `model_name: llama-3-8b-speculative
model_metadata:
  tags:
    - openai-compatible
resources:
  accelerator: H100
trt_llm:
  build:
    base_model: decoder
    max_batch_size: 32
    checkpoint_repository:
      source: HF
      repo: meta-llama/Llama-3.1-8B-Instruct
    speculator:
      speculative_decoding_mode: LOOKAHEAD_DECODING
      lookahead_windows_size: 7
      lookahead_ngram_size: 5
      lookahead_verification_set_size: 3
`,
      },
    }),
    'trt-llm-v2-build': code({
      severity: 'warning',
      summary: 'A `trt_llm.build` field the `v2` stack does not let you change.',
      source: '`TRTLLMConfigurationV2.validate_inference_stack_v2`',
      href: DOCS.reference,
      docs: {
        description:
          'With `trt_llm.inference_stack: v2`, `trt_llm.build` may only set `checkpoint_repository`, ' +
          '`quantization_type`, `quantization_config` and `skip_build_result`; any other build field must be ' +
          'left at its default. truss rejects the config otherwise (`Field trt_llm.build.<field> is not allowed ' +
          'to be set when using v2 inference stack`), so `truss push` fails. Settings such as `max_seq_len` have ' +
          'a counterpart under `trt_llm.runtime`: set them there.',
        bad: `model_name: llama-3-8b-v2
resources:
  accelerator: H100
trt_llm:
  inference_stack: v2
  build:
    quantization_type: fp8
    max_seq_len: 32768
    checkpoint_repository:
      source: HF
      repo: meta-llama/Llama-3.1-8B-Instruct
  runtime:
    max_batch_size: 64
`,
        good: `model_name: llama-3-8b-v2
resources:
  accelerator: H100
trt_llm:
  inference_stack: v2
  build:
    quantization_type: fp8
    checkpoint_repository:
      source: HF
      repo: meta-llama/Llama-3.1-8B-Instruct
  runtime:
    max_batch_size: 64
    max_seq_len: 32768
`,
      },
    }),
  },
  check({ parsed, value, report }) {
    const trt = get(value, 'trt_llm');
    if (!isObj(trt) || !isObj(trt.build)) return;
    const build = trt.build;
    const quant = typeof build.quantization_type === 'string' ? build.quantization_type : 'no_quant';
    const base = typeof build.base_model === 'string' ? build.base_model : 'decoder';
    const acc = acceleratorType(get(value, 'resources', 'accelerator'));
    const accRange = () => valueRangeAt(parsed, ['resources', 'accelerator']);
    const flag = (message: string, severity?: 'warning') =>
      report({ code: 'trt-llm-accelerator', range: accRange(), message, severity });
    if (acc === 'T4' || acc === 'V100') {
      if (base !== 'encoder_bert')
        flag(`TRT-LLM is not supported on ${acc}: the lowest supported GPUs are A10G and A100.`);
    } else if (acc && FP8.includes(quant) && PRE_ADA.includes(acc)) {
      flag(`\`${quant}\` quantization is only supported on L4, H100, H200 accelerators or newer.`);
    } else if (acc && quant === 'fp4' && PRE_BLACKWELL.includes(acc)) {
      flag('FP4 quantization is only supported on B200 (Blackwell) accelerators or newer.');
    } else if (acc && quant.startsWith('fp4') && PRE_BLACKWELL.includes(acc)) {
      flag(`\`${quant}\` needs B200 (Blackwell) accelerators or newer.`, 'warning');
    }

    const spec = build.speculator;
    if (isObj(spec) && (spec.speculative_decoding_mode ?? 'DRAFT_TOKENS_EXTERNAL') === 'DRAFT_TOKENS_EXTERNAL') {
      const path = ['trt_llm', 'build', 'speculator'];
      if (spec.speculative_decoding_mode !== undefined) path.push('speculative_decoding_mode');
      report({
        code: 'trt-llm-speculator',
        range: spec.speculative_decoding_mode === undefined ? keyRangeAt(parsed, path) : valueRangeAt(parsed, path),
        message:
          'External draft speculation (DRAFT_TOKENS_EXTERNAL) is discontinued in favor of LOOKAHEAD_DECODING; or ' +
          'switch to `inference_stack: v2`.',
      });
    }

    if (trt.inference_stack === 'v2') {
      for (const [key, v] of Object.entries(build)) {
        if (V2_ALLOWED.has(key) || v === null || (key in V2_DEFAULTS && V2_DEFAULTS[key] === v) || !isSet(v)) continue;
        report({
          code: 'trt-llm-v2-build',
          range: keyRangeAt(parsed, ['trt_llm', 'build', key]),
          message:
            `Field trt_llm.build.${key} is not allowed to be set when using v2 inference stack; set it ` +
            `under \`trt_llm.runtime\` if it has a runtime form.`,
        });
      }
    }
  },
});

import { acceleratorCount, acceleratorType } from '../core/truss/facts';
import { keyRangeAt, valueRangeAt } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { firstAfter, holds, knows } from '../core/truss/release';
import { knownKeys } from '../core/truss/schema';
import { DOCS } from '../core/types';
import { asInt, get, isObj, isSet, truthy } from '../core/yaml/values';

/** truss 0.18.25's lists (`trt_llm_common_validation`): every FP8 and FP4 variant, and the GPUs each excludes. */
const FP4 = ['fp4', 'fp4_kv', 'fp4_mlp_only'];
const FP8 = ['fp8', 'fp8_kv', ...FP4];
const PRE_ADA = ['A10G', 'A100', 'A100_40GB', 'T4', 'V100'];
const PRE_BLACKWELL = ['H100', 'H100_40GB', 'H200', 'L4', 'L40S', 'A100_40GB'];
/** Build fields the v2 stack lets you change; any other must keep its default. */
const V2_ALLOWED = new Set([
  'checkpoint_repository',
  'quantization_type',
  'quantization_config',
  'skip_build_result',
  'num_builder_gpus',
]);
/** The defaults of the other build fields, as truss 0.18.25 compares them (after its lax conversions). */
const V2_DEFAULTS: Record<string, unknown> = {
  base_model: 'decoder',
  max_seq_len: null,
  max_batch_size: 256,
  max_num_tokens: 8192,
  max_beam_width: 1,
  max_prompt_embedding_table_size: 0,
  gather_all_token_logits: false,
  strongly_typed: false,
  tensor_parallel_count: 1,
  pipeline_parallel_count: 1,
  moe_expert_parallel_option: -1,
  sequence_parallel_count: 1,
  plugin_configuration: { paged_kv_cache: true, use_paged_context_fmha: true, use_fp8_context_fmha: false },
  speculator: null,
  lora_adapters: null,
  lora_configuration: null,
};
const LAX_INTS = ['max_prompt_embedding_table_size', 'pipeline_parallel_count', 'moe_expert_parallel_option'];
const LAX_BOOLS = ['gather_all_token_logits', 'strongly_typed'];
const BOOL_WORDS = /^(?:true|false|yes|no|on|off|t|f|y|n|1|0)$/i;

/** A build field's value as truss compares it with its default, or undefined when it cannot tell. */
function comparable(key: string, v: unknown): unknown {
  if (LAX_INTS.includes(key) || key === 'sequence_parallel_count') return asInt(v);
  if (LAX_BOOLS.includes(key)) return laxBool(v);
  if (key === 'plugin_configuration') {
    if (!isObj(v)) return undefined;
    const out: Record<string, unknown> = { ...(V2_DEFAULTS.plugin_configuration as object) };
    for (const [k, x] of Object.entries(v)) if (k in out) out[k] = laxBool(x);
    return JSON.stringify(out);
  }
  return v;
}

function laxBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  return typeof v === 'string' && BOOL_WORDS.test(v) ? truthy(v) : undefined;
}

export const trtLlm = defineRule({
  name: 'trt-llm',
  reads: ['resources'],
  codes: {
    'trt-llm-accelerator': code({
      severity: 'error',
      summary:
        'A `trt_llm` build on GPUs it does not support: T4/V100 (but for `encoder_bert`), FP8 or FP4 before ' +
        'L4/H100, FP4 before B200, (`v1`) parallel counts that differ from the GPU count, or MoE expert ' +
        'parallelism beyond the tensor parallelism.',
      source: 'truss/base/trt_llm_config.py `trt_llm_common_validation`',
      href: DOCS.reference,
      docs: {
        description:
          'Checks a `trt_llm` build against `resources.accelerator`, with the GPU lists of truss 0.18.25. ' +
          'TRT-LLM does not run on T4 or V100 (only an `encoder_bert` model may); FP8 and FP4 quantization ' +
          '(`fp8`, `fp8_kv`, `fp4`, `fp4_kv`, `fp4_mlp_only`) are refused on A10G, A100 and A100_40GB; and the ' +
          'FP4 variants are also refused on L4, L40S, H100, H100_40GB and H200 (they need a B200 or other ' +
          'Blackwell GPU). With `inference_stack: v1` (the default), `tensor_parallel_count` × ' +
          '`pipeline_parallel_count` × `sequence_parallel_count` must equal the accelerator count (`H100:8` is 8; ' +
          "no accelerator counts as 1), and a decoder's `moe_expert_parallel_option` is -1 or from 1 to " +
          '`tensor_parallel_count`. truss rejects these when it loads the config (for example `FP8 ' +
          'quantization is only supported on L4, H100, H200, B200 accelerators or newer`, `Tensor parallelism and ' +
          'GPU count must be the same for TRT-LLM`), so `truss push` fails.',
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
        '`speculator` with external draft tokens (`DRAFT_TOKENS_EXTERNAL`, the default mode), which truss ' +
        'discontinued, or `LOOKAHEAD_DECODING` with missing or inconsistent lookahead sizes.',
      source: '`TrussTRTLLMBuildConfiguration.validate_not_external_draft`, `TrussSpeculatorConfiguration`',
      href: DOCS.reference,
      docs: {
        description:
          'Flags a `trt_llm.build.speculator` that uses external draft tokens: `speculative_decoding_mode: ' +
          'DRAFT_TOKENS_EXTERNAL`, which is also the mode when `speculative_decoding_mode` is left out. truss ' +
          'has discontinued this mode and rejects it when it loads the config (`external draft speculation is ' +
          'discontinued in favor of LOOKAHEAD_DECODING`), so `truss push` fails. Switch to ' +
          '`LOOKAHEAD_DECODING`, or move to `inference_stack: v2`. With `LOOKAHEAD_DECODING`, truss needs ' +
          '`lookahead_windows_size`, `lookahead_ngram_size` and `lookahead_verification_set_size`, and a ' +
          '`num_draft_tokens`, when set, of at least the number of tokens those sizes give (and at most 2048).',
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
    'trt-llm-plugins': code({
      severity: 'error',
      summary:
        '`trt_llm.build.plugin_configuration` that turns off the paged KV cache where truss needs it: with ' +
        '`use_paged_context_fmha`, with a `speculator`, or (`v1` decoders) with chunked context.',
      source: '`TrussTRTLLMBuildConfiguration`, `TRTLLMConfigurationV1.model_post_init` (truss 0.18.25)',
      href: DOCS.reference,
      docs: {
        description:
          '`use_paged_context_fmha` (on by default) needs `paged_kv_cache` (on by default): truss 0.18.25 ' +
          'rejects `paged_kv_cache: false` unless `use_paged_context_fmha: false` too ("Using paged context fmha ' +
          'requires requires paged kv cache"). A `speculator` needs both on ("KV cache block reuse must be ' +
          'enabled for speculative decoding target model"), and so does a `v1` decoder with ' +
          '`trt_llm.runtime.enable_chunked_context` (on by default). truss fails when it loads such a config, so ' +
          '`truss push` stops. Leave both plugins on unless you build an encoder.',
        bad: `model_name: llama-3-8b-trt
model_metadata:
  tags:
    - openai-compatible
resources:
  accelerator: H100
trt_llm:
  build:
    base_model: decoder
    checkpoint_repository:
      source: HF
      repo: meta-llama/Llama-3.1-8B-Instruct
    plugin_configuration:
      paged_kv_cache: false
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
    checkpoint_repository:
      source: HF
      repo: meta-llama/Llama-3.1-8B-Instruct
`,
      },
    }),
    'trt-llm-v2-build': code({
      severity: 'error',
      summary: 'A `trt_llm.build` field the `v2` stack does not let you change.',
      source: '`TRTLLMConfigurationV2.validate_inference_stack_v2`',
      href: DOCS.reference,
      docs: {
        description:
          'With `trt_llm.inference_stack: v2`, `trt_llm.build` may only set `checkpoint_repository`, ' +
          '`quantization_type`, `quantization_config`, `skip_build_result` and `num_builder_gpus`; any other ' +
          'build field truss 0.18.25 knows must be left at its default. truss rejects the config otherwise ' +
          '(`Field trt_llm.build.<field> is not allowed ' +
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
  check({ parsed, value, release, report }) {
    const trt = get(value, 'trt_llm');
    if (!isObj(trt) || !isObj(trt.build)) return;
    const build = trt.build;
    const quant = typeof build.quantization_type === 'string' ? build.quantization_type : 'no_quant';
    const base = typeof build.base_model === 'string' ? build.base_model : 'decoder';
    const acc = acceleratorType(get(value, 'resources', 'accelerator'));
    // A release before `inference_stack` ignores or refuses it: to it, every config is v1.
    const stack = release && knows('key:trt_llm.inference_stack', release) === false ? undefined : trt.inference_stack;
    const isV1 = stack === undefined || stack === null || stack === '' || stack === 'v1';
    const accRange = () => valueRangeAt(parsed, ['resources', 'accelerator']);
    const flag = (message: string) => report({ code: 'trt-llm-accelerator', range: accRange(), message });
    if (acc === 'T4' || acc === 'V100') {
      if (base !== 'encoder_bert')
        flag(`TRT-LLM is not supported on ${acc}: the lowest supported GPUs are A10G and A100.`);
    } else if (acc && FP8.includes(quant) && PRE_ADA.includes(acc)) {
      flag(`\`${quant}\` quantization is only supported on L4, H100, H200, B200 accelerators or newer.`);
    } else if (acc && FP4.includes(quant) && PRE_BLACKWELL.includes(acc)) {
      flag(`\`${quant}\` quantization is only supported on B200 (Blackwell) accelerators or newer.`);
    }

    if (isV1) {
      const tp = build.tensor_parallel_count ?? 1;
      const pp = asInt(build.pipeline_parallel_count ?? 1);
      const sp = asInt(build.sequence_parallel_count ?? 1);
      const count = acceleratorCount(get(value, 'resources', 'accelerator'));
      if (
        typeof tp === 'number' &&
        Number.isInteger(tp) &&
        pp !== undefined &&
        sp !== undefined &&
        count !== undefined
      ) {
        if (tp * pp * sp !== count) {
          const tpSet = build.tensor_parallel_count !== undefined;
          report({
            code: 'trt-llm-accelerator',
            range: tpSet
              ? valueRangeAt(parsed, ['trt_llm', 'build', 'tensor_parallel_count'])
              : get(value, 'resources', 'accelerator') !== undefined
                ? accRange()
                : keyRangeAt(parsed, ['trt_llm', 'build']),
            message:
              'Tensor parallelism and GPU count must be the same for TRT-LLM: tensor_parallel_count × ' +
              'pipeline_parallel_count × sequence_parallel_count must equal the accelerator count.',
          });
        }
      }
    }

    // `validate_moe_parallelism_valid`: for a decoder, -1 or a count from 1 to tensor_parallel_count.
    const moe = asInt(build.moe_expert_parallel_option ?? -1);
    const tpCount = asInt(build.tensor_parallel_count ?? 1);
    if (base === 'decoder' && moe !== undefined && moe !== -1 && tpCount !== undefined && (moe > tpCount || moe <= 0)) {
      report({
        code: 'trt-llm-accelerator',
        range: valueRangeAt(parsed, ['trt_llm', 'build', 'moe_expert_parallel_option']),
        message:
          moe <= 0
            ? '`moe_expert_parallel_option` must be positive or -1.'
            : '`moe_expert_parallel_option` cannot be greater than `tensor_parallel_count`.',
      });
    }

    const spec = build.speculator;
    if (isObj(spec) && (spec.speculative_decoding_mode ?? 'DRAFT_TOKENS_EXTERNAL') === 'DRAFT_TOKENS_EXTERNAL') {
      const path = ['trt_llm', 'build', 'speculator'];
      if (spec.speculative_decoding_mode !== undefined) path.push('speculative_decoding_mode');
      const range =
        spec.speculative_decoding_mode === undefined ? keyRangeAt(parsed, path) : valueRangeAt(parsed, path);
      // Refused from truss 0.10.9; a release newer than our data is judged as the newest.
      const check = 'raised:trt-llm-external-draft-discontinued';
      if (release && holds(check, release) === false) {
        const from = firstAfter(check, release);
        report({
          code: 'trt-llm-speculator',
          range,
          severity: 'information',
          message:
            `truss ${release} accepts external draft speculation (DRAFT_TOKENS_EXTERNAL)` +
            (from ? `; truss ${from} and later refuse it` : '') +
            ': use LOOKAHEAD_DECODING, or switch to `inference_stack: v2`.',
        });
      } else {
        report({
          code: 'trt-llm-speculator',
          range,
          message:
            'External draft speculation (DRAFT_TOKENS_EXTERNAL) is discontinued in favor of LOOKAHEAD_DECODING; ' +
            'or switch to `inference_stack: v2`.',
        });
      }
    }
    if (isObj(spec) && spec.speculative_decoding_mode === 'LOOKAHEAD_DECODING') {
      const path = ['trt_llm', 'build', 'speculator'];
      const flag = (message: string) =>
        report({ code: 'trt-llm-speculator', range: keyRangeAt(parsed, path), message });
      const sizes = [spec.lookahead_windows_size, spec.lookahead_ngram_size, spec.lookahead_verification_set_size];
      const ints = sizes.map((n) => (typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined));
      const [w, ngram, verify] = ints;
      if (sizes.some((n) => !isSet(n) || n === 0)) {
        flag(
          'Lookahead decoding mode requires lookahead_windows_size, lookahead_ngram_size and ' +
            'lookahead_verification_set_size to be set.',
        );
      } else if (w !== undefined && ngram !== undefined && verify !== undefined) {
        const needed = (ngram === 1 ? 0 : ngram - 2) + (w - 1 + verify) * (ngram - 1);
        const tokens = spec.num_draft_tokens ?? needed;
        // Unset, num_draft_tokens takes the sizes' value, which must be at least 1 (an ngram size of 1 gives 0).
        if (tokens === needed && needed < 1)
          flag(
            'With a lookahead_ngram_size of 1 the lookahead sizes give no draft tokens, and num_draft_tokens must ' +
              'be at least 1: set num_draft_tokens, or a larger lookahead_ngram_size.',
          );
        else if (typeof tokens === 'number' && tokens < needed)
          flag(
            'num_draft_tokens is less than the value lookahead_windows_size, lookahead_ngram_size and ' +
              'lookahead_verification_set_size give.',
          );
        else if (typeof tokens === 'number' && tokens > 2048)
          flag('num_draft_tokens must be at most 2048: lower the lookahead sizes (or num_draft_tokens).');
      }
    }

    const plugins = isObj(build.plugin_configuration) ? build.plugin_configuration : {};
    // truss turns both plugins off for an `encoder` build before it checks them.
    const paged = base === 'encoder' ? false : laxBool(plugins.paged_kv_cache ?? true);
    const fmha = base === 'encoder' ? false : laxBool(plugins.use_paged_context_fmha ?? true);
    if (paged !== undefined && fmha !== undefined) {
      const where = build.plugin_configuration === undefined ? [] : ['plugin_configuration'];
      const range = keyRangeAt(parsed, ['trt_llm', 'build', ...where]);
      const chunked = laxBool(get(trt, 'runtime', 'enable_chunked_context') ?? true);
      const v1Decoder = isV1 && base !== 'encoder' && base !== 'encoder_bert' && chunked === true;
      const message =
        !paged && fmha
          ? 'Using paged context fmha requires paged kv cache: set `use_paged_context_fmha: false` too, or keep ' +
            '`paged_kv_cache` on.'
          : !(paged && fmha) && isObj(spec)
            ? 'KV cache block reuse must be enabled for speculative decoding: keep `paged_kv_cache` and ' +
              '`use_paged_context_fmha` on.'
            : !(paged && fmha) && v1Decoder
              ? 'With `trt_llm.runtime.enable_chunked_context` (on by default), a decoder needs ' +
                '`use_paged_context_fmha` and `paged_kv_cache` on.'
              : undefined;
      if (message) report({ code: 'trt-llm-plugins', range, message });
    }

    if (stack === 'v2') {
      const known = new Set(knownKeys(['trt_llm', 'build']));
      for (const [key, v] of Object.entries(build)) {
        if (!known.has(key) || V2_ALLOWED.has(key)) continue;
        const mine = comparable(key, v);
        const fallback = V2_DEFAULTS[key];
        if (mine === undefined) continue; // a wrong type: the schema reports it
        if (mine === (key === 'plugin_configuration' ? JSON.stringify(fallback) : fallback)) continue;
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

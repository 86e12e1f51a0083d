// @ts-check
// Synthetic Truss configs of a given number of lines: a realistic header (base_image with
// docker_auth, resources), then many secrets, environment variables and `weights` entries.

const HEADER = [
  'model_name: bench-synthetic',
  'python_version: py311',
  'base_image:',
  '  image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/models/llm:2.1.0',
  '  docker_auth:',
  '    auth_method: AWS_IAM',
  '    registry: 123456789012.dkr.ecr.us-west-2.amazonaws.com',
  '    aws_access_key_id_secret_name: ecr_access_key_id',
  '    aws_secret_access_key_secret_name: ecr_secret_access_key',
  'resources:',
  '  accelerator: H100:2',
  '  cpu: "8"',
  '  memory: 64Gi',
  '  use_gpu: true',
  'requirements:',
  '  - torch==2.5.1',
  '  - transformers==4.47.0',
  'docker_server:',
  '  start_command: sh -c "vllm serve /models/llm --port 8000"',
  '  readiness_endpoint: /health',
  '  liveness_endpoint: /health',
  '  predict_endpoint: /v1/chat/completions',
  '  server_port: 8000',
];

/**
 * A config of exactly `lines` lines (at least the header's length plus a few).
 * Returns the text and the line whose value the edit series types into (an
 * environment variable in the middle of the file).
 * @param {number} lines
 * @returns {{ text: string, editLine: number }}
 */
export function syntheticConfig(lines) {
  const out = [...HEADER];
  const room = Math.max(12, lines - out.length - 3); // three section headers
  // A third each to secrets and environment variables, a third to weights (5 lines each).
  const weights = Math.max(1, Math.floor(room / 3 / 5));
  const rest = room - weights * 5;
  const secrets = Math.floor(rest / 2);
  const env = rest - secrets;

  out.push('secrets:');
  out.push('  ecr_access_key_id: null');
  out.push('  ecr_secret_access_key: null');
  for (let i = 2; i < secrets; i++)
    out.push(i % 50 === 7 ? `  api_token_${i}: "sk-live-${i}"` : `  hf_access_token_${i}: null`);

  out.push('environment_variables:');
  let editLine = -1;
  for (let i = 0; i < env; i++) {
    if (i === Math.floor(env / 2)) editLine = out.length;
    out.push(`  MODEL_SETTING_${i}: "value-${i}"`);
  }

  out.push('weights:');
  for (let i = 0; i < weights; i++) {
    out.push(`  - source: "hf://org-${i % 17}/model-${i}@main"`);
    out.push(`    mount_location: /models/weights-${i}`);
    out.push(`    auth_secret_name: hf_access_token_${(i % Math.max(1, secrets - 2)) + 2}`);
    out.push('    allow_patterns:');
    out.push('      - "*.safetensors"');
  }
  return { text: out.join('\n') + '\n', editLine };
}

/** What the edit series type, one more character per edit. */
export const TYPED = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(4);

/**
 * The text after the i-th keystroke of an edit series: i characters typed at the end of one line's
 * value, inside its closing quote when it is quoted (after the quote, every version would be broken
 * YAML: `afterQuote` types there instead, to measure that case).
 * @param {string} text
 * @param {number} editLine
 * @param {number} i
 * @param {{ afterQuote?: boolean }} [options]
 */
export function editedText(text, editLine, i, { afterQuote = false } = {}) {
  const lines = text.split('\n');
  const line = lines[editLine];
  const quoted = !afterQuote && /["']$/.test(line) ? 1 : 0;
  lines[editLine] = line.slice(0, line.length - quoted) + TYPED.slice(0, i) + line.slice(line.length - quoted);
  return lines.join('\n');
}

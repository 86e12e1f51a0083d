import { keyRangeAt, valueRangeAt } from '../core/yaml/query';
import { code, defineRule } from '../core/rule';
import { firstAfter, holds } from '../core/truss/release';
import { asInt, get, isObj, isSet, truthy } from '../core/yaml/values';

const CUSTOM_SERVER = 'https://docs.baseten.co/truss/guides/custom-server';

export const dockerServer = defineRule({
  name: 'docker-server',
  codes: {
    'missing-start-command': code({
      severity: 'error',
      summary: '`docker_server` without `start_command`, unless `no_build: true`.',
      source: '`DockerServer._validate_start_command`',
      href: CUSTOM_SERVER,
      docs: {
        description:
          'A custom server (`docker_server`) needs `start_command`, the command that starts your server in the ' +
          'container, unless `no_build: true` is set. Without it truss fails when it loads the config, with ' +
          '"start_command is required when no_build is not true", so `truss push` stops before anything is built. ' +
          'An empty `start_command: ""` loads (truss checks only that it is there) but starts nothing: a warning.',
        bad: `model_name: opt-125m-vllm
base_image:
  image: vllm/vllm-openai:v0.5.4
docker_server:
  server_port: 8000
  predict_endpoint: /v1/completions
  readiness_endpoint: /health
  liveness_endpoint: /health
resources:
  accelerator: L4
`,
        good: `model_name: opt-125m-vllm
base_image:
  image: vllm/vllm-openai:v0.5.4
docker_server:
  start_command: vllm serve facebook/opt-125m --port 8000
  server_port: 8000
  predict_endpoint: /v1/completions
  readiness_endpoint: /health
  liveness_endpoint: /health
resources:
  accelerator: L4
`,
      },
    }),
    'invalid-user-id': code({
      severity: 'error',
      summary: '`docker_server.run_as_user_id` is 0 or 60000.',
      source: '`DockerServer._validate_run_as_user_id`',
      href: CUSTOM_SERVER,
      docs: {
        description:
          'Truss refuses `docker_server.run_as_user_id: 0` and `60000` when it loads the config ("run_as_user_id ' +
          'cannot be 0. Use a different user ID."), so `truss push` fails. 0 is root, and 60000 is the uid of ' +
          'the default `app` user. Pick another uid, or leave the key out to keep the default user; it must be left ' +
          'out when `runtime.remote_ssh.enabled` is true.',
        bad: `model_name: opt-125m-vllm
base_image:
  image: vllm/vllm-openai:v0.5.4
docker_server:
  start_command: vllm serve facebook/opt-125m --port 8000
  server_port: 8000
  predict_endpoint: /v1/completions
  readiness_endpoint: /health
  liveness_endpoint: /health
  run_as_user_id: 0
`,
        good: `model_name: opt-125m-vllm
base_image:
  image: vllm/vllm-openai:v0.5.4
docker_server:
  start_command: vllm serve facebook/opt-125m --port 8000
  server_port: 8000
  predict_endpoint: /v1/completions
  readiness_endpoint: /health
  liveness_endpoint: /health
  run_as_user_id: 1000
`,
      },
    }),
    'reserved-port': code({
      severity: 'warning',
      summary: '`docker_server.server_port: 8080`, which Baseten reserves: the deploy fails.',
      source: 'docs.baseten.co/truss/guides/custom-server',
      href: CUSTOM_SERVER,
      docs: {
        description:
          'Baseten reserves port 8080 in the container, so a custom server told to listen on it cannot start: ' +
          'Baseten\'s custom-server guide says the deployment fails with "[Errno 98] address already in use". ' +
          'Truss does not check this, so `truss push` succeeds and the failure only shows when the deployment ' +
          'starts. Use another port, such as 8000, in both `server_port` and `start_command`.',
        bad: `model_name: opt-125m-vllm
base_image:
  image: vllm/vllm-openai:v0.5.4
docker_server:
  start_command: vllm serve facebook/opt-125m --port 8080
  server_port: 8080
  predict_endpoint: /v1/completions
  readiness_endpoint: /health
  liveness_endpoint: /health
`,
        good: `model_name: opt-125m-vllm
base_image:
  image: vllm/vllm-openai:v0.5.4
docker_server:
  start_command: vllm serve facebook/opt-125m --port 8000
  server_port: 8000
  predict_endpoint: /v1/completions
  readiness_endpoint: /health
  liveness_endpoint: /health
`,
      },
    }),
    'start-command-newline': code({
      severity: 'error',
      summary: 'A newline in `start_command`, which truss 0.12.1 refuses.',
      source: '`DockerServer._validate_start_command` (truss 0.12.1)',
      href: CUSTOM_SERVER,
      docs: {
        description:
          'truss 0.12.1 refuses a `docker_server.start_command` that holds a newline ("must not contain ' +
          'newlines"), so `truss push` fails with that release; the releases before and after it accept one. A ' +
          'literal block (`|`) keeps every line break and a folded one (`>`) adds one at the end: write `>-`, a ' +
          'plain scalar over several lines, or chain commands with `;`. Reported only when your truss is 0.12.1.',
        bad: `model_name: opt-125m-vllm
docker_server:
  start_command: >
    vllm serve facebook/opt-125m --port 8000
  server_port: 8000
  predict_endpoint: /v1/completions
  readiness_endpoint: /health
  liveness_endpoint: /health
`,
        good: `model_name: opt-125m-vllm
docker_server:
  start_command: >-
    vllm serve facebook/opt-125m --port 8000
  server_port: 8000
  predict_endpoint: /v1/completions
  readiness_endpoint: /health
  liveness_endpoint: /health
`,
        release: '0.12.1',
      },
    }),
  },
  check({ parsed, value, release, report }) {
    const ds = get(value, 'docker_server');
    if (!isObj(ds)) return;
    const newline = 'raised:docker-server-newline';
    if (typeof ds.start_command === 'string' && ds.start_command.includes('\n') && release && holds(newline, release)) {
      const from = firstAfter(newline, release, false);
      report({
        code: 'start-command-newline',
        range: valueRangeAt(parsed, ['docker_server', 'start_command']),
        message:
          `truss ${release} refuses a \`start_command\` with a newline` +
          (from ? ` (truss ${from} accepts it)` : '') +
          ': a block scalar (`|`, `>`) keeps or adds one. Use `>-`, a plain scalar on several lines, or `;`.',
      });
    }
    if (!truthy(ds.no_build) && !isSet(ds.start_command)) {
      // truss refuses a missing or null command; an empty one loads, and starts nothing.
      const empty = ds.start_command != null;
      report({
        code: 'missing-start-command',
        range:
          ds.start_command === undefined
            ? keyRangeAt(parsed, ['docker_server'])
            : valueRangeAt(parsed, ['docker_server', 'start_command']),
        message: empty
          ? '`start_command` is empty: truss accepts it, but the server has no command to start.'
          : 'start_command is required when no_build is not true.',
        severity: empty ? 'warning' : undefined,
      });
    }
    const uid = asInt(ds.run_as_user_id);
    if (uid === 0 || uid === 60000) {
      report({
        code: 'invalid-user-id',
        range: valueRangeAt(parsed, ['docker_server', 'run_as_user_id']),
        message: `run_as_user_id cannot be ${uid}. Use a different user ID.`,
      });
    }
    if (asInt(ds.server_port) === 8080) {
      report({
        code: 'reserved-port',
        range: valueRangeAt(parsed, ['docker_server', 'server_port']),
        message:
          'Port 8080 is reserved by Baseten: the deployment fails with "address already in use". Use another port, ' +
          'such as 8000.',
      });
    }
  },
});

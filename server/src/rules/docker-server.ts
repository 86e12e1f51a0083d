import { keyRangeAt, valueRangeAt } from '../core/parse';
import { code, defineRule, PENDING_DOCS } from '../core/rule';
import { asInt, get, isObj, isSet, truthy } from '../core/values';

const CUSTOM_SERVER = 'https://docs.baseten.co/truss/guides/custom-server';

export const dockerServer = defineRule({
  name: 'docker-server',
  codes: {
    'missing-start-command': code({
      severity: 'error',
      summary: '`docker_server` without `start_command`, unless `no_build: true`.',
      source: '`DockerServer._validate_start_command`',
      href: CUSTOM_SERVER,
      docs: PENDING_DOCS,
    }),
    'invalid-user-id': code({
      severity: 'error',
      summary: '`docker_server.run_as_user_id` is 0 or 60000.',
      source: '`DockerServer._validate_run_as_user_id`',
      href: CUSTOM_SERVER,
      docs: PENDING_DOCS,
    }),
    'reserved-port': code({
      severity: 'warning',
      summary: '`docker_server.server_port: 8080`, which Baseten reserves: the deploy fails.',
      source: 'docs.baseten.co/truss/guides/custom-server',
      href: CUSTOM_SERVER,
      docs: PENDING_DOCS,
    }),
  },
  check({ parsed, value, report }) {
    const ds = get(value, 'docker_server');
    if (!isObj(ds)) return;
    if (!truthy(ds.no_build) && !isSet(ds.start_command)) {
      report({
        code: 'missing-start-command',
        range:
          ds.start_command === undefined
            ? keyRangeAt(parsed, ['docker_server'])
            : valueRangeAt(parsed, ['docker_server', 'start_command']),
        message: 'start_command is required when no_build is not true.',
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
          'Port 8080 is reserved by Baseten: the deployment fails with "address already in use". Use another port, such as 8000.',
      });
    }
  },
});

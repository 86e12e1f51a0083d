import type { CodeInfo, Rule } from '../core/rule';
import { authMethodCase } from '../rules/auth-method-case';
import { baseImage } from '../rules/base-image';
import { build } from '../rules/build';
import { conflicts } from '../rules/conflicts';
import { credentials } from '../rules/credentials';
import { dockerServer } from '../rules/docker-server';
import { duplicateKey } from '../rules/duplicate-key';
import { environment } from '../rules/environment';
import { legacyKeys } from '../rules/legacy-keys';
import { methodFields } from '../rules/method-fields';
import { missingSecret } from '../rules/missing-secret';
import { modelCache } from '../rules/model-cache';
import { registry } from '../rules/registry';
import { registrySecret } from '../rules/registry-secret';
import { resources } from '../rules/resources';
import { runtime } from '../rules/runtime';
import { schema } from '../rules/schema';
import { secretNames } from '../rules/secret-names';
import { secretNotInWorkspace } from '../rules/secret-not-in-workspace';
import { secretValue } from '../rules/secret-value';
import { trtLlm } from '../rules/trt-llm';
import { unusedSuppression } from '../rules/unused-suppression';
import { weights } from '../rules/weights';
import { yamlSyntax } from '../rules/yaml-syntax';

/** Every rule, in the order they run. A new rule is a file in server/src/rules/ and a line here. */
export const RULES: readonly Rule[] = [
  yamlSyntax,
  duplicateKey,
  schema,
  authMethodCase,
  methodFields,
  missingSecret,
  secretNotInWorkspace,
  registry,
  registrySecret,
  baseImage,
  secretValue,
  secretNames,
  legacyKeys,
  conflicts,
  resources,
  runtime,
  build,
  dockerServer,
  environment,
  credentials,
  weights,
  modelCache,
  trtLlm,
  unusedSuppression,
];

/** Every code, in rule order. */
export const CODES: ReadonlyMap<string, CodeInfo> = new Map(RULES.flatMap((r) => r.codes.map((c) => [c.code, c])));

/** The rule that reports each code. */
export const RULE_OF: ReadonlyMap<string, Rule> = new Map(RULES.flatMap((r) => r.codes.map((c) => [c.code, r])));

import { CodeInfo, Rule } from '../core/rule';
import { UNUSED_SUPPRESSION } from '../core/suppress';
import { authMethodCase } from './authMethodCase';
import { baseImage } from './baseImage';
import { duplicateKey } from './duplicateKey';
import { methodFields } from './methodFields';
import { missingSecret } from './missingSecret';
import { registry } from './registry';
import { registrySecret } from './registrySecret';
import { schema } from './schema';
import { secretNames } from './secretNames';
import { secretValue } from './secretValue';
import { yamlSyntax } from './yamlSyntax';
import { build } from './build';
import { conflicts } from './conflicts';
import { dockerServer } from './dockerServer';
import { environment } from './environment';
import { legacyKeys } from './legacyKeys';
import { modelCache } from './modelCache';
import { resources } from './resources';
import { runtime } from './runtime';
import { trtLlm } from './trtLlm';
import { weights } from './weights';

/** Every rule, in the order they run. A new rule is a file in this folder and a line here. */
export const RULES: Rule[] = [
  yamlSyntax,
  duplicateKey,
  schema,
  authMethodCase,
  methodFields,
  missingSecret,
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
  weights,
  modelCache,
  trtLlm,
];

export const CODES = new Map<string, CodeInfo>([
  ...RULES.flatMap((r) => r.codes.map((c) => [c.code, c] as [string, CodeInfo])),
  [UNUSED_SUPPRESSION.code, UNUSED_SUPPRESSION],
]);

/** The rule that reports each code. */
export const RULE_OF = new Map<string, Rule>(RULES.flatMap((r) => r.codes.map((c) => [c.code, r] as [string, Rule])));

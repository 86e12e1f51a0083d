import type { CodeInfo, Rule } from '../core/rule';
import { RULES } from './ruleList';

export { RULES };

/** Every code, in rule order. */
export const CODES: ReadonlyMap<string, CodeInfo> = new Map(RULES.flatMap((r) => r.codes.map((c) => [c.code, c])));

/** The rule that reports each code. */
export const RULE_OF: ReadonlyMap<string, Rule> = new Map(RULES.flatMap((r) => r.codes.map((c) => [c.code, r])));

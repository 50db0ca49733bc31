/**
 * Disclosure-control rules of a dataflow: which cells are primary (the threshold rule), how wide
 * the interval an attacker may narrow a protected cell to must stay (the protection interval),
 * and which cells are counts and which are derived from counts (rates, shares). Stored per
 * dataflow as JSON; these are the defaults. What adds up is not a rule: the structures declare it
 * (additive hierarchical codelists, src/sdmx/additivity.ts). A rule may only leave a dimension's
 * relations out, with a reason that publishers see.
 */
import Ajv from 'ajv';

export interface ProtectionRules {
  /** Counts 1..k are primary (sensitive) cells. */
  readonly threshold: number;
  /** When false, a zero count is primary too (a zero can disclose that nobody has a trait). */
  readonly zerosSafe: boolean;
  /**
   * Absolute protection levels: for a protected count v the attacker's interval must reach down
   * to v − min(v, lower) and up to v + upper.
   */
  readonly protection: { readonly lower: number; readonly upper: number };
  /** The dimension holding the unit of measure, and the units that are counts. */
  readonly unitDimension: string;
  readonly countUnits: readonly string[];
  /** Units computed from a count of the same key (rates per 100 000, shares): protected with it. */
  readonly derivedUnits: readonly string[];
  /** Dimensions whose declared relations protection leaves out, each with the reason. */
  readonly excludedDimensions: readonly { readonly dimension: string; readonly reason: string }[];
}

export const DEFAULT_RULES: ProtectionRules = Object.freeze({
  threshold: 3,
  zerosSafe: true,
  protection: Object.freeze({ lower: 3, upper: 3 }),
  unitDimension: 'UNIT_MEASURE',
  countUnits: Object.freeze(['NR']),
  derivedUnits: Object.freeze(['P_HTHAB', 'PC']),
  excludedDimensions: Object.freeze([]),
});

/**
 * Keys of rules stored before the relations moved into the structures: still accepted so stored
 * rules keep loading, and ignored.
 */
const SUPERSEDED = ['additiveDimensions', 'totals', 'notAdditive'] as const;

const codes = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 64 } as const;

const RULES_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    threshold: { type: 'integer', minimum: 0, maximum: 1000 },
    zerosSafe: { type: 'boolean' },
    protection: {
      type: 'object',
      additionalProperties: false,
      required: ['lower', 'upper'],
      properties: { lower: { type: 'number', minimum: 0, maximum: 1e9 }, upper: { type: 'number', minimum: 0, maximum: 1e9 } },
    },
    unitDimension: { type: 'string', minLength: 1, maxLength: 64 },
    countUnits: codes,
    derivedUnits: codes,
    excludedDimensions: {
      type: 'array',
      maxItems: 64,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['dimension', 'reason'],
        properties: { dimension: { type: 'string', minLength: 1, maxLength: 64 }, reason: { type: 'string', minLength: 1, maxLength: 500 } },
      },
    },
    additiveDimensions: codes,
    totals: { type: 'object', additionalProperties: { type: 'string', minLength: 1, maxLength: 64 }, maxProperties: 64 },
    notAdditive: codes,
  },
} as const;

const validate = new Ajv.default({ allErrors: true }).compile(RULES_SCHEMA);

export class InvalidRulesError extends Error {
  override name = 'InvalidRulesError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid disclosure-control rules: ${problems.join('; ')}`);
  }
}

/** The defaults overridden by what `input` sets; throws InvalidRulesError naming every problem. */
export function rulesFrom(input: unknown): ProtectionRules {
  if (input === undefined || input === null) return DEFAULT_RULES;
  if (!validate(input)) {
    throw new InvalidRulesError((validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`));
  }
  const given: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of SUPERSEDED) delete given[key];
  return { ...DEFAULT_RULES, ...(given as Partial<ProtectionRules>) };
}

/** The protection interval a protected count of value v requires. */
export function requiredInterval(rules: ProtectionRules, value: number): { lower: number; upper: number } {
  return { lower: value - Math.min(value, rules.protection.lower), upper: value + rules.protection.upper };
}

export function isPrimary(rules: ProtectionRules, value: number): boolean {
  return value === 0 ? !rules.zerosSafe : value > 0 && value <= rules.threshold;
}

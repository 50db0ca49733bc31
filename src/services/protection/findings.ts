/**
 * What a disclosure-control run tells the publisher besides the pattern, with true values (never
 * public): the relations the data break, which the structures declare but the figures do not
 * satisfy (a total that is not the sum of its parts, parts larger than their whole), and the
 * small counts this release cannot protect because an earlier release published the same value.
 */
import { isPrimary, type ProtectionRules } from '../../disclosure/rules.js';
import { FIXED_PUBLISHED, type AdditiveTable } from '../../disclosure/table.js';
import type { PublicTable } from './public-table.js';

export interface RelationFinding {
  readonly hierarchy: string;
  readonly dimension: string;
  /** `exact sum does not hold` or `parts exceed the whole`. */
  readonly problem: string;
  readonly period: string;
  readonly whole: { readonly key: string; readonly value: number };
  readonly parts: readonly { readonly key: string; readonly value: number }[];
  /** Whole minus the sum of the parts present. */
  readonly difference: number;
}

export interface UnprotectableCell {
  readonly key: string;
  readonly period: string;
  readonly value: number;
  readonly reason: string;
}

export interface RunFindings {
  readonly brokenRelations: readonly RelationFinding[];
  readonly unprotectable: readonly UnprotectableCell[];
}

export function findingsOf(table: AdditiveTable, source: PublicTable, rules: ProtectionRules): RunFindings {
  const own = source.releaseCells.length;
  const brokenRelations: RelationFinding[] = [];
  for (const relation of table.relations) {
    if (!relation.broken || !relation.cells.some((c) => c < own)) continue;
    const [whole, ...parts] = [...relation.cells];
    const sum = parts.reduce((s, c) => s + table.values[c]!, 0);
    brokenRelations.push({
      hierarchy: relation.hierarchy,
      dimension: relation.dimension,
      problem: relation.equality ? 'exact sum does not hold' : 'parts exceed the whole',
      period: source.names[whole!]!.period,
      whole: { key: source.names[whole!]!.key, value: table.values[whole!]! },
      parts: parts.map((c) => ({ key: source.names[c]!.key, value: table.values[c]! })),
      difference: round(table.values[whole!]! - sum),
    });
  }
  const unprotectable: UnprotectableCell[] = [];
  for (let c = 0; c < own; c++) {
    if (table.fixed[c] !== FIXED_PUBLISHED || !isPrimary(rules, table.values[c]!)) continue;
    unprotectable.push({
      ...source.names[c]!,
      value: table.values[c]!,
      reason: 'an earlier release published this small count with the same value; suppressing it again would protect nothing',
    });
  }
  return { brokenRelations, unprotectable };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

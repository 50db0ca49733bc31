/**
 * The additive table that disclosure control protects: the count cells of a dataflow as the
 * public will see them once a release is out (the release's cells, and the cells of earlier
 * visible releases it does not revise), and every linear relation an attacker knows between
 * them. The relations are the ones the structures declare (SDMX hierarchical codelists annotated
 * ADDITIVITY, src/sdmx/additivity.ts), applied along each dimension within each combination of
 * the other dimensions and period.
 *
 * A declared relation becomes, in the table, an equality parent = Σ children when it is declared
 * an exact sum and every declared child is in the table, else the inequality parent ≥ Σ children
 * present (missing parts are not negative). These are what the attacker believes, whatever the
 * true values: a relation the true values break (an exact sum that does not add up, parts larger
 * than the whole) is kept as declared and marked `broken`. It is a data-quality finding for the
 * publisher, and no proof may rest on it: the true point does not satisfy it, so only the LP over
 * what the attacker believes can say what he learns (src/disclosure/audit.ts).
 */
import type { DeclaredRelation } from '../sdmx/additivity.js';

export interface TableCell {
  /** Dimension id → code (time excluded). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timePeriod: string;
  readonly value: number;
  /**
   * A cell whose public state is settled outside this release: `published` (an earlier visible
   * release shows it, or shows the same value the release holds: the attacker knows it) or
   * `suppressed` (an earlier release suppressed it and this release does not revise it).
   * Protection never changes such a cell's state.
   */
  readonly fixed?: 'published' | 'suppressed';
}

export interface Relation {
  /** Cell indexes; the parent first, with coefficient +1, then the children with −1. */
  readonly cells: Int32Array;
  readonly equality: boolean;
  readonly dimension: string;
  /** The declaring hierarchy, `HCL_ID.HIERARCHY_ID`. */
  readonly hierarchy: string;
  /** The true values break it: an equality that does not hold, or parts that exceed the whole. */
  readonly broken: boolean;
}

/** Per dimension, the relations declared over its codelist. */
export type DeclaredRelations = ReadonlyMap<string, readonly DeclaredRelation[]>;

export interface AdditiveTable {
  readonly cells: readonly TableCell[];
  readonly values: Float64Array;
  readonly relations: readonly Relation[];
  /** Cell index → indexes of the relations it is in. */
  readonly relationsOf: readonly Int32Array[];
  /** The declared relations the table's relations come from. */
  readonly declared: DeclaredRelations;
  /** Per cell: 0 free (this release decides), 1 fixed published, 2 fixed suppressed. */
  readonly fixed: Uint8Array;
  /** The cell at these codes and period, if the table has it. */
  locate(dimensions: Readonly<Record<string, string>>, timePeriod: string): number | undefined;
}

export const FREE = 0;
export const FIXED_PUBLISHED = 1;
export const FIXED_SUPPRESSED = 2;

/** Coefficient of position i of a relation: the parent (first) adds, children subtract. */
export function coefficient(i: number): 1 | -1 {
  return i === 0 ? 1 : -1;
}

/** Relative slack when comparing sums of counts (values may carry a few decimals). */
const TOLERANCE = 1e-9;

export function buildTable(cells: readonly TableCell[], declared: DeclaredRelations): AdditiveTable {
  const values = Float64Array.from(cells, (c) => c.value);
  const relations: Relation[] = [];
  for (const [dimension, templates] of declared) {
    if (templates.length === 0) continue;
    // Cells with the same codes in every other dimension and the same period, by their code here.
    const groups = new Map<string, Map<string, number>>();
    cells.forEach((cell, index) => {
      const code = cell.dimensions[dimension];
      if (code === undefined) return;
      const context = contextKey(cell, dimension);
      let group = groups.get(context);
      if (!group) groups.set(context, (group = new Map()));
      group.set(code, index);
    });
    for (const group of groups.values()) {
      for (const template of templates) {
        const parent = group.get(template.parent);
        if (parent === undefined) continue;
        const children: number[] = [];
        for (const code of template.children) {
          const child = group.get(code);
          if (child !== undefined) children.push(child);
        }
        if (children.length === 0) continue;
        const equality = template.exact && children.length === template.children.length;
        const sum = children.reduce((s, c) => s + values[c]!, 0);
        const slack = values[parent]! - sum;
        const tolerance = TOLERANCE * Math.max(1, Math.abs(values[parent]!), sum);
        const broken = equality ? Math.abs(slack) > tolerance : slack < -tolerance;
        relations.push({ cells: Int32Array.from([parent, ...children]), equality, dimension, hierarchy: template.hierarchy, broken });
      }
    }
  }
  const lists: number[][] = cells.map(() => []);
  relations.forEach((r, index) => {
    for (const c of r.cells) lists[c]!.push(index);
  });
  const keyOf = (dimensions: Readonly<Record<string, string>>, timePeriod: string) => {
    let key = timePeriod;
    for (const d of Object.keys(dimensions).sort()) key += `\u0000${d}=${dimensions[d]}`;
    return key;
  };
  let index: Map<string, number> | undefined;
  return {
    cells,
    values,
    relations,
    relationsOf: lists.map((l) => Int32Array.from(l)),
    declared,
    fixed: Uint8Array.from(cells, (c) => (c.fixed === 'published' ? FIXED_PUBLISHED : c.fixed === 'suppressed' ? FIXED_SUPPRESSED : FREE)),
    locate(dimensions, timePeriod) {
      index ??= new Map(cells.map((c, i) => [keyOf(c.dimensions, c.timePeriod), i]));
      return index.get(keyOf(dimensions, timePeriod));
    },
  };
}

function contextKey(cell: TableCell, except: string): string {
  let key = cell.timePeriod;
  for (const d in cell.dimensions) if (d !== except) key += `\u0000${cell.dimensions[d]}`;
  return key;
}

/**
 * Whether the attacker can see, from the published cells alone, that a relation does not hold:
 * its parent is published and the published children already exceed it (unknown children are
 * not negative, so nothing could make it hold). He then cannot trust it and it tells him nothing.
 */
export function visiblyBroken(table: AdditiveTable, relation: Relation, suppressed: Uint8Array): boolean {
  const parent = relation.cells[0]!;
  if (suppressed[parent]) return false;
  let known = 0;
  for (let i = 1; i < relation.cells.length; i++) {
    const c = relation.cells[i]!;
    if (!suppressed[c]) known += table.values[c]!;
  }
  return known > table.values[parent]! + TOLERANCE * Math.max(1, known);
}

/**
 * The relations the attacker uses under a pattern: those holding a suppressed cell that he
 * cannot see to be broken. True where relation r is in use.
 */
export function relationsInUse(table: AdditiveTable, suppressed: Uint8Array): Uint8Array {
  return Uint8Array.from(table.relations, (r) => (r.cells.some((c) => suppressed[c] === 1) && !visiblyBroken(table, r, suppressed) ? 1 : 0));
}

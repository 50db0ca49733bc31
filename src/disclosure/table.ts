/**
 * The additive table that disclosure control protects: the count cells of one release and
 * dataflow, and every linear relation an attacker knows between them, along every additive
 * dimension at once (ICCS sections ⊃ divisions ⊃ groups ⊃ classes, sex and age totals, area
 * aggregates, disaggregation subtotals), within each combination of the other dimensions and
 * period.
 *
 * A relation is parent − Σ children. When every child the hierarchy declares is in the table,
 * the attacker is assumed to know the exact residual (parent − Σ children as loaded, usually 0):
 * an equality, the conservative choice. When some children are missing, the attacker knows only
 * that the missing ones are not negative: parent − Σ present children ≥ 0 (kept only when the
 * true values satisfy it; inconsistent data tells the attacker nothing reliable).
 */
export interface TableCell {
  /** Dimension id → code (time excluded). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly timePeriod: string;
  readonly value: number;
}

export interface Relation {
  /** Cell indexes; the parent first, with coefficient +1, then the children with −1. */
  readonly cells: Int32Array;
  readonly equality: boolean;
  readonly dimension: string;
}

export interface AdditiveTable {
  readonly cells: readonly TableCell[];
  readonly values: Float64Array;
  readonly relations: readonly Relation[];
  /** Cell index → indexes of the relations it is in. */
  readonly relationsOf: readonly Int32Array[];
  /** The additive dimensions' hierarchies the relations were built from. */
  readonly hierarchies: ReadonlyMap<string, Hierarchy>;
  /** The cell at these codes and period, if the table has it. */
  locate(dimensions: Readonly<Record<string, string>>, timePeriod: string): number | undefined;
}

/** A dimension's additive hierarchy: parent code → child codes. */
export type Hierarchy = ReadonlyMap<string, readonly string[]>;

/** Coefficient of position i of a relation: the parent (first) adds, children subtract. */
export function coefficient(i: number): 1 | -1 {
  return i === 0 ? 1 : -1;
}

export function buildTable(cells: readonly TableCell[], hierarchies: ReadonlyMap<string, Hierarchy>): AdditiveTable {
  const values = Float64Array.from(cells, (c) => c.value);
  const relations: Relation[] = [];
  for (const [dimension, hierarchy] of hierarchies) {
    // Cells with the same codes in every other dimension and the same period, by their code here.
    const groups = new Map<string, Map<string, number>>();
    cells.forEach((cell, index) => {
      const context = contextKey(cell, dimension);
      let group = groups.get(context);
      if (!group) groups.set(context, (group = new Map()));
      group.set(cell.dimensions[dimension] ?? '', index);
    });
    for (const group of groups.values()) {
      for (const [parentCode, childCodes] of hierarchy) {
        const parent = group.get(parentCode);
        if (parent === undefined) continue;
        const children: number[] = [];
        for (const code of childCodes) {
          const child = group.get(code);
          if (child !== undefined) children.push(child);
        }
        if (children.length === 0) continue;
        const complete = children.length === childCodes.length;
        if (!complete) {
          const sum = children.reduce((s, c) => s + values[c]!, 0);
          if (sum > values[parent]! + 1e-9) continue;
        }
        relations.push({ cells: Int32Array.from([parent, ...children]), equality: complete, dimension });
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
    hierarchies,
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
 * A hierarchy from codelist parent links, plus, when `total` is given, the total as the parent
 * of every top-level code. Codes in `notAdditive` are left out of every sum.
 */
export function hierarchyOf(
  codes: readonly { readonly id: string; readonly parentID?: string }[],
  total: string | undefined,
  notAdditive: readonly string[],
): Hierarchy {
  const skip = new Set(notAdditive);
  const children = new Map<string, string[]>();
  for (const code of codes) {
    if (skip.has(code.id) || code.id === total) continue;
    const parent = code.parentID ?? total;
    if (parent === undefined || skip.has(parent)) continue;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(code.id);
  }
  return children;
}

/** The hierarchies of the rules' additive dimensions, from their codelists (a dimension without one is not additive). */
export function hierarchiesFor(
  additiveDimensions: readonly string[],
  totals: Readonly<Record<string, string>>,
  notAdditive: readonly string[],
  codesOf: (dimension: string) => readonly { readonly id: string; readonly parentID?: string }[] | undefined,
): Map<string, Hierarchy> {
  const out = new Map<string, Hierarchy>();
  for (const dimension of additiveDimensions) {
    const codes = codesOf(dimension);
    if (!codes) continue;
    const hierarchy = hierarchyOf(codes, totals[dimension], notAdditive);
    if (hierarchy.size > 0) out.set(dimension, hierarchy);
  }
  return out;
}

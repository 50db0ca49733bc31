/**
 * The attacker's view of a suppression pattern, computed exactly: for each protected cell, the
 * smallest and largest value it can take given every published cell, every relation of the
 * table as declared (an exact sum is an equality with nothing left over, whatever the true
 * values) and that counts are not negative. Two linear programmes per protected cell (minimise
 * and maximise it), solved with HiGHS. Relations the attacker can see do not hold are left out
 * (table.ts, `relationsInUse`).
 *
 * Only suppressed cells are unknowns, and relations link them into independent components. A
 * component of up to EXACT_COMPONENT cells gets one LP model, re-solved with a new objective for
 * each of its protected cells (the simplex starts from the previous optimal basis): the interval
 * is exact. In a larger component each protected cell gets a model of its neighbourhood (the
 * NEIGHBOURHOOD suppressed cells nearest to it through shared relations) and every suppressed
 * cell further away is taken as known to the attacker at its true value. That attacker knows
 * more than the real one, so the interval is a sub-interval of the exact one: when it already
 * covers the protection interval, the exact one does too. That argument needs the true values to
 * satisfy what the attacker believes, so a component holding a broken relation is always solved
 * whole. The audit never passes a cell the exact computation would fail; it may ask for a little
 * more suppression than strictly needed. When what the attacker believes has no solution at all,
 * the cells of that component fail (`infeasible`) and are repaired like any exposed cell.
 */
import * as highsPackage from 'highs';
import type { Highs } from 'highs';
import { coefficient, relationsInUse, type AdditiveTable } from './table.js';

export interface CellAudit {
  readonly cell: number;
  readonly value: number;
  /** What the protection interval requires the attacker's interval to reach. */
  readonly requiredLower: number;
  readonly requiredUpper: number;
  /** The attacker's interval (upper is Infinity when nothing bounds it). */
  readonly lower: number;
  readonly upper: number;
  readonly safe: boolean;
  /** False when computed on the neighbourhood (an attacker who knows more: a narrower interval). */
  readonly exact: boolean;
  /** What the attacker believes about this cell's component has no solution (broken relations). */
  readonly infeasible?: boolean;
}

export interface AuditStatistics {
  readonly components: number;
  readonly largestComponent: number;
  readonly linearProgrammes: number;
}

/** Slack for floating-point results of the simplex (counts are whole or have few decimals). */
const TOLERANCE = 1e-6;
/** Components up to this many suppressed cells are audited exactly, with one model each. */
const EXACT_COMPONENT = 5000;
/** In larger components, the suppressed cells nearest to a protected cell that its model keeps unknown. */
const NEIGHBOURHOOD = 2000;

// The package's types describe a CommonJS default export; under Node's ESM loader the loader
// function is the namespace's `default`.
const loadHighs = (highsPackage as unknown as { default: () => Promise<Highs> }).default;

let solver: Promise<Highs> | undefined;
function highs(): Promise<Highs> {
  solver ??= loadHighs();
  return solver;
}

/**
 * Splits the suppressed cells into components: cells in a common relation are connected.
 * Returns the component id of each suppressed cell (−1 for published cells).
 */
export function componentsOf(table: AdditiveTable, suppressed: Uint8Array): Int32Array {
  const parent = new Int32Array(table.values.length).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const r of table.relations) {
    let first = -1;
    for (const c of r.cells) {
      if (!suppressed[c]) continue;
      if (first < 0) first = c;
      else parent[find(c)] = find(first);
    }
  }
  const component = new Int32Array(table.values.length).fill(-1);
  for (let c = 0; c < component.length; c++) if (suppressed[c]) component[c] = find(c);
  return component;
}

export interface AuditOptions {
  /** The components of this pattern, when already computed. */
  readonly component?: Int32Array;
  /** performance.now() past which no further programme is started; cells left unaudited count as unsafe. */
  readonly deadline?: number;
  /**
   * Solve both programmes of every cell, even when the points seen already show it safe, so
   * that every interval reported is the attacker's exact one (small components).
   */
  readonly exact?: boolean;
}

/** Audits the protected cells (`cells`, each with its required interval) under the pattern. */
export async function auditCells(
  table: AdditiveTable,
  suppressed: Uint8Array,
  cells: readonly { readonly cell: number; readonly requiredLower: number; readonly requiredUpper: number }[],
  options: AuditOptions = {},
): Promise<{ audits: CellAudit[]; statistics: AuditStatistics }> {
  const component = options.component ?? componentsOf(table, suppressed);
  const deadline = options.deadline ?? Infinity;
  const inUse = relationsInUse(table, suppressed);
  const brokenComponents = componentsWithBrokenRelations(table, component, inUse);
  const h = await highs();
  const byComponent = new Map<number, typeof cells[number][]>();
  for (const c of cells) {
    if (!suppressed[c.cell]) throw new Error(`Protected cell ${c.cell} is not suppressed`);
    const id = component[c.cell]!;
    let list = byComponent.get(id);
    if (!list) byComponent.set(id, (list = []));
    list.push(c);
  }
  const members = new Map<number, number[]>();
  for (let c = 0; c < component.length; c++) {
    const id = component[c]!;
    if (id < 0 || !byComponent.has(id)) continue;
    let list = members.get(id);
    if (!list) members.set(id, (list = []));
    list.push(c);
  }
  const audits: CellAudit[] = [];
  let largest = 0;
  let programmes = 0;
  const record = (c: (typeof cells)[number], lower: number, upper: number, exact: boolean, infeasible = false) => {
    const safe = !infeasible && lower <= c.requiredLower + TOLERANCE && upper >= c.requiredUpper - TOLERANCE;
    audits.push({ cell: c.cell, value: table.values[c.cell]!, requiredLower: c.requiredLower, requiredUpper: c.requiredUpper, lower, upper, safe, exact, ...(infeasible ? { infeasible } : {}) });
  };
  for (const [id, protectedCells] of byComponent) {
    if (performance.now() > deadline) {
      for (const c of protectedCells) record(c, table.values[c.cell]!, table.values[c.cell]!, false);
      continue;
    }
    const variables = members.get(id)!;
    largest = Math.max(largest, variables.length);
    if (variables.length <= EXACT_COMPONENT || brokenComponents.has(id)) {
      const intervals = solveIntervals(h, table, inUse, variables, protectedCells, options.exact ?? false, deadline, !brokenComponents.has(id));
      programmes += intervals.programmes;
      protectedCells.forEach((c, i) => record(c, intervals.bounds[i]!.lower, intervals.bounds[i]!.upper, intervals.bounds[i]!.exact, intervals.infeasible));
      continue;
    }
    for (const c of protectedCells) {
      if (performance.now() > deadline) {
        record(c, table.values[c.cell]!, table.values[c.cell]!, false);
        continue;
      }
      const near = subtableAround(table, suppressed, c.cell, NEIGHBOURHOOD);
      const intervals = solveIntervals(h, table, inUse, near, [c], false, deadline);
      programmes += intervals.programmes;
      record(c, intervals.bounds[0]!.lower, intervals.bounds[0]!.upper, false, intervals.infeasible);
    }
  }
  audits.sort((a, b) => a.cell - b.cell);
  return { audits, statistics: { components: byComponent.size, largestComponent: largest, linearProgrammes: programmes } };
}

/**
 * The suppressed cells of the subtable around `start`: every combination, over the dimensions
 * of its relations, of the codes those relations hold (its parent, siblings and children), in
 * its period; at most about `limit` combinations (dimensions with fewer codes first, so a large
 * ICCS division is cut, not sex or age). This is where the hypercubes that protect it lie.
 */
function subtableAround(table: AdditiveTable, suppressed: Uint8Array, start: number, limit: number): number[] {
  const origin = table.cells[start]!;
  const codes = new Map<string, Set<string>>();
  for (const r of table.relationsOf[start]!) {
    const relation = table.relations[r]!;
    let set = codes.get(relation.dimension);
    if (!set) codes.set(relation.dimension, (set = new Set([origin.dimensions[relation.dimension]!])));
    for (const c of relation.cells) set.add(table.cells[c]!.dimensions[relation.dimension]!);
  }
  const axes = [...codes].map(([dimension, set]) => ({ dimension, codes: [...set] })).sort((a, b) => a.codes.length - b.codes.length);
  let size = 1;
  for (const axis of axes) {
    const room = Math.max(1, Math.floor(limit / size));
    if (axis.codes.length > room) axis.codes = axis.codes.slice(0, room);
    size *= axis.codes.length;
  }
  const found = [start];
  const walk = (i: number, dimensions: Record<string, string>) => {
    if (i === axes.length) {
      const cell = table.locate(dimensions, origin.timePeriod);
      if (cell !== undefined && cell !== start && suppressed[cell]) found.push(cell);
      return;
    }
    for (const code of axes[i]!.codes) walk(i + 1, { ...dimensions, [axes[i]!.dimension]: code });
  };
  walk(0, { ...origin.dimensions });
  return found;
}

/**
 * The components holding a relation the attacker uses that the true values break: there the true
 * point is not among the attacker's solutions, so neither a direction from it nor a subtable with
 * other cells fixed at their true values says anything sound.
 */
export function componentsWithBrokenRelations(table: AdditiveTable, component: Int32Array, inUse: Uint8Array): Set<number> {
  const out = new Set<number>();
  table.relations.forEach((r, index) => {
    if (!r.broken || !inUse[index]) return;
    for (const c of r.cells) if (component[c]! >= 0) out.add(component[c]!);
  });
  return out;
}

/** Min and max of each target over the unknowns `variables`; other suppressed cells count as known. */
function solveIntervals(
  h: Highs,
  table: AdditiveTable,
  inUse: Uint8Array,
  variables: readonly number[],
  targets: readonly { readonly cell: number; readonly requiredLower: number; readonly requiredUpper: number }[],
  exact: boolean,
  /** Past this performance.now(), no further programme: the points seen so far stand. */
  deadline: number,
  /** Whether the true values satisfy every relation of the model (no broken relation in use). */
  truthFeasible = true,
): { bounds: { lower: number; upper: number; exact: boolean }[]; programmes: number; infeasible: boolean } {
  const column = new Map<number, number>();
  variables.forEach((cell, i) => column.set(cell, i));
  // A component without relations (a suppressed cell alone): only x ≥ 0 is known.
  const rowIds = new Set<number>();
  for (const cell of variables) for (const r of table.relationsOf[cell]!) if (inUse[r]) rowIds.add(r);
  if (rowIds.size === 0) return { bounds: targets.map(() => ({ lower: 0, upper: Infinity, exact: true })), programmes: 0, infeasible: false };

  const starts = [0];
  const indices: number[] = [];
  const coefficients: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (const r of rowIds) {
    const relation = table.relations[r]!;
    let known = 0; // Σ a·v over the cells the attacker knows
    relation.cells.forEach((cell, i) => {
      const a = coefficient(i);
      if (column.has(cell)) {
        indices.push(column.get(cell)!);
        coefficients.push(a);
      } else known += a * table.values[cell]!;
    });
    starts.push(indices.length);
    // As declared: Σ a·x over the unknowns = −known (an exact sum leaves nothing over), or ≥.
    if (relation.equality) {
      rowLower.push(-known);
      rowUpper.push(-known);
    } else {
      rowLower.push(-known);
      rowUpper.push(h.infinity);
    }
  }
  const n = variables.length;
  const model = h.createModel({
    numCols: n,
    numRows: rowLower.length,
    sense: h.constants.objectiveSense.minimize,
    colCost: new Float64Array(n),
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(h.infinity),
    rowLower: Float64Array.from(rowLower),
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csr',
      numRows: rowLower.length,
      numCols: n,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(coefficients),
    },
  });
  try {
    // Presolve off: it would discard the basis that makes the next solve cheap.
    model.options.set({ output_flag: false, presolve: 'off' });
    const status = h.constants.modelStatus;
    let programmes = 0;
    // Every optimal solution is a point the attacker cannot rule out, so it widens the known
    // interval of every target at once; a target whose requirement such points already meet
    // needs no programme of its own.
    const lower = targets.map((t) => (truthFeasible ? table.values[t.cell]! : Infinity));
    const upper = targets.map((t) => (truthFeasible ? table.values[t.cell]! : -Infinity));
    const exactLower = targets.map(() => false);
    const exactUpper = targets.map(() => false);
    const columns = targets.map((t) => column.get(t.cell)!);
    const widenWith = (point: Float64Array | readonly number[]) => {
      columns.forEach((col, i) => {
        const x = point[col]!;
        if (x < lower[i]!) lower[i] = x;
        if (x > upper[i]!) upper[i] = x;
      });
    };
    let infeasible = false;
    const solve = (i: number, sense: 'min' | 'max') => {
      if (infeasible) return;
      const col = columns[i]!;
      model.changeColCost(col, 1);
      model.changeObjectiveSense(sense === 'min' ? h.constants.objectiveSense.minimize : h.constants.objectiveSense.maximize);
      model.run();
      programmes += 1;
      const outcome = model.getModelStatus();
      if (outcome === status.optimal) {
        widenWith(model.getSolution().colValue);
        if (sense === 'min') {
          lower[i] = model.getObjectiveValue();
          exactLower[i] = true;
        } else {
          upper[i] = model.getObjectiveValue();
          exactUpper[i] = true;
        }
      } else if (sense === 'max' && (outcome === status.unbounded || outcome === status.unboundedOrInfeasible)) {
        // Feasible (the true point, or a minimum found first): so unbounded.
        upper[i] = Infinity;
        exactUpper[i] = true;
      } else if (outcome === status.infeasible || outcome === status.unboundedOrInfeasible) {
        // Only broken relations can make the attacker's beliefs contradict each other.
        infeasible = true;
      } else throw new Error(`LP audit: ${sense === 'min' ? 'minimising' : 'maximising'} cell ${targets[i]!.cell} ended with status ${outcome}`);
      // Changing a cost discards the solution: only now that it has been read.
      model.changeColCost(col, 0);
    };
    targets.forEach((t, i) => {
      if (performance.now() > deadline || infeasible) return;
      if (!truthFeasible) {
        // The true point is not a solution: both ends come from the programmes alone, the
        // minimum first (it is bounded below, so it also tells whether there is any solution).
        solve(i, 'min');
        solve(i, 'max');
        return;
      }
      if (exact || upper[i]! < t.requiredUpper - TOLERANCE) solve(i, 'max');
      if (exact || lower[i]! > t.requiredLower + TOLERANCE) solve(i, 'min');
    });
    const bounds = targets.map((_, i) => ({ lower: lower[i]!, upper: upper[i]!, exact: exactLower[i]! && exactUpper[i]! }));
    return { bounds, programmes, infeasible };
  } finally {
    model.dispose();
  }
}

/**
 * Proof that a protected cell keeps its protection interval, checked by arithmetic alone: a
 * direction δ over suppressed cells that keeps every relation of the table satisfied. Every point
 * x* + tδ (x* the true values) with −down ≤ t ≤ up is then consistent with everything published
 * and with counts not being negative, so an attacker cannot narrow a cell p below
 * [x*p − down·δp, x*p + up·δp]. `up` and `down` are the one-dimensional linear programme
 * max { t : x* + tδ feasible } in each sense, solved in closed form by the ratio test.
 */
import { coefficient, type AdditiveTable } from './table.js';

/** A direction: cells and their weights (the protected cell has weight 1). */
export interface Direction {
  readonly cells: Int32Array;
  readonly weights: Float64Array;
}

export interface Steps {
  /** How far the true point can move along +δ (Infinity when nothing stops it). */
  readonly up: number;
  /** How far along −δ. */
  readonly down: number;
}

/** Relative slack for weights that are fractions (proportional splits of a total). */
const TOLERANCE = 1e-9;

/**
 * The step lengths along δ, or undefined when δ breaks an exact relation or, when `suppressed`
 * is given, moves a cell that is published (the attacker knows it).
 */
export function stepsAlong(table: AdditiveTable, direction: Direction, suppressed?: Uint8Array): Steps | undefined {
  let checker = checkers.get(table);
  if (!checker) checkers.set(table, (checker = new DirectionChecker(table)));
  return checker.steps(direction, suppressed);
}

const checkers = new WeakMap<AdditiveTable, DirectionChecker>();

/**
 * Scratch arrays the size of the table, reused between checks (a check touches few cells), and
 * each relation's slack under the true values, computed once: a relation can hold hundreds of
 * cells (a country's sub-national areas), and a check only needs the change the direction makes
 * to it, which comes from the direction's own cells.
 */
class DirectionChecker {
  private readonly weight: Float64Array;
  private readonly change: Float64Array;
  private readonly relationSeen: Int32Array;
  private readonly cellSeen: Int32Array;
  private readonly slack: Float64Array;
  private readonly touched: number[] = [];
  private stamp = 0;

  constructor(private readonly table: AdditiveTable) {
    this.weight = new Float64Array(table.values.length);
    this.change = new Float64Array(table.relations.length);
    this.relationSeen = new Int32Array(table.relations.length);
    this.cellSeen = new Int32Array(table.values.length);
    this.slack = Float64Array.from(table.relations, (relation) => {
      let slack = 0;
      for (let i = 0; i < relation.cells.length; i++) slack += coefficient(i) * table.values[relation.cells[i]!]!;
      return slack;
    });
  }

  steps(direction: Direction, suppressed?: Uint8Array): Steps | undefined {
    const { cells, weights } = direction;
    for (let i = 0; i < cells.length; i++) this.weight[cells[i]!]! += weights[i]!;
    try {
      return this.measure(cells, suppressed);
    } finally {
      for (let i = 0; i < cells.length; i++) this.weight[cells[i]!] = 0;
      for (const r of this.touched) this.change[r] = 0;
      this.touched.length = 0;
    }
  }

  private measure(cells: Int32Array, suppressed?: Uint8Array): Steps | undefined {
    const { values, relations, relationsOf } = this.table;
    let up = Infinity;
    let down = Infinity;
    let scale = 0;
    this.stamp += 1;
    for (const cell of cells) {
      const w = this.weight[cell]!;
      if (w === 0) continue;
      if (suppressed && !suppressed[cell]) return undefined;
      const x = values[cell]!;
      if (w < 0) up = Math.min(up, x / -w);
      else down = Math.min(down, x / w);
      scale = Math.max(scale, Math.abs(w));
    }
    for (const cell of cells) {
      // A cell listed twice counts once: its weights were summed.
      if (this.cellSeen[cell] === this.stamp) continue;
      this.cellSeen[cell] = this.stamp;
      const w = this.weight[cell]!;
      if (w === 0) continue;
      for (const r of relationsOf[cell]!) {
        if (this.relationSeen[r] !== this.stamp) {
          this.relationSeen[r] = this.stamp;
          this.touched.push(r);
        }
        this.change[r]! += relations[r]!.cells[0] === cell ? w : -w;
      }
    }
    for (const r of this.touched) {
      const change = this.change[r]!;
      if (Math.abs(change) <= TOLERANCE * scale) continue;
      const relation = relations[r]!;
      // The true values do not satisfy a broken relation, so no move along it proves anything.
      if (relation.equality || relation.broken) return undefined;
      // parent − Σ present children ≥ 0, which the true values satisfy with this slack.
      const slack = this.slack[r]!;
      if (change < 0) up = Math.min(up, slack / -change);
      else down = Math.min(down, slack / change);
    }
    return { up, down };
  }
}

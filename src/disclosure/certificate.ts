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

/** Scratch arrays the size of the table, reused between checks (a check touches few cells). */
class DirectionChecker {
  private readonly weight: Float64Array;
  private readonly relationSeen: Int32Array;
  private stamp = 0;

  constructor(private readonly table: AdditiveTable) {
    this.weight = new Float64Array(table.values.length);
    this.relationSeen = new Int32Array(table.relations.length);
  }

  steps(direction: Direction, suppressed?: Uint8Array): Steps | undefined {
    const { cells, weights } = direction;
    for (let i = 0; i < cells.length; i++) this.weight[cells[i]!]! += weights[i]!;
    try {
      return this.measure(cells, suppressed);
    } finally {
      for (let i = 0; i < cells.length; i++) this.weight[cells[i]!] = 0;
    }
  }

  private measure(cells: Int32Array, suppressed?: Uint8Array): Steps | undefined {
    const { values, relations, relationsOf } = this.table;
    let up = Infinity;
    let down = Infinity;
    let scale = 0;
    for (const cell of cells) {
      const w = this.weight[cell]!;
      if (w === 0) continue;
      if (suppressed && !suppressed[cell]) return undefined;
      const x = values[cell]!;
      if (w < 0) up = Math.min(up, x / -w);
      else down = Math.min(down, x / w);
      scale = Math.max(scale, Math.abs(w));
    }
    this.stamp += 1;
    for (const cell of cells) {
      for (const r of relationsOf[cell]!) {
        if (this.relationSeen[r] === this.stamp) continue;
        this.relationSeen[r] = this.stamp;
        const relation = relations[r]!;
        let change = 0;
        let slack = 0;
        for (let i = 0; i < relation.cells.length; i++) {
          const c = relation.cells[i]!;
          const a = coefficient(i);
          change += a * this.weight[c]!;
          slack += a * values[c]!;
        }
        if (Math.abs(change) <= TOLERANCE * scale) continue;
        // The true values do not satisfy a broken relation, so no move along it proves anything.
        if (relation.equality || relation.broken) return undefined;
        // parent − Σ present children ≥ 0, which the true values satisfy with this slack.
        if (change < 0) up = Math.min(up, slack / -change);
        else down = Math.min(down, slack / change);
      }
    }
    return { up, down };
  }
}

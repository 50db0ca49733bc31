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
  readonly cells: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
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
 * to it, which comes from the direction's own cells. What a check reads of the relations is
 * copied into flat typed arrays (each cell's relations in a row of one array, each relation's
 * parent, whether it can move): a million relation objects scattered over the heap cost a
 * cache miss at every step.
 */
class DirectionChecker {
  /** The relations of cell c: relationList[relationStart[c] .. relationStart[c + 1]). */
  private readonly relationStart: Int32Array;
  private readonly relationList: Int32Array;
  private readonly parentOf: Int32Array;
  /** 1 where a relation admits no move (an equality, or broken). */
  private readonly rigid: Uint8Array;
  private readonly weight: Float64Array;
  private readonly change: Float64Array;
  private readonly relationSeen: Int32Array;
  private readonly cellSeen: Int32Array;
  private readonly slack: Float64Array;
  /** The relations the current check touched, `touchedCount` of them. */
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private stamp = 0;

  constructor(private readonly table: AdditiveTable) {
    const { relations, relationsOf } = table;
    this.relationStart = new Int32Array(relationsOf.length + 1);
    for (let c = 0; c < relationsOf.length; c++) this.relationStart[c + 1] = this.relationStart[c]! + relationsOf[c]!.length;
    this.relationList = new Int32Array(this.relationStart[relationsOf.length]!);
    for (let c = 0; c < relationsOf.length; c++) this.relationList.set(relationsOf[c]!, this.relationStart[c]!);
    this.parentOf = Int32Array.from(relations, (r) => r.cells[0]!);
    this.rigid = Uint8Array.from(relations, (r) => (r.equality || r.broken ? 1 : 0));
    this.touched = new Int32Array(relations.length);
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
      for (let i = 0; i < this.touchedCount; i++) this.change[this.touched[i]!] = 0;
      this.touchedCount = 0;
    }
  }

  private measure(cells: ArrayLike<number>, suppressed?: Uint8Array): Steps | undefined {
    const { values } = this.table;
    const { relationStart, relationList, parentOf, change, relationSeen, touched } = this;
    let up = Infinity;
    let down = Infinity;
    let scale = 0;
    this.stamp += 1;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      const w = this.weight[cell]!;
      if (w === 0) continue;
      if (suppressed && !suppressed[cell]) return undefined;
      const x = values[cell]!;
      if (w < 0) up = Math.min(up, x / -w);
      else down = Math.min(down, x / w);
      scale = Math.max(scale, Math.abs(w));
    }
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      // A cell listed twice counts once: its weights were summed.
      if (this.cellSeen[cell] === this.stamp) continue;
      this.cellSeen[cell] = this.stamp;
      const w = this.weight[cell]!;
      if (w === 0) continue;
      const end = relationStart[cell + 1]!;
      for (let j = relationStart[cell]!; j < end; j++) {
        const r = relationList[j]!;
        if (relationSeen[r] !== this.stamp) {
          relationSeen[r] = this.stamp;
          touched[this.touchedCount++] = r;
        }
        change[r]! += parentOf[r] === cell ? w : -w;
      }
    }
    for (let i = 0; i < this.touchedCount; i++) {
      const r = touched[i]!;
      const moved = change[r]!;
      if (Math.abs(moved) <= TOLERANCE * scale) continue;
      // The true values do not satisfy a broken relation, so no move along it proves anything.
      if (this.rigid[r]) return undefined;
      // parent − Σ present children ≥ 0, which the true values satisfy with this slack.
      const slack = this.slack[r]!;
      if (moved < 0) up = Math.min(up, slack / -moved);
      else down = Math.min(down, slack / moved);
    }
    return { up, down };
  }
}

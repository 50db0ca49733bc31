/**
 * Hypercube search (in the spirit of GHMITER, the hypercube method of τ-ARGUS, extended to
 * hierarchies): for a protected cell p, the cells to suppress with it whose joint moves keep
 * every relation of the table, chosen so that p can move by its whole protection interval and so
 * that as few published cells as possible are added.
 *
 * The move has two parts.
 * - p's down-set: every cell whose code in each dimension is p's code or one of its descendants.
 *   Moving p by t moves each of them by t · x/xp (x their true value), which keeps every
 *   relation among them (totals stay sums). Its non-zero cells are at most p, so they are
 *   suppressed already when p is a small count.
 * - per dimension, an axis: codes that take the down-set's place. Either a sibling of p's code
 *   or of one of its ancestors, moving the opposite way (weight −1, carried down to the leaves
 *   by a path of children), with the ancestors in between moving with p; or every ancestor up to
 *   the root moving with p. Along a relation of dimension d the corners in it differ only in their
 *   d code, and the axis balances there.
 * A corner replaces, in some of the dimensions where a down-set cell has p's code, that code by an
 * axis code; its weight is the down-set weight times the axis weights. Candidates are only
 * proposals: the proof is `stepsAlong`, which checks the direction against the table's actual
 * relations (some hold missing cells or are inequalities).
 */
import { stepsAlong, type Direction } from './certificate.js';
import { TableGrid } from './grid.js';
import { FIXED_PUBLISHED, type AdditiveTable } from './table.js';

/** One dimension's part of a hypercube: the codes that may replace p's code, with their weights. */
interface Axis {
  readonly codes: readonly number[];
  readonly weights: readonly number[];
  /** Cells of the axis through p (other dimensions at p's codes) not yet suppressed. */
  readonly cost: number;
}

export interface Hypercube {
  readonly direction: Direction;
  /** Cells it suppresses that were published. */
  readonly added: number;
  readonly up: number;
  readonly down: number;
}

/** Axes kept per dimension, best first (the product of these is searched). */
const AXES_PER_DIMENSION = 3;
/** Axes kept per dimension when only cells already suppressed may be used. */
const AXES_WITHIN_PATTERN = 1000;
/**
 * Combinations of axes tried at most for one cell. Within a given pattern every suppressed
 * sibling is an axis, so along several wide dimensions (300 areas, a whole ICCS division) the
 * product would explode; the best axes of each dimension are kept.
 */
const MAX_COMBINATIONS = 4096;
/** The way down from a code without parts: none. */
const NO_PATH: { codes: number[]; weights: number[] } = Object.freeze({ codes: [], weights: [] }) as { codes: number[]; weights: number[] };
/** Siblings considered per level of a dimension (see `shortlist`). */
const MAX_SIBLINGS = 12;
/** A down-set larger than this is left to the LP audit (a large total is rarely a small count). */
const MAX_DOWN_SET = 4096;
/** Slack for weights that are fractions. */
const TOLERANCE = 1e-9;

export class HypercubeSearch {
  readonly grid: TableGrid;

  constructor(private readonly table: AdditiveTable, grid?: TableGrid) {
    this.grid = grid ?? new TableGrid(table);
  }

  /**
   * The cheapest hypercubes through `cell` that let it move up by `needUp` and down by
   * `needDown`: one that does both, else one for each sense; at most `budget` newly suppressed
   * cells each. Undefined when none is found (the LP audit then decides).
   */
  find(cell: number, suppressed: Uint8Array, needUp: number, needDown: number, budget = Infinity): Hypercube[] | undefined {
    const origin = this.grid.coordinatesOf(cell);
    const period = this.grid.periodOf[cell]!;
    const downSet = this.downSet(cell, origin, period);
    if (!downSet) return undefined;
    const axes: Axis[][] = [];
    for (let d = 0; d < origin.length; d++) {
      const options = this.axisOptions(d, origin, period, suppressed, needUp, needDown, budget);
      if (options.length === 0) return undefined;
      axes.push(options);
    }
    trimToCombinations(axes, MAX_COMBINATIONS);
    const combos = product(axes.map((options) => options.length))
      .map((choice) => ({ choice, bound: Math.max(...choice.map((k, d) => axes[d]![k]!.cost)), sum: choice.reduce((s, k, d) => s + axes[d]![k]!.cost, 0) }))
      .sort((a, b) => a.bound - b.bound || a.sum - b.sum);
    // Checking a cube against the relations costs more than evaluating it, and the cheapest cube
    // nearly always passes: first search trusting each cube's own corners, then check only the
    // cubes chosen. Should a check refuse one, the search is done again checking as it goes.
    const optimistic = this.choose(combos, axes, origin, period, downSet, suppressed, needUp, needDown, budget, false);
    if (optimistic) {
      const checked: Hypercube[] = [];
      for (const cube of optimistic) {
        const proven = stepsAlong(this.table, cube.direction);
        if (!proven) break;
        checked.push({ ...cube, up: proven.up, down: proven.down });
      }
      // Accepted only if every cube still moves p as far as its corners said (the relations may
      // stop it sooner, never later): then no checked cube could be cheaper.
      const holds = (c: Hypercube, i: number) =>
        (c.up >= needUp - TOLERANCE) === (optimistic[i]!.up >= needUp - TOLERANCE) && (c.down >= needDown - TOLERANCE) === (optimistic[i]!.down >= needDown - TOLERANCE);
      if (checked.length === optimistic.length && checked.every(holds)) return checked;
    }
    return this.choose(combos, axes, origin, period, downSet, suppressed, needUp, needDown, budget, true);
  }

  /**
   * The cheapest cube that moves p both ways, or the cheapest pair that moves it one way each;
   * with `check`, each candidate is checked against the relations before it counts.
   */
  private choose(
    combos: readonly { readonly choice: readonly number[]; readonly bound: number }[],
    axes: readonly Axis[][],
    origin: Int32Array,
    period: number,
    downSet: { cells: number[]; weights: number[] },
    suppressed: Uint8Array,
    needUp: number,
    needDown: number,
    budget: number,
    check: boolean,
  ): Hypercube[] | undefined {
    let both: Hypercube | undefined;
    let upOnly: Hypercube | undefined;
    let downOnly: Hypercube | undefined;
    const limit = () => Math.min(budget, both ? both.added - 1 : Infinity);
    for (const { choice, bound } of combos) {
      if (bound > limit()) break;
      const cube = this.evaluate(
        choice.map((k, d) => axes[d]![k]!),
        origin,
        period,
        downSet,
        suppressed,
        limit(),
      );
      if (!cube) continue;
      const up = cube.up >= needUp - TOLERANCE;
      const down = cube.down >= needDown - TOLERANCE;
      // Only a cube that would improve on the best so far is worth checking.
      const improves = (best: Hypercube | undefined) => !best || cube.added < best.added;
      if (!(up && down ? improves(both) : up ? improves(upOnly) : down ? improves(downOnly) : false)) continue;
      let checked: Hypercube = cube;
      if (check) {
        const proven = stepsAlong(this.table, cube.direction);
        if (!proven) continue;
        checked = { ...cube, up: proven.up, down: proven.down };
      }
      const provenUp = checked.up >= needUp - TOLERANCE;
      const provenDown = checked.down >= needDown - TOLERANCE;
      if (provenUp && provenDown) {
        if (improves(both)) both = checked;
      } else if (provenUp) {
        if (improves(upOnly)) upOnly = checked;
      } else if (provenDown) {
        if (improves(downOnly)) downOnly = checked;
      }
    }
    if (both && (!upOnly || !downOnly || both.added <= upOnly.added + downOnly.added)) return [both];
    if (upOnly && downOnly) return [upOnly, downOnly];
    return undefined;
  }

  /**
   * p's down-set with weights x/xp (cells of value 0 do not move and are left out); undefined
   * when it is too large. A combination the table lacks is left out too: the relation that would
   * hold it is then an inequality (parent ≥ Σ present children), which moving the parent by
   * more than the present children keeps.
   */
  private downSet(cell: number, origin: Int32Array, period: number): { cells: number[]; weights: number[] } | undefined {
    const below = Array.from(origin, (code, d) => [code, ...this.descendants(d, code)]);
    if (below.reduce((n, codes) => n * codes.length, 1) > MAX_DOWN_SET) return undefined;
    const xp = this.table.values[cell]!;
    const cells: number[] = [];
    const weights: number[] = [];
    const at = Int32Array.from(origin);
    const walk = (d: number) => {
      if (d === origin.length) {
        const c = this.grid.cellAt(at, period);
        if (c < 0) return;
        const x = this.table.values[c]!;
        if (c === cell || x > 0) {
          cells.push(c);
          weights.push(xp > 0 ? x / xp : c === cell ? 1 : 0);
        }
        return;
      }
      for (const code of below[d]!) {
        at[d] = code;
        walk(d + 1);
      }
      at[d] = origin[d]!;
    };
    walk(0);
    return { cells, weights };
  }

  /** Every code below `code` in dimension d, through all the relations it is a parent of. */
  private descendants(d: number, code: number): number[] {
    const out = new Set<number>();
    const walk = (c: number) => {
      for (const child of this.grid.children[d]![c]!) {
        if (out.has(child) || child === code) continue;
        out.add(child);
        walk(child);
      }
    };
    walk(code);
    return [...out];
  }

  /** The corners of a choice of axes, their weights and steps; undefined when a corner is missing or it costs over `limit`. */
  private evaluate(
    axes: readonly Axis[],
    origin: Int32Array,
    period: number,
    downSet: { cells: number[]; weights: number[] },
    suppressed: Uint8Array,
    limit: number,
  ) {
    const D = origin.length;
    const coordinates = this.grid.coordinates;
    const values = this.table.values;
    const cells: number[] = [];
    const weights: number[] = [];
    let added = 0;
    let up = Infinity;
    let down = Infinity;
    const at = new Int32Array(D);
    let base = 0;
    const walk = (d: number, weight: number): boolean => {
      if (d === D) {
        const cell = this.grid.cellAt(at, period);
        if (cell < 0) return false;
        // A cell published by an earlier release cannot be hidden by this one.
        if (!suppressed[cell] && (this.table.fixed[cell] === FIXED_PUBLISHED || ++added > limit)) return false;
        cells.push(cell);
        weights.push(weight);
        const x = values[cell]!;
        if (weight < 0) up = Math.min(up, x / -weight);
        else down = Math.min(down, x / weight);
        return true;
      }
      const own = coordinates[base * D + d]!;
      // Only where the down-set cell has p's code can an axis code take its place.
      if (own !== origin[d]) {
        at[d] = own;
        return walk(d + 1, weight);
      }
      at[d] = own;
      if (!walk(d + 1, weight)) return false;
      const axis = axes[d]!;
      for (let i = 0; i < axis.codes.length; i++) {
        at[d] = axis.codes[i]!;
        if (!walk(d + 1, weight * axis.weights[i]!)) return false;
      }
      return true;
    };
    for (let k = 0; k < downSet.cells.length; k++) {
      base = downSet.cells[k]!;
      if (!walk(0, downSet.weights[k]!)) return undefined;
    }
    return { direction: { cells: Int32Array.from(cells), weights: Float64Array.from(weights) }, added, up, down };
  }

  /**
   * The best axes of dimension d through p, judged on the line of cells through p along d: the
   * cells not yet suppressed, and whether the cells can absorb the moves (weight-scaled).
   */
  private axisOptions(d: number, origin: Int32Array, period: number, suppressed: Uint8Array, needUp: number, needDown: number, budget: number): Axis[] {
    const code = origin[d]!;
    const parent = this.grid.parent[d]!;
    // A root (or a code outside any hierarchy): the down-set balances its relations alone.
    if (parent[code]! < 0) return [{ codes: [], weights: [], cost: 0 }];
    const line = Int32Array.from(origin);
    const cellOf = (c: number) => {
      line[d] = c;
      return this.grid.cellAt(line, period);
    };
    const ancestors = [code];
    for (let a = parent[code]!; a >= 0; a = parent[a]!) ancestors.push(a);
    const candidates: { codes: number[]; weights: number[] }[] = [];
    for (let level = 0; level + 1 < ancestors.length; level++) {
      const between = ancestors.slice(1, level + 1);
      for (const sibling of this.shortlist(this.grid.siblings[d]![ancestors[level]!]!, cellOf, suppressed, needUp, budget)) {
        // Two ways down: through cells already suppressed where they can absorb the move, and
        // through the largest; the second is what a fresh audit of a finished pattern needs when
        // the first now finds cells suppressed after the cube was chosen.
        const leaf = this.grid.parts[d]![sibling]!.length === 0;
        const paths = leaf ? [NO_PATH] : [this.descend(d, sibling, needUp, cellOf, suppressed, true), this.descend(d, sibling, needUp, cellOf, suppressed, false)];
        if (paths.length === 2 && paths[1]!.codes.join() === paths[0]!.codes.join()) paths.pop();
        for (const path of paths) {
          const codes = between.length === 0 ? [sibling] : [...between, sibling];
          const weights = between.length === 0 ? [-1] : [...between.map(() => 1), -1];
          for (let i = 0; i < path.codes.length; i++) {
            codes.push(path.codes[i]!);
            weights.push(-path.weights[i]!);
          }
          candidates.push({ codes, weights });
        }
      }
    }
    candidates.push({ codes: ancestors.slice(1), weights: ancestors.slice(1).map(() => 1) });
    // No partner at all: where p is a part that need not exhaust its whole and the whole leaves
    // room for the move (the cyber-related part of a large total, a country under a regional
    // estimate), it can move alone along this dimension.
    if (this.roomAlone(d, origin, period, needUp)) candidates.push({ codes: [], weights: [] });
    const scored: (Axis & { feasible: number; margin: number })[] = [];
    const { values, fixed } = this.table;
    for (const candidate of candidates) {
      let cost = 0;
      let feasible = 0;
      let margin = Infinity;
      let present = true;
      const { codes, weights } = candidate;
      for (let i = 0; i < codes.length; i++) {
        const cell = cellOf(codes[i]!);
        if (cell < 0 || (!suppressed[cell] && fixed[cell] === FIXED_PUBLISHED)) {
          present = false;
          break;
        }
        if (!suppressed[cell]) cost += 1;
        const w = weights[i]!;
        const x = values[cell]!;
        if (w < 0 ? x < needUp * -w - TOLERANCE : x < needDown * w - TOLERANCE) feasible += 1;
        if (w < 0) margin = Math.min(margin, x / -w);
      }
      // The line's cells are corners of every cube with this axis: over budget, it is no candidate.
      if (present && cost <= budget) scored.push({ codes, weights, cost, feasible, margin });
    }
    // Feasible on the line first, then cheapest, then a sibling rather than the ancestors (totals
    // are what users read first), then the most room on the decreasing side (the other corners of
    // the cube are likelier to absorb the move too).
    const upwardLast = (a: { margin: number }) => (a.margin === Infinity ? 1 : 0);
    scored.sort((a, b) => a.feasible - b.feasible || a.cost - b.cost || upwardLast(a) - upwardLast(b) || b.margin - a.margin);
    // Within a given pattern (budget 0: auditing, not protecting) the candidates are few and
    // cheap to try, so more of them are.
    const best = scored.slice(0, budget === 0 ? AXES_WITHIN_PATTERN : AXES_PER_DIMENSION);
    // Every ancestor up to the root moves with p: nothing decreases, so a cube of such axes
    // always works; kept as the last resort.
    const upward = scored.find((a) => a.margin === Infinity);
    if (upward && !best.includes(upward)) best.push(upward);
    return best;
  }

  /**
   * The siblings worth building an axis from, best first, at most MAX_SIBLINGS: a relation can
   * hold hundreds (a country's sub-national areas), and only the best few axes are kept anyway.
   * Those whose cell on p's line can absorb the move come first, then those already suppressed
   * (free), then the largest. Within a given pattern (budget 0) only suppressed ones can serve.
   */
  private shortlist(siblings: readonly number[], cellOf: (code: number) => number, suppressed: Uint8Array, need: number, budget: number): readonly number[] {
    if (siblings.length <= MAX_SIBLINGS && budget > 0) return siblings;
    const ranked: { code: number; rank: number }[] = [];
    for (const code of siblings) {
      const cell = cellOf(code);
      if (cell < 0) continue;
      const free = suppressed[cell] === 1;
      if (budget === 0 && !free) continue;
      const x = this.table.values[cell]!;
      ranked.push({ code, rank: (x >= need - TOLERANCE ? 0 : 4) + (free ? 0 : 2) - x / (x + 1) });
    }
    if (ranked.length <= MAX_SIBLINGS) return ranked.map((r) => r.code);
    ranked.sort((a, b) => a.rank - b.rank);
    return ranked.slice(0, MAX_SIBLINGS).map((r) => r.code);
  }

  /**
   * Whether the cell at `origin` is, along dimension d, a part only of inequalities (parts at most
   * the whole) that the true values satisfy with at least `need` to spare.
   */
  private roomAlone(d: number, origin: Int32Array, period: number, need: number): boolean {
    const cell = this.grid.cellAt(origin, period);
    const dimension = this.grid.dimensions[d];
    let any = false;
    for (const r of this.table.relationsOf[cell]!) {
      const relation = this.table.relations[r]!;
      if (relation.dimension !== dimension || relation.cells[0] === cell) continue;
      if (relation.equality || relation.broken) return false;
      let slack = this.table.values[relation.cells[0]!]!;
      for (let i = 1; i < relation.cells.length; i++) slack -= this.table.values[relation.cells[i]!]!;
      if (slack < need - TOLERANCE) return false;
      any = true;
    }
    return any;
  }

  /**
   * The codes below a sibling that carry its move down to the leaves, with weights: a child that
   * can absorb `need` on its own (one already suppressed first, when preferred, else the
   * largest), else the largest children until their values cover it, splitting the move in
   * proportion.
   */
  private descend(
    d: number,
    code: number,
    need: number,
    cellOf: (code: number) => number,
    suppressed: Uint8Array,
    preferSuppressed: boolean,
  ): { codes: number[]; weights: number[] } {
    const present: { code: number; value: number; free: boolean }[] = [];
    for (const k of this.grid.parts[d]![code]!) {
      const cell = cellOf(k);
      if (cell >= 0 && (suppressed[cell] || this.table.fixed[cell] !== FIXED_PUBLISHED)) present.push({ code: k, value: this.table.values[cell]!, free: suppressed[cell] === 1 });
    }
    if (present.length === 0) return { codes: [], weights: [] };
    present.sort((a, b) => b.value - a.value);
    let picked: typeof present;
    const single = present.filter((k) => k.value >= need - TOLERANCE);
    if (single.length > 0) picked = [(preferSuppressed ? single.find((k) => k.free) : undefined) ?? single[0]!];
    else {
      picked = [];
      let sum = 0;
      for (const k of present) {
        if (k.value <= 0 && picked.length > 0) break;
        picked.push(k);
        sum += k.value;
        if (sum >= need - TOLERANCE) break;
      }
    }
    const total = picked.reduce((s, k) => s + k.value, 0);
    const codes: number[] = [];
    const weights: number[] = [];
    for (const k of picked) {
      const share = total > 0 ? k.value / total : 1 / picked.length;
      const deeper = this.descend(d, k.code, need * share, cellOf, suppressed, preferSuppressed);
      codes.push(k.code, ...deeper.codes);
      weights.push(share, ...deeper.weights.map((w) => w * share));
    }
    return { codes, weights };
  }
}

/**
 * Drops axes, from the widest dimension first, until the combinations fit: the best ones stay
 * (options are sorted best first) and so does the last, the upward last resort.
 */
function trimToCombinations(axes: Axis[][], max: number): void {
  let size = axes.reduce((n, options) => n * options.length, 1);
  while (size > max) {
    let widest = 0;
    for (let d = 1; d < axes.length; d++) if (axes[d]!.length > axes[widest]!.length) widest = d;
    const options = axes[widest]!;
    if (options.length <= 2) break;
    const keep = Math.max(2, Math.floor(options.length / 2));
    axes[widest] = [...options.slice(0, keep - 1), options[options.length - 1]!];
    size = axes.reduce((n, o) => n * o.length, 1);
  }
}

/** Every combination of one index per position, each below its size. */
function product(sizes: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const size of sizes) {
    const next: number[][] = [];
    for (const prefix of out) for (let k = 0; k < size; k++) next.push([...prefix, k]);
    out = next;
  }
  return out;
}

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
    this.corner = new Int32Array(this.grid.dimensions.length);
    this.position = new Int32Array(this.grid.dimensions.length);
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
    const combos = combinationsByCost(axes);
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
    combos: readonly (readonly number[])[],
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
    for (const choice of combos) {
      const limit = Math.min(budget, both ? both.added - 1 : Infinity);
      if (choiceBound(axes, choice) > limit) break;
      const cube = this.evaluate(axes, choice, origin, period, downSet, suppressed, limit);
      if (!cube) continue;
      const up = cube.up >= needUp - TOLERANCE;
      const down = cube.down >= needDown - TOLERANCE;
      // Only a cube that would improve on the best so far is worth keeping (or checking).
      const best = up && down ? both : up ? upOnly : down ? downOnly : undefined;
      if (!(up || down) || (best && cube.added >= best.added)) continue;
      // The corners are in scratch arrays until a cube is kept.
      const direction = this.cornersAsDirection();
      let kept: Hypercube = { direction, added: cube.added, up: cube.up, down: cube.down };
      if (check) {
        const proven = stepsAlong(this.table, direction);
        if (!proven) continue;
        kept = { direction, added: cube.added, up: proven.up, down: proven.down };
      }
      const provenUp = kept.up >= needUp - TOLERANCE;
      const provenDown = kept.down >= needDown - TOLERANCE;
      const improves = (than: Hypercube | undefined) => !than || kept.added < than.added;
      if (provenUp && provenDown) {
        if (improves(both)) both = kept;
      } else if (provenUp) {
        if (improves(upOnly)) upOnly = kept;
      } else if (provenDown) {
        if (improves(downOnly)) downOnly = kept;
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

  /** The corners of the last cube evaluated, `cornerCount` of them (see `cornersAsDirection`). */
  private readonly cornerCells: number[] = [];
  private readonly cornerWeights: number[] = [];
  private cornerCount = 0;
  /** The coordinates of the corner being looked up, and per dimension the axis position it is at. */
  private readonly corner: Int32Array;
  private readonly position: Int32Array;

  private cornersAsDirection(): Direction {
    return { cells: this.cornerCells.slice(0, this.cornerCount), weights: this.cornerWeights.slice(0, this.cornerCount) };
  }

  /**
   * The cost and steps of a choice of axes (its corners and their weights are left in
   * `cornerCells` and `cornerWeights`, most cubes being discarded); undefined when a corner is
   * missing or it costs over `limit`. This runs millions of times: it enumerates the corners with
   * counters rather than by recursion, and allocates nothing.
   */
  private evaluate(
    axes: readonly Axis[][],
    choice: readonly number[],
    origin: Int32Array,
    period: number,
    downSet: { cells: number[]; weights: number[] },
    suppressed: Uint8Array,
    limit: number,
  ): { added: number; up: number; down: number } | undefined {
    const D = origin.length;
    const { coordinates } = this.grid;
    const { values, fixed } = this.table;
    const { corner, position, cornerCells, cornerWeights } = this;
    let count = 0;
    let added = 0;
    let up = Infinity;
    let down = Infinity;
    for (let k = 0; k < downSet.cells.length; k++) {
      const base = downSet.cells[k]! * D;
      for (let d = 0; d < D; d++) {
        corner[d] = coordinates[base + d]!;
        position[d] = 0;
      }
      // Each corner replaces, where the down-set cell has p's code, that code by an axis code;
      // the last dimension turns fastest.
      for (;;) {
        const cell = this.grid.cellAt(corner, period);
        if (cell < 0) return undefined;
        // A cell published by an earlier release cannot be hidden by this one.
        if (!suppressed[cell] && (fixed[cell] === FIXED_PUBLISHED || ++added > limit)) return undefined;
        let weight = downSet.weights[k]!;
        for (let d = 0; d < D; d++) if (position[d]! > 0) weight *= axes[d]![choice[d]!]!.weights[position[d]! - 1]!;
        cornerCells[count] = cell;
        cornerWeights[count] = weight;
        count += 1;
        const x = values[cell]!;
        if (weight < 0) up = Math.min(up, x / -weight);
        else down = Math.min(down, x / weight);
        let d = D - 1;
        for (; d >= 0; d--) {
          const own = coordinates[base + d]!;
          const axis = axes[d]![choice[d]!]!;
          if (own === origin[d] && position[d]! < axis.codes.length) {
            corner[d] = axis.codes[position[d]!]!;
            position[d]! += 1;
            break;
          }
          corner[d] = own;
          position[d] = 0;
        }
        if (d < 0) break;
      }
    }
    this.cornerCount = count;
    return { added, up, down };
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
        const codes = between.length === 0 ? [sibling] : [...between, sibling];
        const weights = between.length === 0 ? [-1] : [...between.map(() => 1), -1];
        if (this.grid.parts[d]![sibling]!.length === 0) {
          candidates.push({ codes, weights });
          continue;
        }
        // Two ways down: through cells already suppressed where they can absorb the move, and
        // through the largest; the second is what a fresh audit of a finished pattern needs when
        // the first now finds cells suppressed after the cube was chosen.
        const viaSuppressed = { codes: codes.slice(), weights: weights.slice() };
        this.descend(d, sibling, needUp, -1, viaSuppressed, cellOf, suppressed, true);
        this.descend(d, sibling, needUp, -1, { codes, weights }, cellOf, suppressed, false);
        candidates.push(viaSuppressed);
        if (!sameCodes(viaSuppressed.codes, codes)) candidates.push({ codes, weights });
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
    // Runs for every primary over all the siblings (299 sub-national areas): the best few are
    // kept by insertion, in order of rank and then of the siblings (as a stable sort would).
    const codes: number[] = [];
    const ranks: number[] = [];
    let seen = 0;
    for (const code of siblings) {
      const cell = cellOf(code);
      if (cell < 0) continue;
      const free = suppressed[cell] === 1;
      if (budget === 0 && !free) continue;
      const x = this.table.values[cell]!;
      const rank = (x >= need - TOLERANCE ? 0 : 4) + (free ? 0 : 2) - x / (x + 1);
      seen += 1;
      if (codes.length === MAX_SIBLINGS && rank >= ranks[MAX_SIBLINGS - 1]!) continue;
      let at = codes.length;
      while (at > 0 && ranks[at - 1]! > rank) at -= 1;
      codes.splice(at, 0, code);
      ranks.splice(at, 0, rank);
      if (codes.length > MAX_SIBLINGS) {
        codes.pop();
        ranks.pop();
      }
    }
    if (seen > MAX_SIBLINGS) return codes;
    // Few enough to keep them all: in the siblings' own order.
    return siblings.filter((code) => {
      const cell = cellOf(code);
      return cell >= 0 && (budget > 0 || suppressed[cell] === 1);
    });
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
   * Appends to `path` the codes below a sibling that carry its move down to the leaves, with
   * their weights times `scale`: a child that can absorb `need` on its own (one already
   * suppressed first, when preferred, else the largest), else the largest children until their
   * values cover it, splitting the move in proportion.
   */
  private descend(
    d: number,
    code: number,
    need: number,
    scale: number,
    path: { codes: number[]; weights: number[] },
    cellOf: (code: number) => number,
    suppressed: Uint8Array,
    preferSuppressed: boolean,
  ): void {
    const parts = this.grid.parts[d]![code]!;
    if (parts.length === 0) return;
    const { values, fixed } = this.table;
    // The common case, found without sorting (this runs for every candidate sibling of every
    // primary): the largest part that absorbs the move alone, or the largest suppressed one.
    let largest = -1;
    let largestValue = -Infinity;
    let largestFree = -1;
    let largestFreeValue = -Infinity;
    for (const k of parts) {
      const cell = cellOf(k);
      if (cell < 0 || (!suppressed[cell] && fixed[cell] === FIXED_PUBLISHED)) continue;
      const x = values[cell]!;
      if (x < need - TOLERANCE) continue;
      if (x > largestValue) {
        largest = k;
        largestValue = x;
      }
      if (suppressed[cell] === 1 && x > largestFreeValue) {
        largestFree = k;
        largestFreeValue = x;
      }
    }
    const single = preferSuppressed && largestFree >= 0 ? largestFree : largest;
    if (single >= 0) {
      path.codes.push(single);
      path.weights.push(scale);
      this.descend(d, single, need, scale, path, cellOf, suppressed, preferSuppressed);
      return;
    }
    const present: { code: number; value: number }[] = [];
    for (const k of parts) {
      const cell = cellOf(k);
      if (cell >= 0 && (suppressed[cell] || fixed[cell] !== FIXED_PUBLISHED)) present.push({ code: k, value: values[cell]! });
    }
    present.sort((a, b) => b.value - a.value);
    // None absorbs it alone: the largest parts until their values cover it.
    const picked: typeof present = [];
    let total = 0;
    for (const k of present) {
      if (k.value <= 0 && picked.length > 0) break;
      picked.push(k);
      total += k.value;
      if (total >= need - TOLERANCE) break;
    }
    for (const k of picked) {
      const share = total > 0 ? k.value / total : 1 / picked.length;
      path.codes.push(k.code);
      path.weights.push(scale * share);
      this.descend(d, k.code, need * share, scale * share, path, cellOf, suppressed, preferSuppressed);
    }
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

function sameCodes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The cost bound of a combination of axes: its most expensive axis (each axis's line is in the cube). */
function choiceBound(axes: readonly Axis[][], choice: readonly number[]): number {
  let bound = 0;
  for (let d = 0; d < choice.length; d++) bound = Math.max(bound, axes[d]![choice[d]!]!.cost);
  return bound;
}

/**
 * Every combination of one axis per dimension, cheapest first: by the most expensive axis, then
 * the sum of their costs, then in the order of the options (best first in each dimension).
 */
function combinationsByCost(axes: readonly Axis[][]): number[][] {
  let combos: number[][] = [[]];
  for (const options of axes) {
    const next: number[][] = [];
    for (const prefix of combos) for (let k = 0; k < options.length; k++) next.push([...prefix, k]);
    combos = next;
  }
  const bound = combos.map((choice) => choiceBound(axes, choice));
  const sum = combos.map((choice) => {
    let total = 0;
    for (let d = 0; d < choice.length; d++) total += axes[d]![choice[d]!]!.cost;
    return total;
  });
  const order = combos.map((_, i) => i).sort((a, b) => bound[a]! - bound[b]! || sum[a]! - sum[b]! || a - b);
  return order.map((i) => combos[i]!);
}

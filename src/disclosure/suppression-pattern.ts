/**
 * The growing set of suppressed cells of a table being protected, with the count of suppressed
 * cells per relation, and the repairs the LP audit falls back on for a protected cell no
 * hypercube proves: close every exact relation that holds a single suppressed cell, suppress a
 * flat hypercube around the exposed cell, or add the cheapest partner that can widen its
 * interval. A cell an earlier release published is never a partner (the public knows it).
 * Suppressing more removes known values, so it seldom narrows another cell's interval; it can
 * when it hides why a broken relation is visibly broken, which is why the verdict is an audit of
 * the whole final pattern (protect.ts).
 */
import { componentsOf, type CellAudit } from './audit.js';
import { FIXED_PUBLISHED, type AdditiveTable } from './table.js';

export const PUBLISHED = 0;
export const PRIMARY = 1;
export const SECONDARY = 2;

/** The growing set of suppressed cells, with the count of suppressed cells per relation. */
export class SuppressionPattern {
  readonly suppressed: Uint8Array;
  private readonly inRelation: Int32Array;
  private readonly exposed: number[] = [];
  private readonly valueScale: number;

  constructor(
    private readonly table: AdditiveTable,
    private readonly status: Uint8Array,
    private readonly protectionLevel: number,
  ) {
    this.suppressed = new Uint8Array(status.length);
    this.inRelation = new Int32Array(table.relations.length);
    let max = 0;
    for (const v of table.values) max = Math.max(max, v);
    this.valueScale = max + 1;
    status.forEach((s, cell) => {
      if (s !== PUBLISHED) this.suppress(cell, s);
    });
  }

  /** Suppresses partners until no equality relation holds exactly one suppressed cell. */
  closeExposedRelations(): void {
    while (this.exposed.length > 0) {
      const r = this.exposed.pop()!;
      if (this.inRelation[r] !== 1) continue;
      const relation = this.table.relations[r]!;
      const partner = this.cheapest(relation.cells, this.protectionLevel, r);
      if (partner >= 0) this.suppress(partner, SECONDARY);
    }
  }

  /**
   * Suppresses the hypercube around an exposed cell: in every dimension where the cell is a child
   * in an exact relation, one sibling (able to absorb the protection level, then already
   * suppressed, then largest); every combination of the cell's and the siblings' codes is a
   * corner. Moving the corners alternately up and down keeps every relation through them, so
   * the cell can move as far as the smallest corner on the decreasing side allows. False when no
   * new cell was suppressed.
   */
  hypercube(audit: CellAudit): boolean {
    const p = audit.cell;
    const need = Math.max(audit.requiredUpper - audit.value, audit.value - audit.requiredLower, 1);
    const axes: { dimension: string; code: string }[] = [];
    for (const r of this.table.relationsOf[p]!) {
      const relation = this.table.relations[r]!;
      if (!relation.equality || relation.cells[0] === p) continue;
      let best = -1;
      let bestRank = Infinity;
      for (const s of relation.cells.subarray(1)) {
        if (s === p) continue;
        const v = this.table.values[s]!;
        const rank = (v >= need ? 0 : 2) + (this.suppressed[s] ? 0 : 1) - v / this.valueScale;
        if (rank < bestRank) {
          bestRank = rank;
          best = s;
        }
      }
      if (best >= 0) axes.push({ dimension: relation.dimension, code: this.table.cells[best]!.dimensions[relation.dimension]! });
    }
    if (axes.length === 0 || axes.length > 6) return false;
    const origin = this.table.cells[p]!;
    let added = false;
    for (let mask = 1; mask < 1 << axes.length; mask++) {
      const dimensions = { ...origin.dimensions };
      axes.forEach((axis, i) => {
        if (mask & (1 << i)) dimensions[axis.dimension] = axis.code;
      });
      const corner = this.table.locate(dimensions, origin.timePeriod);
      if (corner !== undefined && !this.suppressed[corner] && this.table.fixed[corner] !== FIXED_PUBLISHED) {
        this.suppress(corner, SECONDARY);
        added = true;
      }
    }
    return added;
  }

  /** Adds the cheapest partner that can widen an exposed cell's interval; false when none is left. */
  widen(audit: CellAudit): boolean {
    const gap = Math.max(audit.requiredUpper - audit.upper, audit.lower - audit.requiredLower, 1);
    const near: number[] = [];
    for (const r of this.table.relationsOf[audit.cell]!) for (const c of this.table.relations[r]!.cells) near.push(c);
    let partner = this.cheapest(near, gap, -1);
    if (partner < 0) {
      // Every neighbour is suppressed already: reach out from the whole component.
      const component = componentsOf(this.table, this.suppressed);
      const around: number[] = [];
      for (let c = 0; c < component.length; c++) {
        if (component[c] !== component[audit.cell]) continue;
        for (const r of this.table.relationsOf[c]!) for (const x of this.table.relations[r]!.cells) around.push(x);
      }
      partner = this.cheapest(around, gap, -1);
    }
    if (partner < 0) return false;
    this.suppress(partner, SECONDARY);
    return true;
  }

  suppress(cell: number, as: number): void {
    if (this.suppressed[cell]) return;
    this.suppressed[cell] = 1;
    this.status[cell] = as;
    for (const r of this.table.relationsOf[cell]!) {
      this.inRelation[r] += 1;
      if (this.inRelation[r] === 1 && this.table.relations[r]!.equality) this.exposed.push(r);
    }
  }

  /**
   * The published candidate that costs least: first the relations it would newly expose (each
   * needs a partner of its own), then whether its value can absorb `need`, then its value.
   */
  private cheapest(candidates: Iterable<number>, need: number, via: number): number {
    let best = -1;
    let bestCost = Infinity;
    for (const c of candidates) {
      if (this.suppressed[c] || this.table.fixed[c] === FIXED_PUBLISHED) continue;
      let newlyExposed = 0;
      for (const r of this.table.relationsOf[c]!) {
        if (r !== via && this.inRelation[r] === 0 && this.table.relations[r]!.equality) newlyExposed += 1;
      }
      const value = this.table.values[c]!;
      const cost = newlyExposed + (value < need ? 2 : 0) + (0.25 * value) / this.valueScale;
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    }
    return best;
  }
}

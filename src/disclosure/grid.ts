/**
 * Integer coordinates for the cells of an additive table, so that hypercube search can walk the
 * table without building string keys: per dimension the codes present, each code's parent and
 * children among them (the hierarchy as far as the table holds it), and a lookup from
 * coordinates and period to the cell.
 */
import type { AdditiveTable } from './table.js';

export class TableGrid {
  /** Every dimension of the table's cells (time excluded), in a fixed order. */
  readonly dimensions: readonly string[];
  /** Per dimension, the codes present. */
  readonly codes: readonly (readonly string[])[];
  /** Code index of cell c in dimension d: coordinates[c * dimensions.length + d]. */
  readonly coordinates: Int32Array;
  /** Period index of each cell. */
  readonly periodOf: Int32Array;
  /** Per dimension: code → parent code (−1 for none: not additive, a root, or the parent is absent). */
  readonly parent: readonly Int32Array[];
  /** Per dimension: code → child codes present. */
  readonly children: readonly (readonly number[])[][];
  private readonly radices: readonly number[];
  private readonly numeric: boolean;
  private readonly lookup = new Map<number | string, number>();

  constructor(table: AdditiveTable) {
    const dimensionSet = new Set<string>();
    for (const cell of table.cells) for (const d in cell.dimensions) dimensionSet.add(d);
    this.dimensions = [...dimensionSet].sort();
    const D = this.dimensions.length;
    const codeIndex = this.dimensions.map(() => new Map<string, number>());
    const periods = new Map<string, number>();
    this.coordinates = new Int32Array(table.cells.length * D);
    this.periodOf = new Int32Array(table.cells.length);
    table.cells.forEach((cell, c) => {
      this.dimensions.forEach((d, i) => {
        const code = cell.dimensions[d] ?? '';
        let k = codeIndex[i]!.get(code);
        if (k === undefined) codeIndex[i]!.set(code, (k = codeIndex[i]!.size));
        this.coordinates[c * D + i] = k;
      });
      let p = periods.get(cell.timePeriod);
      if (p === undefined) periods.set(cell.timePeriod, (p = periods.size));
      this.periodOf[c] = p;
    });
    this.codes = codeIndex.map((m) => [...m.keys()]);
    this.radices = codeIndex.map((m) => Math.max(1, m.size));
    // Mixed-radix numbers are exact below 2^53; beyond, strings (a table that wide is unusual).
    this.numeric = this.radices.reduce((p, r) => p * r, Math.max(1, periods.size)) < Number.MAX_SAFE_INTEGER;
    this.parent = this.dimensions.map((d, i) => {
      const parent = new Int32Array(this.codes[i]!.length).fill(-1);
      const hierarchy = table.hierarchies.get(d);
      if (hierarchy) {
        for (const [parentCode, childCodes] of hierarchy) {
          const p = codeIndex[i]!.get(parentCode);
          if (p === undefined) continue;
          for (const childCode of childCodes) {
            const child = codeIndex[i]!.get(childCode);
            if (child !== undefined) parent[child] = p;
          }
        }
      }
      return parent;
    });
    this.children = this.parent.map((parent) => {
      const lists: number[][] = Array.from(parent, () => []);
      parent.forEach((p, child) => {
        if (p >= 0) lists[p]!.push(child);
      });
      return lists;
    });
    for (let c = 0; c < table.cells.length; c++) this.lookup.set(this.keyOf(this.coordinates.subarray(c * D, (c + 1) * D), this.periodOf[c]!), c);
  }

  /** The cell at these coordinates (one code index per dimension) and period; −1 when absent. */
  cellAt(coordinates: ArrayLike<number>, period: number): number {
    return this.lookup.get(this.keyOf(coordinates, period)) ?? -1;
  }

  /** The coordinates of a cell (a copy). */
  coordinatesOf(cell: number): Int32Array {
    const D = this.dimensions.length;
    return this.coordinates.slice(cell * D, (cell + 1) * D);
  }

  private keyOf(coordinates: ArrayLike<number>, period: number): number | string {
    if (!this.numeric) return `${period}:${Array.prototype.join.call(coordinates, ',')}`;
    let key = period;
    for (let d = 0; d < this.radices.length; d++) key = key * this.radices[d]! + coordinates[d]!;
    return key;
  }
}

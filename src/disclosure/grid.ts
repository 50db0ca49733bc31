/**
 * Integer coordinates for the cells of an additive table, so that hypercube search can walk the
 * table without building string keys: per dimension the codes present, each code's parent, the
 * siblings it is summed with and its children among them (the declared relations as far as the
 * table holds them), and a lookup from coordinates and period to the cell.
 *
 * A code may be the parent of several relations (DISAGGREGATION `_T` is the sum of the
 * citizenship codes, and of the legal-representation codes, ...). Its `children` are all of
 * them (everything below it moves with it), its `parts` the children of its first relation (one
 * way down, for carrying a move to the leaves), and a code's `siblings` the other children of the
 * relation it is a child in (its first, when several).
 */
import type { AdditiveTable } from './table.js';

/** Largest grid of every combination held as a dense array (4 bytes each: 64 MB). */
const MAX_DENSE = 16_000_000;

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
  /** Per dimension: code → child codes present, of every relation it is the parent of. */
  readonly children: readonly (readonly number[])[][];
  /** Per dimension: code → child codes present of its first relation as a parent. */
  readonly parts: readonly (readonly number[])[][];
  /** Per dimension: code → the other children present of the relation it is a child in. */
  readonly siblings: readonly (readonly number[])[][];
  private readonly radices: readonly number[];
  private readonly numeric: boolean;
  private readonly lookup = new Map<number | string, number>();
  /** When the grid of every combination is small enough: cell + 1 at each mixed-radix key (0 = none). */
  private readonly dense: Int32Array | undefined;

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
    const relations = this.dimensions.map((d, i) => {
      const present: number[][] = [];
      for (const relation of table.declared.get(d) ?? []) {
        const p = codeIndex[i]!.get(relation.parent);
        if (p === undefined) continue;
        const children = relation.children.map((c) => codeIndex[i]!.get(c)).filter((c): c is number => c !== undefined);
        if (children.length > 0) present.push([p, ...children]);
      }
      return present;
    });
    const size = (i: number) => this.codes[i]!.length;
    this.parent = relations.map((list, i) => {
      const parent = new Int32Array(size(i)).fill(-1);
      for (const [p, ...children] of list) for (const child of children) if (parent[child] === -1) parent[child] = p!;
      return parent;
    });
    this.children = relations.map((list, i) => {
      const lists: number[][] = Array.from({ length: size(i) }, () => []);
      for (const [p, ...children] of list) for (const child of children) if (!lists[p!]!.includes(child)) lists[p!]!.push(child);
      return lists;
    });
    this.parts = relations.map((list, i) => {
      const lists: number[][] = Array.from({ length: size(i) }, () => []);
      for (const [p, ...children] of list) if (lists[p!]!.length === 0) lists[p!] = children;
      return lists;
    });
    this.siblings = relations.map((list, i) => {
      const lists: (number[] | undefined)[] = Array.from({ length: size(i) }, () => undefined);
      for (const [, ...children] of list) for (const child of children) lists[child] ??= children.filter((c) => c !== child);
      return lists.map((l) => l ?? []);
    });
    // Hypercube search looks cells up by coordinates millions of times: an array indexed by the
    // mixed-radix key is several times faster than a Map, where the whole grid fits.
    const combinations = this.radices.reduce((p, r) => p * r, Math.max(1, periods.size));
    this.dense = combinations <= MAX_DENSE ? new Int32Array(combinations) : undefined;
    for (let c = 0; c < table.cells.length; c++) {
      const key = this.keyOf(this.coordinates.subarray(c * D, (c + 1) * D), this.periodOf[c]!);
      if (this.dense) this.dense[key as number] = c + 1;
      else this.lookup.set(key, c);
    }
  }

  /** The cell at these coordinates (one code index per dimension) and period; −1 when absent. */
  cellAt(coordinates: ArrayLike<number>, period: number): number {
    if (this.dense) {
      let key = period;
      for (let d = 0; d < this.radices.length; d++) key = key * this.radices[d]! + coordinates[d]!;
      return this.dense[key]! - 1;
    }
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

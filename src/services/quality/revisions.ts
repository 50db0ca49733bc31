/**
 * Revisions (ESS QPI A6, "Data revision – average size"; SIMS 2.0 S.17.2 "Data revision –
 * practice"): how much the figures changed between the vintages the public has seen. A cell
 * (series, period) has one vintage per visible release that wrote it, ranked by release
 * (visibility.ts); every vintage stays public (includeHistory, asOf), so every one counts.
 *
 * - Over the scope: P is a cell's first visible vintage, L its current one (as A6 compares the
 *   first and the latest estimate). A cell with at least two vintages is *republished*; it is
 *   *compared* when P and L both carry a value, *revised* when L ≠ P. Per unit of measure
 *   (UNIT_MEASURE: counts and rates are never averaged together), over the n compared cells:
 *   mean revision MR = Σ(L − P) / n (its sign says whether first figures ran low or high), mean
 *   absolute revision MAR = Σ|L − P| / n (unrevised cells count as 0, as in A6), and relative
 *   MAR = Σ|L − P| / Σ|L|. A cell revised and later revised back counts as unrevised.
 * - Per release: each vintage against the one it replaced (the previous vintage of the cell):
 *   cells republished, compared, revised, withdrawn, and MAR per unit.
 * - A vintage without a value (withheld by disclosure control, missing, or a withdrawal) cannot
 *   be compared: such cells are counted as not comparable, never as a revision of size 0.
 */
import type { ObservationRow } from '../../storage/repositories.js';
import type { VisibleRelease } from '../visibility.js';
import { isWithdrawal, numericValue } from './cells.js';
import { percent, type Percent, type Quantity } from './measures.js';

interface Sums {
  compared: number;
  revised: number;
  /** Σ(L − P), Σ|L − P|, Σ|L|. */
  difference: number;
  absolute: number;
  latest: number;
}

interface ReleaseSums {
  republished: number;
  withdrawn: number;
  notComparable: number;
  readonly byUnit: Map<string, Sums>;
}

const sums = (): Sums => ({ compared: 0, revised: 0, difference: 0, absolute: 0, latest: 0 });

function add(byUnit: Map<string, Sums>, unit: string, earlier: number, later: number): void {
  let s = byUnit.get(unit);
  if (!s) byUnit.set(unit, (s = sums()));
  s.compared += 1;
  if (later !== earlier) s.revised += 1;
  s.difference += later - earlier;
  s.absolute += Math.abs(later - earlier);
  s.latest += Math.abs(later);
}

/** The vintages of one scope's cells. */
export class RevisionCounter {
  republished = 0;
  notComparable = 0;
  readonly byUnit = new Map<string, Sums>();
  readonly releases = new Map<number, ReleaseSums>();

  /** A cell's visible vintages, oldest first, with the ranks of the releases that wrote them. */
  cell(unit: string, rows: readonly ObservationRow[], ranks: readonly number[]): void {
    if (rows.length < 2) return;
    this.republished += 1;
    const first = numericValue(rows[0]!);
    const current = numericValue(rows[rows.length - 1]!);
    if (first === undefined || current === undefined) this.notComparable += 1;
    else add(this.byUnit, unit, first, current);
    for (let i = 1; i < rows.length; i++) {
      let r = this.releases.get(ranks[i]!);
      if (!r) this.releases.set(ranks[i]!, (r = { republished: 0, withdrawn: 0, notComparable: 0, byUnit: new Map() }));
      if (isWithdrawal(rows[i]!)) {
        r.withdrawn += 1;
        continue;
      }
      r.republished += 1;
      const earlier = numericValue(rows[i - 1]!);
      const later = numericValue(rows[i]!);
      if (earlier === undefined || later === undefined) r.notComparable += 1;
      else add(r.byUnit, unit, earlier, later);
    }
  }
}

export interface UnitRevisions {
  /** The UNIT_MEASURE code of the cells. */
  readonly unit: string;
  readonly compared: number;
  readonly revised: number;
  /** revised / compared. */
  readonly revisedShare: Percent | null;
  /** MR = Σ(L − P) / compared, in the unit of the cells. */
  readonly meanRevision: Quantity | null;
  /** MAR = Σ|L − P| / compared, in the unit of the cells. */
  readonly meanAbsoluteRevision: Quantity | null;
  /** Σ|L − P| / Σ|L|. */
  readonly relativeMeanAbsoluteRevision: Percent | null;
}

export interface ReleaseRevisions {
  readonly release: string;
  /** Cells it wrote a value or status for that an earlier visible release had written. */
  readonly republished: number;
  /** Of those, with a value both before and now; and of those, with a different value. */
  readonly compared: number;
  readonly revised: number;
  /** Republished cells whose previous or new vintage has no value. */
  readonly notComparable: number;
  /** Cells it withdrew. */
  readonly withdrawn: number;
  readonly byUnit: readonly UnitRevisions[];
}

export interface RevisionIndicator {
  /** Cells with at least two visible vintages. */
  readonly republished: number;
  /** Of those, with a value in the first and the current vintage. */
  readonly compared: number;
  /** Of those, whose current value differs from the first. */
  readonly revised: number;
  readonly notComparable: number;
  /** First against current vintage, per unit of measure. */
  readonly byUnit: readonly UnitRevisions[];
  /** Each release against the vintages it replaced, for the releases that replaced any. */
  readonly releases: readonly ReleaseRevisions[];
}

function unitRevisions(byUnit: ReadonlyMap<string, Sums>): UnitRevisions[] {
  return [...byUnit.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([unit, s]) => ({
      unit,
      compared: s.compared,
      revised: s.revised,
      revisedShare: percent(s.revised, s.compared),
      meanRevision: s.compared ? { value: s.difference / s.compared, unit } : null,
      meanAbsoluteRevision: s.compared ? { value: s.absolute / s.compared, unit } : null,
      relativeMeanAbsoluteRevision: s.latest > 0 ? { value: (100 * s.absolute) / s.latest, unit: 'percent' } : null,
    }));
}

const total = (byUnit: ReadonlyMap<string, Sums>, field: 'compared' | 'revised') => [...byUnit.values()].reduce((n, s) => n + s[field], 0);

/** The revision indicator of a scope, its releases named (`releases`: the visible ones, ranked). */
export function revisionsOf(counter: RevisionCounter, releases: readonly VisibleRelease[]): RevisionIndicator {
  return {
    republished: counter.republished,
    compared: total(counter.byUnit, 'compared'),
    revised: total(counter.byUnit, 'revised'),
    notComparable: counter.notComparable,
    byUnit: unitRevisions(counter.byUnit),
    releases: releases.flatMap((release) => {
      const r = counter.releases.get(release.rank);
      if (!r) return [];
      return [
        {
          release: release.code,
          republished: r.republished,
          compared: total(r.byUnit, 'compared'),
          revised: total(r.byUnit, 'revised'),
          notComparable: r.notComparable,
          withdrawn: r.withdrawn,
          byUnit: unitRevisions(r.byUnit),
        },
      ];
    }),
  };
}

/**
 * Suppression share per release (SIMS 2.0 S.7 "Confidentiality", S.13 "Accuracy"): of the cells
 * a release published in the scope, how many disclosure control withheld. Counted from the
 * published rows themselves, the same for a dataflow and for one of its areas: a withheld cell
 * is stored with no value and a CONF_STATUS other than F (cells.ts); disclosure control sets A
 * on a primary suppression (a small count), D on a secondary one and C on a rate derived from a
 * suppressed count (docs/disclosure-control.md), and the counts per code say which. Over a whole
 * dataflow they equal the disclosure-control run the calendar shows for the release (cells,
 * primary + secondary + derived). Withdrawals are not cells; a cell missing at the source (no
 * value, no CONF_STATUS) is a cell, not withheld.
 */
import type { VisibleRelease } from '../visibility.js';
import { percent, type Percent } from './measures.js';

interface ReleaseCells {
  cells: number;
  withheld: number;
  readonly byStatus: Map<string, number>;
}

/** The cells each release wrote in one scope. */
export class SuppressionCounter {
  private readonly byRelease = new Map<number, ReleaseCells>();

  /**
   * A vintage (not a withdrawal) written by the release of rank `rank`, with the CONF_STATUS
   * that withholds it (cells.ts `withheldBy`), if any.
   */
  cell(rank: number, status: string | undefined): void {
    let r = this.byRelease.get(rank);
    if (!r) this.byRelease.set(rank, (r = { cells: 0, withheld: 0, byStatus: new Map() }));
    r.cells += 1;
    if (status === undefined) return;
    r.withheld += 1;
    r.byStatus.set(status, (r.byStatus.get(status) ?? 0) + 1);
  }

  of(rank: number): Readonly<ReleaseCells> | undefined {
    return this.byRelease.get(rank);
  }
}

export interface ReleaseSuppression {
  readonly release: string;
  readonly publishedAt: string;
  /** Cells it published in the scope (withdrawals excluded). */
  readonly cells: number;
  /** Of those, withheld for confidentiality. */
  readonly withheld: number;
  /** withheld / cells. */
  readonly share: Percent | null;
  /** Withheld cells per CONF_STATUS code (A primary, D secondary, C derived). */
  readonly byConfStatus: Readonly<Record<string, number>>;
}

export interface SuppressionIndicator {
  /** The visible releases that published cells in the scope, oldest first. */
  readonly releases: readonly ReleaseSuppression[];
  /** Summed over those releases (every vintage counts: each was published). */
  readonly cells: number;
  readonly withheld: number;
  readonly share: Percent | null;
}

export function suppressionOf(counter: SuppressionCounter, releases: readonly VisibleRelease[]): SuppressionIndicator {
  const out: ReleaseSuppression[] = [];
  for (const release of releases) {
    const r = counter.of(release.rank);
    if (!r) continue;
    out.push({
      release: release.code,
      publishedAt: release.announcedAt,
      cells: r.cells,
      withheld: r.withheld,
      share: percent(r.withheld, r.cells),
      byConfStatus: Object.fromEntries([...r.byStatus.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    });
  }
  const cells = out.reduce((n, r) => n + r.cells, 0);
  const withheld = out.reduce((n, r) => n + r.withheld, 0);
  return { releases: out, cells, withheld, share: percent(withheld, cells) };
}

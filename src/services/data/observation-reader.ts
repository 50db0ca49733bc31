/**
 * The one reader of observations, for every surface (the SDMX data writers through assembly.ts,
 * the JSON data API through json-api-body.ts, later GraphQL and the portal). It owns the page
 * loop and the "current value" rule:
 *
 * - Storage pages of whole series (cut by pages.ts) are read one query each, lazily: a page is
 *   read when the consumer pulls past the previous one, so memory is bounded by a page.
 * - Per (series, period) the vintage of the highest-ranked release read is the value, unless
 *   that vintage withdrew it (skipped, or kept and marked for permalinks). Over one release's
 *   rows alone every row is its own vintage: that is how a release's own rows are read.
 * - Each value is the stored row itself: `row[1]` names the release that wrote it, `row[5] === 1`
 *   marks a withdrawal. Rows stay the tuples storage returns (no object per row).
 * - updatedAfter (values of releases announced after an instant), the observation filters and
 *   firstN/lastN (the first N, then the last N of those) apply to that value, in that order.
 */
import type { DataRepository, ObservationRow, StoredSeries } from '../../storage/repositories.js';
import type { VisibleRelease } from '../visibility.js';
import type { ObservationTest } from './selection.js';

/** A release whose rows are read: its rank (higher = later) and the instant it was announced. */
export type ReadRelease = Pick<VisibleRelease, 'pk' | 'rank' | 'announcedAt'>;

export interface ObservationRead {
  /** The series to read, in the order they come out, cut into storage pages (pages.ts `paginate`). */
  readonly pages: Iterable<readonly StoredSeries[]>;
  /** The releases whose rows are read. */
  readonly releases: readonly ReadRelease[];
  readonly test: ObservationTest;
  /**
   * `skip` (the default): a withdrawn value is no value. `keep`: the withdrawal comes out, marked
   * by its row (`row[5] === 1`), as a permalink to one release shows what it withdrew.
   */
  readonly withdrawals?: 'skip' | 'keep';
  /** Keep only values written by a release announced after this instant (REST updatedAfter). */
  readonly changedAfter?: string;
  readonly firstN?: number;
  readonly lastN?: number;
  /**
   * Also give, per value, every vintage of its (series, period) the releases read hold, oldest
   * release first, the value's own included (GraphQL's `history`). A withdrawn vintage is kept in
   * the list, marked by its row; only visible releases are read, so history never shows more.
   */
  readonly vintages?: boolean;
}

/** A series with its values: one row per period, in period order, as storage holds it. */
export interface SeriesRows {
  readonly series: StoredSeries;
  readonly rows: readonly ObservationRow[];
  /** With `vintages`: for each of `rows`, its (series, period)'s vintages, oldest release first. */
  readonly vintages?: readonly (readonly ObservationRow[])[];
}

/** The series with at least one value, in page order; nothing is read before the first pull. */
export function* readSeries(data: DataRepository, read: ObservationRead): Generator<SeriesRows> {
  const values = new CurrentValues(read);
  for (const page of read.pages) {
    for (const rows of data.scanRows(values.scanOf(page))) yield* values.of(page, rows);
  }
}

/**
 * The same, one array per storage page (for views that regroup within a page: cross-sections,
 * whose groups pages.ts never splits). A page's series are in memory together anyway.
 */
export function* readPages(data: DataRepository, read: ObservationRead): Generator<SeriesRows[]> {
  const values = new CurrentValues(read);
  for (const page of read.pages) {
    const out: SeriesRows[] = [];
    for (const rows of data.scanRows(values.scanOf(page))) for (const s of values.of(page, rows)) out.push(s);
    yield out;
  }
}

/** The rule applied to the rows of one page, with what it needs made once per read. */
class CurrentValues {
  private readonly releasePks: readonly number[];
  private readonly rankOf: ReadonlyMap<number, number>;
  private readonly announcedAtOf: ReadonlyMap<number, string>;

  constructor(private readonly read: ObservationRead) {
    this.releasePks = read.releases.map((r) => r.pk);
    this.rankOf = new Map(read.releases.map((r) => [r.pk, r.rank]));
    this.announcedAtOf = new Map(read.releases.map((r) => [r.pk, r.announcedAt]));
  }

  scanOf(page: readonly StoredSeries[]) {
    const { test } = this.read;
    return {
      pages: [page.map((s) => s.pk)],
      releasePks: this.releasePks,
      periodEndFrom: test.periodEndFrom,
      periodStartTo: test.periodStartTo,
      withPeriods: !test.isTrivial,
    };
  }

  /** Rows come in the page's series order, each series' rows by period, then by release. */
  *of(page: readonly StoredSeries[], rows: readonly ObservationRow[]): Generator<SeriesRows> {
    const { test, changedAfter, firstN, lastN } = this.read;
    const { rankOf, announcedAtOf } = this;
    const keepWithdrawn = this.read.withdrawals === 'keep';
    // One release: every (series, period) has one row, there is nothing to rank.
    const single = rankOf.size === 1;
    let s = 0;
    let i = 0;
    const withVintages = this.read.vintages === true;
    while (i < rows.length) {
      const seriesPk = rows[i]![0];
      const values: ObservationRow[] = [];
      const vintages: (readonly ObservationRow[])[] = [];
      while (i < rows.length && rows[i]![0] === seriesPk) {
        const from = i;
        let best = rows[i]!;
        let j = i + 1;
        // Vintages of one (series, period) are adjacent: the highest-ranked release wins.
        while (j < rows.length && rows[j]![0] === seriesPk && rows[j]![2] === best[2]) {
          if (!single && (rankOf.get(rows[j]![1]) ?? -1) > (rankOf.get(best[1]) ?? -1)) best = rows[j]!;
          j += 1;
        }
        i = j;
        if (best[5] === 1 && !keepWithdrawn) continue;
        if (changedAfter !== undefined && (announcedAtOf.get(best[1]) ?? '') <= changedAfter) continue;
        if (!test.isTrivial) {
          const row = best;
          if (!test.accepts(row, () => parseAttributes(row[4]))) continue;
        }
        values.push(best);
        if (withVintages) vintages.push(rows.slice(from, j).sort((a, b) => (rankOf.get(a[1]) ?? -1) - (rankOf.get(b[1]) ?? -1)));
      }
      if (values.length === 0) continue;
      while (s < page.length && page[s]!.pk !== seriesPk) s += 1;
      if (s === page.length) throw new Error(`row of series ${seriesPk} outside its page`);
      if (withVintages) yield { series: page[s]!, ...limitWithVintages(values, vintages, firstN, lastN) };
      else yield { series: page[s]!, rows: limit(values, firstN, lastN) };
    }
  }
}

/** firstN and lastN both given: the first N, then the last N of those kept (REST 1.5 4_4). */
function limit(rows: ObservationRow[], firstN?: number, lastN?: number): ObservationRow[] {
  let out = rows;
  if (firstN !== undefined && out.length > firstN) out = out.slice(0, firstN);
  if (lastN !== undefined && out.length > lastN) out = out.slice(out.length - lastN);
  return out;
}

/** `limit` over the values, their vintages kept beside them. */
function limitWithVintages(
  rows: ObservationRow[],
  vintages: (readonly ObservationRow[])[],
  firstN?: number,
  lastN?: number,
): { rows: ObservationRow[]; vintages: (readonly ObservationRow[])[] } {
  const kept = limit(rows, firstN, lastN);
  if (kept === rows) return { rows, vintages };
  const start = rows.indexOf(kept[0]!);
  return { rows: kept, vintages: vintages.slice(start, start + kept.length) };
}

export const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A row's attributes (stored as JSON object text). Sets repeat endlessly (`{"OBS_STATUS":"A"}`
 * on most rows), so parsed sets are shared (frozen) instead of parsed per row: far less garbage
 * on large exports.
 */
const parsedAttributes = new Map<string, Readonly<Record<string, string>>>();
const MAX_SHARED_ATTRIBUTE_SETS = 20_000;

export function parseAttributes(text: string): Readonly<Record<string, string>> {
  if (text === '{}') return NO_ATTRIBUTES;
  let parsed = parsedAttributes.get(text);
  if (!parsed) {
    parsed = Object.freeze(JSON.parse(text) as Record<string, string>);
    if (parsedAttributes.size >= MAX_SHARED_ATTRIBUTE_SETS) parsedAttributes.clear();
    parsedAttributes.set(text, parsed);
  }
  return parsed;
}

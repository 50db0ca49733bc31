/**
 * The order series are written in and the storage pages they are read in: time series by key,
 * cross-sections grouped by the other dimensions; pages of whole series of about PAGE_ROWS rows,
 * a cross-section group never split across pages (it is regrouped within its page).
 */
import type { StoredSeries } from '../../storage/repositories.js';
import { compareText } from './flow-views.js';

/**
 * Rows per page read from storage: enough to amortise a query, few enough that a page's objects
 * die young (larger pages measurably raise peak RSS on large exports; docs/performance.md).
 */
export const PAGE_ROWS = 1000;

/**
 * Time series by key; cross-sections grouped by the other dimensions, then by key. The catalogue
 * is kept in key order, so time series usually come in order already and are not copied.
 */
export function orderSeries(series: readonly StoredSeries[], crossAt: string | undefined): readonly StoredSeries[] {
  if (!crossAt && inKeyOrder(series)) return series;
  const sortKey = crossAt ? (s: StoredSeries) => `${groupKey(s, crossAt)}\u0000${s.key}` : (s: StoredSeries) => s.key;
  return series
    .map((s) => [sortKey(s), s] as const)
    .sort(([a], [b]) => compareText(a, b))
    .map(([, s]) => s);
}

function inKeyOrder(series: readonly StoredSeries[]): boolean {
  for (let i = 1; i < series.length; i++) if (series[i - 1]!.key > series[i]!.key) return false;
  return true;
}

function groupKey(s: StoredSeries, crossAt: string): string {
  return Object.entries(s.dimensions)
    .filter(([id]) => id !== crossAt)
    .map(([, code]) => code)
    .join('.');
}

/** Consecutive series up to PAGE_ROWS rows a page; cross-section groups never straddle pages. */
export function paginate(series: readonly StoredSeries[], rowCounts: ReadonlyMap<number, number>, crossAt: string | undefined): StoredSeries[][] {
  return [...pagesOf(series.length, (i) => series[i]!, rowCounts, crossAt)];
}

/**
 * The same pages of the `count` series `at` gives in order, cut as they are pulled: a reader that
 * stops early (one page of an API answer) never cuts, nor copies, the rest.
 */
export function* pagesOf(
  count: number,
  at: (index: number) => StoredSeries,
  rowCounts: ReadonlyMap<number, number>,
  crossAt: string | undefined,
): Generator<StoredSeries[]> {
  let page: StoredSeries[] = [];
  let rows = 0;
  for (let i = 0; i < count; i++) {
    const s = at(i);
    page.push(s);
    rows += rowCounts.get(s.pk) ?? 0;
    const boundary = !crossAt || i + 1 === count || groupKey(at(i + 1), crossAt) !== groupKey(s, crossAt);
    if (rows >= PAGE_ROWS && boundary) {
      yield page;
      page = [];
      rows = 0;
    }
  }
  if (page.length) yield page;
}

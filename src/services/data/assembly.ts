/**
 * Observation rows → SDMX series, streaming. Rows arrive page by page (whole series per page,
 * each series' rows by period then release); for each (series, period) the vintage of the
 * highest-ranked release is the value, unless it withdrew it. Filters, firstN/lastN and the
 * attribute selection apply to that value. Three views come out of the same rows: time series,
 * cross-sections at another dimension, and the flat AllDimensions view (cut into pieces so no
 * single pseudo-series holds the whole result).
 */
import type { Observation, Series } from '../../sdmx/data/model.js';
import type { ObservationRow, StoredSeries } from '../../storage/repositories.js';
import type { ObservationTest } from './selection.js';

export interface AssemblyOptions {
  readonly test: ObservationTest;
  /** Rank of each release the rows may come from (higher = later). */
  readonly rankOf: ReadonlyMap<number, number>;
  /** Keep only values whose release was announced after this instant (REST updatedAfter). */
  readonly changedAfter?: string;
  readonly announcedAtOf: ReadonlyMap<number, string>;
  readonly firstN?: number;
  readonly lastN?: number;
  /** Which observation attributes to carry; undefined = none (dataonly, serieskeysonly). */
  readonly keepAttribute?: (id: string) => boolean;
  /** keepAttribute accepts every id: the parsed set is passed on as it is. */
  readonly keepsAllAttributes?: boolean;
  /** Keep withdrawn values, marked, instead of skipping them (history data sets). */
  readonly withDeletions?: boolean;
}

/** One page read from storage: the series it was asked for and their rows. */
export interface RowPage {
  readonly series: readonly StoredSeries[];
  readonly rows: readonly ObservationRow[];
}

export interface SeriesObservations {
  readonly series: StoredSeries;
  readonly observations: Observation[];
}

const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Attribute sets repeat endlessly (`{"OBS_STATUS":"A"}` on most rows), so parsed sets are shared
 * (frozen) instead of parsed per row: far less garbage on large exports.
 */
const parsedAttributes = new Map<string, Readonly<Record<string, string>>>();
const MAX_SHARED_ATTRIBUTE_SETS = 20_000;

function parseAttributes(text: string): Readonly<Record<string, string>> {
  if (text === '{}') return NO_ATTRIBUTES;
  let parsed = parsedAttributes.get(text);
  if (!parsed) {
    parsed = Object.freeze(JSON.parse(text) as Record<string, string>);
    if (parsedAttributes.size >= MAX_SHARED_ATTRIBUTE_SETS) parsedAttributes.clear();
    parsedAttributes.set(text, parsed);
  }
  return parsed;
}

/**
 * The current observations of each series, series by series, in page order. Rows stay the
 * storage tuples (see ObservationRow): per row only the Observation written out is allocated.
 */
export function* currentObservations(pages: Iterable<RowPage>, o: AssemblyOptions): Generator<SeriesObservations> {
  const { rankOf, test, keepAttribute, changedAfter } = o;
  const keepsAll = o.keepsAllAttributes === true;
  const withDeletions = o.withDeletions === true;
  const single = rankOf.size === 1;
  for (const { series: pageSeries, rows } of pages) {
    // Rows come in the page's series order: the series is found by walking along the page.
    let cursor = 0;
    const seriesOf = (pk: number): StoredSeries | undefined => {
      for (let tries = 0; tries < pageSeries.length; tries++, cursor = (cursor + 1) % pageSeries.length) {
        if (pageSeries[cursor]!.pk === pk) return pageSeries[cursor];
      }
      return undefined;
    };
    let i = 0;
    while (i < rows.length) {
      const seriesPk = rows[i]![0];
      const observations: Observation[] = [];
      while (i < rows.length && rows[i]![0] === seriesPk) {
        let best = rows[i]!;
        let j = i + 1;
        // Vintages of one (series, period) are adjacent: the highest-ranked release wins.
        while (j < rows.length && rows[j]![0] === seriesPk && rows[j]![2] === best[2]) {
          if (!single && (rankOf.get(rows[j]![1]) ?? -1) > (rankOf.get(best[1]) ?? -1)) best = rows[j]!;
          j += 1;
        }
        i = j;
        const deleted = best[5] === 1;
        if (deleted && !withDeletions) continue;
        if (changedAfter !== undefined && (o.announcedAtOf.get(best[1]) ?? '') <= changedAfter) continue;
        let parsed: Readonly<Record<string, string>> | undefined;
        if (!test.isTrivial) {
          const row = best;
          if (!test.accepts(row, () => (parsed ??= parseAttributes(row[4])))) continue;
        }
        const attributes = keepAttribute ? selectAttributes(parsed ?? parseAttributes(best[4]), keepAttribute, keepsAll) : NO_ATTRIBUTES;
        observations.push({ at: best[2], value: deleted ? null : best[3], attributes });
      }
      if (observations.length === 0) continue;
      const series = seriesOf(seriesPk);
      if (!series) continue;
      yield { series, observations: limit(observations, o.firstN, o.lastN) };
    }
  }
}

function selectAttributes(attrs: Readonly<Record<string, string>>, keep: (id: string) => boolean, keepsAll: boolean): Readonly<Record<string, string>> {
  if (keepsAll) return attrs;
  const out: Record<string, string> = {};
  let any = false;
  for (const k in attrs) {
    if (keep(k)) {
      out[k] = attrs[k]!;
      any = true;
    }
  }
  return any ? out : NO_ATTRIBUTES;
}

/** firstN and lastN both given: the first N, then the last N of those kept (REST 1.5 4_4). */
function limit(obs: Observation[], firstN?: number, lastN?: number): Observation[] {
  let out = obs;
  if (firstN !== undefined && out.length > firstN) out = out.slice(0, firstN);
  if (lastN !== undefined && out.length > lastN) out = out.slice(out.length - lastN);
  return out;
}

/** Time series view: one SDMX series per stored series. */
export function* timeSeries(source: Iterable<SeriesObservations>): Generator<Series> {
  for (const { series, observations } of source) {
    yield { key: series.dimensions, attributes: NO_ATTRIBUTES, observations };
  }
}

/**
 * Cross-sectional view at dimension `at`: series keyed by the other dimensions and the time
 * period. Pages hold whole groups (see the data service), so regrouping stays within a page.
 */
export function* crossSections(
  pages: Iterable<SeriesObservations[]>,
  at: string,
  timeId: string,
): Generator<Series> {
  for (const page of pages) {
    const groups = new Map<string, { key: Record<string, string>; period: string; observations: Observation[] }>();
    for (const { series, observations } of page) {
      const others: Record<string, string> = {};
      for (const [id, code] of Object.entries(series.dimensions)) if (id !== at) others[id] = code;
      const base = JSON.stringify(others);
      for (const obs of observations) {
        const id = `${base}|${obs.at}`;
        let g = groups.get(id);
        if (!g) groups.set(id, (g = { key: { ...others, [timeId]: obs.at! }, period: obs.at!, observations: [] }));
        g.observations.push({ at: series.dimensions[at], value: obs.value, attributes: obs.attributes });
      }
    }
    // Groups of one page come in key order, then period order.
    const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, g] of ordered) yield { key: g.key, attributes: NO_ATTRIBUTES, observations: g.observations };
  }
}

/** Flat view: pseudo-series with an empty key, at most `piece` observations each. */
export function* flatView(source: Iterable<SeriesObservations>, timeId: string, piece = 1000): Generator<Series> {
  let batch: Observation[] = [];
  for (const { series, observations } of source) {
    for (const obs of observations) {
      batch.push({ dimensions: { ...series.dimensions, [timeId]: obs.at! }, value: obs.value, attributes: obs.attributes });
      if (batch.length >= piece) {
        yield { key: {}, attributes: NO_ATTRIBUTES, observations: batch };
        batch = [];
      }
    }
  }
  if (batch.length) yield { key: {}, attributes: NO_ATTRIBUTES, observations: batch };
}

/**
 * Current values → SDMX series, streaming. The values come from observation-reader.ts (the page
 * loop, the vintage rule, withdrawals, filters, updatedAfter and firstN/lastN are applied there);
 * here each value becomes an Observation with the attributes the query asks for. Three views come
 * out of them: time series, cross-sections at another dimension, and the flat AllDimensions view
 * (cut into pieces so no single pseudo-series holds the whole result).
 */
import type { Observation, Series } from '../../sdmx/data/model.js';
import type { StoredSeries } from '../../storage/repositories.js';
import { NO_ATTRIBUTES, parseAttributes, type SeriesRows } from './observation-reader.js';

export interface AssemblyOptions {
  /** Which observation attributes to carry; undefined = none (dataonly, serieskeysonly). */
  readonly keepAttribute?: (id: string) => boolean;
  /** keepAttribute accepts every id: the parsed set is passed on as it is. */
  readonly keepsAllAttributes?: boolean;
}

export interface SeriesObservations {
  readonly series: StoredSeries;
  readonly observations: Observation[];
}

/**
 * Each series' values as Observations (a withdrawal, when the read keeps them, has no value). Rows
 * stay the storage tuples up to here: per row only the Observation written out is allocated.
 */
export function* observationsOf(source: Iterable<SeriesRows>, o: AssemblyOptions): Generator<SeriesObservations> {
  const { keepAttribute } = o;
  const keepsAll = o.keepsAllAttributes === true;
  for (const { series, rows } of source) {
    const observations: Observation[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const attributes = keepAttribute ? selectAttributes(parseAttributes(row[4]), keepAttribute, keepsAll) : NO_ATTRIBUTES;
      observations.push({ at: row[2], value: row[5] === 1 ? null : row[3], attributes });
    }
    yield { series, observations };
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

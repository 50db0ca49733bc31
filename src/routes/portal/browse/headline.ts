/**
 * The headline figures of one area in one dataflow, for the area's page: the area's series with
 * every other dimension at its total (`_T`) where the area's series hold a total beside other
 * codes, and of each such series the latest period's values (count, rate, percentage side by
 * side), read through the JSON API's own service with exactly the filters the explorer link
 * carries, so the page, `/api/v1/dataflows/{id}/observations?<filters>` and the explorer view
 * show the same figures.
 *
 * Cost: the area's series are matched in the dataflow's view without reading a value (the
 * series walk), and only the few headline series are read; a dataflow where the headline is still
 * many series (every offence, every indicator…) is summarised by its count and the link.
 */
import type { Cell, ObservationsApi, UnitColumn } from '../../../services/data/observations.js';
import { UNIT_DIMENSION } from '../../../services/data/observations.js';
import { parseObservationsRequest } from '../../../services/data/observations-query.js';
import { periodRange } from '../../../sdmx/time-period.js';
import { apiQueryOf, TOTAL_CODE } from '../explore/view-state.js';
import type { PortalLanguage } from '../i18n.js';
import { AREA_DIMENSION, type PublicFlow } from './public-facts.js';

/** Headline series shown as a table; a dataflow with more is summarised by the count and the link. */
export const MAX_HEADLINE_SERIES = 12;

export interface HeadlineRow {
  /** The series key without its unit, as the JSON API's rows name it. */
  readonly key: string;
  /** Labels of the dimensions that differ between the rows shown. */
  readonly labels: readonly string[];
  readonly period: string;
  /** Value field (count, rate…) → its cell. */
  readonly cells: ReadonlyMap<string, Cell>;
}

export interface Headline {
  /** The explorer's and the JSON API's filters of the headline series (`REF_AREA=MEX&SEX=_T…`). */
  readonly query: string;
  /** Dimensions set to their total, by name. */
  readonly totals: readonly string[];
  /** The area's series in all, and the headline series among them. */
  readonly areaSeries: number;
  readonly headlineSeries: number;
  /** The dimensions that differ between the rows (their names head the first column). */
  readonly varying: readonly string[];
  readonly units: readonly UnitColumn[];
  /** The latest values of each headline series; null when there are too many series to list. */
  readonly rows: readonly HeadlineRow[] | null;
}

const everything = Number.MAX_SAFE_INTEGER;

/** The headline of `area` in a dataflow known to hold data for it. */
export function headlineOf(observations: ObservationsApi, flow: PublicFlow, area: string, lang: PortalLanguage): Headline {
  const areaQuery = `${AREA_DIMENSION}=${encodeURIComponent(area)}`;
  const walk = observations.answer({ ...parseObservationsRequest(flow.ref, `${areaQuery}&lang=${lang}`, undefined, undefined), walk: 'series', limit: undefined }, areaQuery);
  const series = walk.seriesPage(everything).series;
  const dimensions = walk.dimensions.filter((d) => d.id !== AREA_DIMENSION);

  // A total is chosen where the area's series hold it beside other codes (a lone code needs no filter).
  const filters = new Map<string, string[]>([[AREA_DIMENSION, [area]]]);
  const totals: string[] = [];
  for (const d of dimensions) {
    const codes = new Set(series.map((s) => s.dimensions[d.id]));
    if (codes.size > 1 && codes.has(TOTAL_CODE)) {
      filters.set(d.id, [TOTAL_CODE]);
      totals.push(d.name ?? d.id);
    }
  }
  const headline = series.filter((s) => [...filters].every(([id, codes]) => codes.includes(s.dimensions[id]!)));
  const keyOf = (codes: Readonly<Record<string, string>>) => walk.dimensions.map((d) => codes[d.id] ?? '').join('.');
  const keys = new Set(headline.map((s) => keyOf(s.dimensions)));
  const query = apiQueryOf({ filters, dir: 'asc', page: 1, defaulted: false });
  const base = { query, totals, areaSeries: new Set(series.map((s) => keyOf(s.dimensions))).size, headlineSeries: keys.size };
  if (keys.size > MAX_HEADLINE_SERIES || keys.size === 0) return { ...base, varying: [], units: [], rows: keys.size ? null : [] };

  // The rows as the JSON API gives them for the same filters; the latest period of each series kept.
  const answer = observations.answer({ ...parseObservationsRequest(flow.ref, `${query}&lang=${lang}`, undefined, undefined), limit: undefined }, query);
  const units = answer.units();
  const latest = new Map<string, { period: string; end: string; codes: Readonly<Record<string, string>>; cells: Map<string, Cell> }>();
  for (const row of answer.rows()) {
    const end = periodRange(row.period)?.end ?? row.period;
    const known = latest.get(row.key);
    if (known && known.end >= end) continue;
    const cells = new Map<string, Cell>();
    for (const u of units) {
      const cell = answer.cell(row, u.unit);
      if (cell) cells.set(u.field, cell);
    }
    latest.set(row.key, { period: row.period, end, codes: row.series.dimensions, cells });
  }
  const kept = [...latest.entries()];
  const varying = answer.dimensions.filter((d) => d.id !== UNIT_DIMENSION && new Set(kept.map(([, r]) => r.codes[d.id])).size > 1);
  // Rows in codelist order (the ICCS's order of offences, the indicators' own order), as the catalogue lists codes.
  const orders = varying.map((d) => new Map((flow.detail.dimensions.find((x) => x.id === d.id)?.codes ?? []).map((c, i) => [c.id, i])));
  const rank = (codes: Readonly<Record<string, string>>) => varying.map((d, i) => orders[i]!.get(codes[d.id] ?? '') ?? Number.MAX_SAFE_INTEGER);
  const rows = kept
    .map(([key, r]) => ({ key, period: r.period, cells: r.cells, rank: rank(r.codes), labels: varying.map((d) => answer.dimensionLabel(d.id, r.codes[d.id] ?? '') ?? r.codes[d.id] ?? '') }))
    .sort((a, b) => {
      for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
      return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    })
    .map(({ rank: _, ...row }) => row);
  return { ...base, varying: varying.map((d) => d.name ?? d.id), units, rows };
}

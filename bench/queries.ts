/**
 * What the benchmark asks: three typical data queries on real (not synthetic) data, each as an
 * SDMX REST path and as a people's JSON API path for the server, and the equivalent baseline
 * route, and the formats they are asked in. Keys are real series of the demo data.
 */
import type { KeyFilter } from './baseline-sql.js';

export interface BenchQuery {
  readonly name: string;
  /** SDMX REST 2.1 data path on the server. */
  readonly sdmxPath: string;
  /** The same selection in the people's JSON API (/api/v1/dataflows/{id}/observations); for a whole dataflow, its first page. */
  readonly jsonPath: string;
  readonly dataflow: string;
  readonly filter: KeyFilter;
}

export interface BenchFormat {
  readonly name: string;
  readonly accept: string;
  /** Observations in a response body of this format. */
  count(body: string): number;
}

export const QUERIES: readonly BenchQuery[] = [
  {
    name: 'one series (homicide, Mexico)',
    sdmxPath: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX.VIC_HOM.0101._T._T._T.NR',
    jsonPath: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=MEX&INDICATOR=VIC_HOM&OFFENCE=0101&SEX=_T&AGE=_T&DISAGGREGATION=_T&UNIT_MEASURE=NR',
    dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)',
    filter: { kind: 'series', key: 'A.MEX.VIC_HOM.0101._T._T._T.NR' },
  },
  {
    name: 'one country, all indicators (prisons, Sweden)',
    sdmxPath: '/sdmx/2.1/data/UNODC,DF_CTS_PRISONS,1.0/A.SWE......',
    jsonPath: '/api/v1/dataflows/DF_CTS_PRISONS/observations?REF_AREA=SWE&limit=10000',
    dataflow: 'UNODC:DF_CTS_PRISONS(1.0)',
    filter: { kind: 'area', area: 'SWE' },
  },
  {
    name: 'whole dataflow (homicide)',
    sdmxPath: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/all',
    jsonPath: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations',
    dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)',
    filter: { kind: 'all' },
  },
];

interface Json10Data {
  data: { dataSets: { series?: Record<string, { observations?: Record<string, unknown> }> }[] };
}

export const FORMATS: readonly BenchFormat[] = [
  {
    name: 'SDMX-JSON 1.0',
    accept: 'application/vnd.sdmx.data+json;version=1.0.0',
    count: (body) =>
      (JSON.parse(body) as Json10Data).data.dataSets.reduce(
        (n, ds) => n + Object.values(ds.series ?? {}).reduce((m, s) => m + Object.keys(s.observations ?? {}).length, 0),
        0,
      ),
  },
  {
    name: 'SDMX-CSV 1.0',
    accept: 'application/vnd.sdmx.data+csv;version=1.0.0',
    // One line per observation after the header; values hold no line breaks in this data.
    count: (body) => body.split('\n').filter((line) => line.length > 0).length - 1,
  },
];

interface JsonApiPage {
  rows: { values: Record<string, unknown> }[];
}

/**
 * The people's JSON API: one row per series key and period without the unit, its values (count,
 * rate, percentage) side by side; an observation is one of those values.
 */
export const JSON_API_FORMAT: BenchFormat = {
  name: "people's JSON API",
  accept: 'application/json',
  count: (body) => (JSON.parse(body) as JsonApiPage).rows.reduce((n, row) => n + Object.keys(row.values).length, 0),
};

/** What the baseline answers for every format: the rows as one JSON array. */
export const BASELINE_FORMAT = 'JSON.stringify(rows) (one JSON array of key, period, value, attributes), for every format';

/** The baseline route for a query; `limit` keeps the first rows only (a page of a whole dataflow). */
export function baselinePath(q: BenchQuery, limit?: number): string {
  const params = new URLSearchParams({ dataflow: q.dataflow });
  if (q.filter.kind === 'series') params.set('key', q.filter.key);
  if (q.filter.kind === 'area') params.set('area', q.filter.area);
  if (limit !== undefined) params.set('limit', String(limit));
  return `/baseline/${q.filter.kind}?${params}`;
}

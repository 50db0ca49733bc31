/**
 * What the benchmark asks: three typical data queries on real (not synthetic) data, each as an
 * SDMX REST path, as a people's JSON API path and as a GraphQL request for the server, and the
 * equivalent baseline route, and the formats they are asked in. Keys are real series of the demo
 * data.
 */
import { createHash } from 'node:crypto';
import type { KeyFilter } from './baseline-sql.js';

export interface BenchQuery {
  readonly name: string;
  /** SDMX REST 2.1 data path on the server. */
  readonly sdmxPath: string;
  /** The same selection in the people's JSON API (/api/v1/dataflows/{id}/observations); for a whole dataflow, its first page. */
  readonly jsonPath: string;
  readonly dataflow: string;
  readonly filter: KeyFilter;
  /** The same selection as a GraphQL request (POST body; persisted GET with graphqlGetPath). */
  readonly graphql: GraphqlRequest;
}

/** A GraphQL request: the query text and its variables. */
export interface GraphqlRequest {
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
}

export interface BenchFormat {
  readonly name: string;
  readonly accept: string;
  /** Observations in a response body of this format. */
  count(body: string): number;
}

/** The dimensions of a DSD_CTS series key, in key order (the time dimension is not in the key). */
const KEY_DIMENSIONS = ['FREQ', 'REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'UNIT_MEASURE'] as const;

/**
 * The GraphQL query of every row: a page of series with the key and, per observation, the period
 * and the value, what the baseline's rows hold (less the attributes, which GraphQL gives in words
 * only when asked for flags). totalCount tells whether the page is the whole selection.
 */
export const GRAPHQL_QUERY =
  'query($flow: ID!, $filter: SeriesFilter, $first: Int) { series(dataflow: $flow, filter: $filter, first: $first) { totalCount nodes { key observations { period value } } } }';

/** Series per GraphQL page in the bench: the most the server gives (MAX_SERIES_PAGE), what a client reading a whole dataflow asks for. */
export const GRAPHQL_FIRST = 500;

/**
 * The GraphQL request selecting what `filter` selects in `dataflow`: one series = every dimension
 * of its key fixed (FREQ included: the exact SDMX key), one area = REF_AREA, all = no filter. At
 * most `first` series: the first page, in key order, of what matches.
 */
export function graphqlRequest(dataflow: string, filter: KeyFilter, first = GRAPHQL_FIRST): GraphqlRequest {
  const codes =
    filter.kind === 'series'
      ? filter.key.split('.').map((code, i) => ({ dimension: KEY_DIMENSIONS[i]!, codes: [code] }))
      : filter.kind === 'area'
        ? [{ dimension: 'REF_AREA', codes: [filter.area] }]
        : undefined;
  if (codes && codes.length !== (filter.kind === 'series' ? KEY_DIMENSIONS.length : 1)) throw new Error(`not a DSD_CTS key: ${JSON.stringify(filter)}`);
  return { query: GRAPHQL_QUERY, variables: { flow: dataflow, ...(codes ? { filter: { dimensions: codes } } : {}), first } };
}

function query(q: Omit<BenchQuery, 'graphql'>): BenchQuery {
  return { ...q, graphql: graphqlRequest(q.dataflow, q.filter) };
}

export const QUERIES: readonly BenchQuery[] = [
  query({
    name: 'one series (homicide, Mexico)',
    sdmxPath: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX.VIC_HOM.0101._T._T._T.NR',
    jsonPath: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=MEX&INDICATOR=VIC_HOM&OFFENCE=0101&SEX=_T&AGE=_T&DISAGGREGATION=_T&UNIT_MEASURE=NR',
    dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)',
    filter: { kind: 'series', key: 'A.MEX.VIC_HOM.0101._T._T._T.NR' },
  }),
  query({
    // 112 series: one GraphQL page of 500 holds them all (the run checks totalCount).
    name: 'one country, all indicators (prisons, Sweden)',
    sdmxPath: '/sdmx/2.1/data/UNODC,DF_CTS_PRISONS,1.0/A.SWE......',
    jsonPath: '/api/v1/dataflows/DF_CTS_PRISONS/observations?REF_AREA=SWE&limit=10000',
    dataflow: 'UNODC:DF_CTS_PRISONS(1.0)',
    filter: { kind: 'area', area: 'SWE' },
  }),
  query({
    // 1300 series: GraphQL's first page holds the first 500 in key order.
    name: 'whole dataflow (homicide)',
    sdmxPath: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/all',
    jsonPath: '/api/v1/dataflows/DF_CTS_HOMICIDE/observations',
    dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)',
    filter: { kind: 'all' },
  }),
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

interface GraphqlAnswer {
  data?: { series?: { totalCount: number; nodes: { key: string; observations: { period: string; value: number | null }[] }[] } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** A GraphQL answer's page: its observations as `key period=value` (value '' when null), its series and how many match in all. */
export function graphqlPage(body: string): { observations: string[]; series: number; totalCount: number } {
  const answer = JSON.parse(body) as GraphqlAnswer;
  const page = answer.data?.series;
  if (answer.errors?.length || !page) throw new Error(`GraphQL answered errors: ${JSON.stringify(answer.errors ?? answer).slice(0, 500)}`);
  const observations = page.nodes.flatMap((s) => s.observations.map((o) => `${s.key} ${o.period}=${o.value ?? ''}`));
  return { observations, series: page.nodes.length, totalCount: page.totalCount };
}

/** GraphQL (the series connection): an observation is one period of a series key, its value. An answer with errors is not counted: it throws. */
export const GRAPHQL_FORMAT: BenchFormat = {
  name: 'GraphQL',
  accept: 'application/json',
  count: (body) => graphqlPage(body).observations.length,
};

/** Where the server answers GraphQL (POST and GET). */
export const GRAPHQL_ENDPOINT = '/graphql';

/** The hex SHA-256 of a query: its name in Apollo's automatic persisted queries. */
export function persistedQueryHash(query: string): string {
  return createHash('sha256').update(query).digest('hex');
}

/** The POST body that runs a request and registers its query for persisted GETs (query and hash together). */
export function graphqlRegisterBody(r: GraphqlRequest): string {
  return JSON.stringify({ query: r.query, variables: r.variables, extensions: { persistedQuery: { version: 1, sha256Hash: persistedQueryHash(r.query) } } });
}

/** The persisted GET of a registered request: the query by its hash, the variables URL-encoded (a short, cacheable URL). */
export function graphqlGetPath(r: GraphqlRequest): string {
  const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: persistedQueryHash(r.query) } });
  return `${GRAPHQL_ENDPOINT}?extensions=${encodeURIComponent(extensions)}&variables=${encodeURIComponent(JSON.stringify(r.variables))}`;
}

/** What the baseline answers for every format: the rows as one JSON array. */
export const BASELINE_FORMAT = 'JSON.stringify(rows) (one JSON array of key, period, value, attributes), for every format';

/**
 * The baseline route for a query. `limit` keeps the first rows only (a page of the JSON API's
 * whole dataflow); `series` keeps the rows of the first N matching series only, in key order (a
 * page of GraphQL's series connection).
 */
export function baselinePath(q: BenchQuery, page: { limit?: number; series?: number } = {}): string {
  const params = new URLSearchParams({ dataflow: q.dataflow });
  if (q.filter.kind === 'series') params.set('key', q.filter.key);
  if (q.filter.kind === 'area') params.set('area', q.filter.area);
  if (page.limit !== undefined) params.set('limit', String(page.limit));
  if (page.series !== undefined) params.set('series', String(page.series));
  return `/baseline/${q.filter.kind}?${params}`;
}

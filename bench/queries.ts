/**
 * What the benchmark asks: three typical data queries on real (not synthetic) data, each as an
 * SDMX REST path for the server and the equivalent baseline route, and the formats they are
 * asked in. Keys are real series of the demo data.
 */
import type { KeyFilter } from './baseline-sql.js';

export interface BenchQuery {
  readonly name: string;
  /** SDMX REST 2.1 data path on the server. */
  readonly sdmxPath: string;
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
    dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)',
    filter: { kind: 'series', key: 'A.MEX.VIC_HOM.0101._T._T._T.NR' },
  },
  {
    name: 'one country, all indicators (prisons, Sweden)',
    sdmxPath: '/sdmx/2.1/data/UNODC,DF_CTS_PRISONS,1.0/A.SWE......',
    dataflow: 'UNODC:DF_CTS_PRISONS(1.0)',
    filter: { kind: 'area', area: 'SWE' },
  },
  {
    name: 'whole dataflow (homicide)',
    sdmxPath: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/all',
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

/** What the baseline answers for every format: the rows as one JSON array. */
export const BASELINE_FORMAT = 'JSON.stringify(rows) (one JSON array of key, period, value, attributes), for both formats';

export function baselinePath(q: BenchQuery): string {
  const params = new URLSearchParams({ dataflow: q.dataflow });
  if (q.filter.kind === 'series') params.set('key', q.filter.key);
  if (q.filter.kind === 'area') params.set('area', q.filter.area);
  return `/baseline/${q.filter.kind}?${params}`;
}

/**
 * GraphQL obeys the rules of every other surface, on real GraphQL documents over HTTP:
 *
 * - its figures are the SDMX-CSV answer's for the same selection: suppressed cells as published,
 *   the current vintage after a revision, the data as public at `asOf`, history as released;
 * - embargo: the held-back release's data and calendar state change at its instant, not a
 *   millisecond earlier, for the same query;
 * - no N+1: a wide query (200 series, their observations, labels, releases and history) makes a
 *   bounded number of storage reads: one per storage page of observations, not one per series.
 */
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { fixedClock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { PAGE_ROWS } from '../../../src/services/data/data-service.js';
import { sqliteRepositories } from '../../../src/storage/sqlite/index.js';
import type { DataRepository } from '../../../src/storage/repositories.js';
import { parseCsv } from '../../helpers/csv.js';
import { HELD_BACK, HELD_BACK_AT, LOADED_AT, shifted } from '../../helpers/json-api-demo.js';
import { CTS_DIMENSIONS } from '../../helpers/data-app.js';

// The demo, with every call to the data repository counted by method.
const clock = fixedClock(LOADED_AT);
const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DEMO_DATA: 'on', RATE_LIMIT_PER_MINUTE: '0' });
const repositories = sqliteRepositories(config.databasePath, config.migrationsDir);
const reads = new Map<string, number>();
const countedData = new Proxy(repositories.data, {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver) as unknown;
    if (typeof value !== 'function') return value;
    return (...args: unknown[]) => {
      reads.set(String(property), (reads.get(String(property)) ?? 0) + 1);
      return (value as (...a: unknown[]) => unknown).apply(target, args);
    };
  },
}) as DataRepository;
const app: FastifyInstance = await buildApp({ config, clock, repositories: { ...repositories, data: countedData, close: () => repositories.close() } });
t.teardown(() => app.close());

interface GraphqlAnswer<T> {
  data: T;
  errors?: { message: string; extensions: { code: string } }[];
}

async function graphql<T>(t: Test, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
  const body = JSON.parse(res.body) as GraphqlAnswer<T>;
  t.equal(res.statusCode, 200, `answered (${res.body.slice(0, 300)})`);
  t.same(body.errors, undefined, 'no errors');
  return body.data;
}

interface SeriesPage {
  series: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: { key: string; observations: { period: string; value: number | null; suppressed: boolean; release: { code: string }; history: { release: { code: string }; value: number | null; withdrawn: boolean }[] }[] }[];
  };
}

const SERIES_QUERY = `query($flow: ID!, $filter: SeriesFilter, $after: String, $asOf: DateTime, $release: String) {
  series(dataflow: $flow, filter: $filter, first: 100, after: $after, asOf: $asOf, release: $release) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { key observations { period value suppressed release { code } history { release { code } value withdrawn } } }
  }
}`;

/** `key|period` → value of every series the query matches, walking every page. */
async function graphqlFigures(t: Test, variables: Record<string, unknown>): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  let after: string | null = null;
  do {
    const page: SeriesPage = await graphql<SeriesPage>(t, SERIES_QUERY, { ...variables, after });
    for (const s of page.series.nodes) for (const o of s.observations) out.set(`${s.key}|${o.period}`, o.value);
    after = page.series.pageInfo.hasNextPage ? page.series.pageInfo.endCursor : null;
  } while (after !== null);
  return out;
}

/** `key|period` → value, as the SDMX REST API answers in SDMX-CSV (1.0 for 2.1 paths, 2.0 for 3.0 paths). */
async function sdmxFigures(path: string): Promise<Map<string, number | null>> {
  const accept = path.startsWith('/sdmx/3.0/') ? MEDIA.dataCsv20 : MEDIA.dataCsv10;
  const res = await app.inject({ url: path, headers: { accept } });
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  const out = new Map<string, number | null>();
  for (const r of parseCsv(res.body)) out.set(`${CTS_DIMENSIONS.map((d) => r[d]).join('.')}|${r.TIME_PERIOD}`, r.OBS_VALUE === '' ? null : Number(r.OBS_VALUE));
  return out;
}

t.test('the figures are the SDMX-CSV answer for the same selection, suppressed cells included', async (t) => {
  const figures = await graphqlFigures(t, {
    flow: 'DF_CTS_HOMICIDE',
    filter: { dimensions: [{ dimension: 'REF_AREA', codes: ['MEX', 'GTM', 'ABW'] }], from: '2005', to: '2016' },
  });
  const expected = await sdmxFigures('/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.MEX+GTM+ABW......?startPeriod=2005&endPeriod=2016');
  t.ok(expected.size > 50, `the selection holds figures (${expected.size})`);
  t.ok([...expected.values()].some((v) => v === null), 'suppressed cells among them');
  t.same(figures, expected, 'every figure, nothing more');

  // A region with everything under it: the same as its countries listed in SDMX.
  const centralAmerica = ['BLZ', 'CRI', 'SLV', 'GTM', 'HND', 'NIC', 'PAN', 'MEX'];
  const byRegion = await graphqlFigures(t, {
    flow: 'DF_CTS_HOMICIDE',
    filter: { dimensions: [{ dimension: 'REF_AREA', codes: centralAmerica }, { dimension: 'SEX', codes: ['_T'] }, { dimension: 'UNIT_MEASURE', codes: ['P_HTHAB'] }], from: '2010', to: '2022' },
  });
  const sdmxRegion = await sdmxFigures(`/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/A.${centralAmerica.join('+')}..._T...P_HTHAB?startPeriod=2010&endPeriod=2022`);
  t.ok(sdmxRegion.size > 10, `Central America holds rates (${sdmxRegion.size})`);
  t.same(byRegion, sdmxRegion, 'the rates of Central America, both sexes, 2010–2022');
});

t.test('a revision: the current vintage, its history as released, and the data as public at asOf', async (t) => {
  const filter = { dimensions: [{ dimension: 'REF_AREA', codes: ['BEL'] }, { dimension: 'UNIT_MEASURE', codes: ['NR'] }], from: '2017', to: '2019' };
  const now = await graphqlFigures(t, { flow: 'DF_ESTAT_CRIM_OFF_CAT', filter });
  t.same(now, await sdmxFigures('/sdmx/2.1/data/UNODC,DF_ESTAT_CRIM_OFF_CAT,1.0/A.BEL......NR?startPeriod=2017&endPeriod=2019'), 'now: the SDMX figures');
  const key = 'A.BEL.OFF.0101._T._T._T.NR';
  t.equal(now.get(`${key}|2018`), 192, 'Belgium, intentional homicide 2018: 192 after the revision');

  const page = await graphql<SeriesPage>(t, SERIES_QUERY, { flow: 'DF_ESTAT_CRIM_OFF_CAT', filter: { ...filter, dimensions: [...filter.dimensions, { dimension: 'OFFENCE', codes: ['0101'] }], from: '2018', to: '2018' } });
  const obs = page.series.nodes.find((s) => s.key === key)!.observations[0]!;
  t.equal(obs.release.code, 'ESTAT-CRIM-2024', 'written by the revising release');
  t.same(
    obs.history.map((h) => [h.release.code, h.value, h.withdrawn]),
    [
      ['ESTAT-CRIM-2022', 190, false],
      ['ESTAT-CRIM-2024', 192, false],
    ],
    'its vintages, oldest first',
  );

  const asOf = '2023-06-01T00:00:00Z';
  const then = await graphqlFigures(t, { flow: 'DF_ESTAT_CRIM_OFF_CAT', filter, asOf });
  const sdmxThen = await sdmxFigures(`/sdmx/3.0/data/dataflow/UNODC/DF_ESTAT_CRIM_OFF_CAT/1.0/A.BEL.*.*.*.*.*.NR?asOf=${asOf}&c[TIME_PERIOD]=ge:2017+le:2019`);
  t.ok(sdmxThen.size > 5, `SDMX 3.0 at asOf holds figures (${sdmxThen.size})`);
  t.same(then, sdmxThen, 'at asOf: the SDMX 3.0 figures at the same asOf');
  t.equal(then.get(`${key}|2018`), 190, 'before the revision: 190');

  const old = await graphql<SeriesPage>(t, SERIES_QUERY, { flow: 'DF_ESTAT_CRIM_OFF_CAT', filter: { ...filter, dimensions: [...filter.dimensions, { dimension: 'OFFENCE', codes: ['0101'] }], from: '2018', to: '2018' }, asOf });
  const oldObs = old.series.nodes.find((s) => s.key === key)!.observations[0]!;
  t.same(oldObs.history.map((h) => h.release.code), ['ESTAT-CRIM-2022'], 'history at asOf holds only what was released then');

  const byRelease = await graphqlFigures(t, { flow: 'DF_ESTAT_CRIM_OFF_CAT', filter, release: 'ESTAT-CRIM-2022' });
  t.same(byRelease, then, 'right after ESTAT-CRIM-2022: the same as at asOf');
});

t.test('embargo: the held-back release appears at its instant, not a millisecond earlier, on the same query', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  const query = `{
    series(dataflow: "DF_CTS_OFFENCES", first: 500) { totalCount nodes { observations { release { code } } } }
    release(code: "${HELD_BACK.code}") { state publishedAt disclosureControl { dataflow } }
    dataflow(id: "DF_CTS_OFFENCES") { nextRelease { code } lastRelease { code } }
  }`;
  type Answer = {
    series: { totalCount: number; nodes: { observations: { release: { code: string } }[] }[] };
    release: { state: string; publishedAt: string | null; disclosureControl: unknown[] | null };
    dataflow: { nextRelease: { code: string } | null; lastRelease: { code: string } | null };
  };
  const heldBackValues = (a: Answer) => a.series.nodes.flatMap((s) => s.observations).filter((o) => o.release.code === HELD_BACK.code).length;
  const sdmxSeries = async () =>
    new Set(parseCsv((await app.inject({ url: '/sdmx/2.1/data/UNODC,DF_CTS_OFFENCES,1.0/all', headers: { accept: MEDIA.dataCsv10 } })).body).map((r) => CTS_DIMENSIONS.map((d) => r[d]).join('.'))).size;

  clock.set(shifted(HELD_BACK_AT, -1));
  const before = await graphql<Answer>(t, query);
  t.equal(heldBackValues(before), 0, 'one millisecond before: no value of the held-back release');
  t.equal(before.release.state, 'SCHEDULED');
  t.equal(before.release.publishedAt, null);
  t.equal(before.release.disclosureControl, null, 'its disclosure-control summary is not public yet');
  t.equal(before.dataflow.nextRelease?.code, HELD_BACK.code);
  const sdmxBefore = await sdmxSeries();
  t.equal(before.series.totalCount, sdmxBefore, 'as many series as SDMX-CSV before');

  clock.set(HELD_BACK_AT);
  const at = await graphql<Answer>(t, query);
  t.ok(heldBackValues(at) > 0, `at the instant: its values (${heldBackValues(at)})`);
  t.ok(at.series.totalCount > before.series.totalCount, `more series (${before.series.totalCount} → ${at.series.totalCount})`);
  t.equal(at.release.state, 'PUBLISHED');
  t.equal(at.release.publishedAt, HELD_BACK_AT);
  t.ok(at.release.disclosureControl && at.release.disclosureControl.length > 0, 'its disclosure-control summary is public');
  t.equal(at.dataflow.nextRelease, null);
  t.equal(at.dataflow.lastRelease?.code, HELD_BACK.code);
  t.equal(at.series.totalCount, await sdmxSeries(), 'and after, with the release');
});

t.test('no N+1: a page of 200 series with everything under them is a bounded number of storage reads', async (t) => {
  const wide = `query($first: Int) {
    series(dataflow: "DF_CTS_PRISONS", first: $first) {
      totalCount
      nodes {
        key
        dimensions { dimension name code level }
        observations { period value flags { meaning } release { code title } history { release { code } value } }
        dataflow { code seriesCount }
      }
    }
  }`;
  type Answer = { series: { totalCount: number; nodes: { observations: unknown[] }[] } };
  // Once to make the dataflow's view and counts (kept per visible state), then counted.
  await graphql<Answer>(t, wide, { first: 200 });
  reads.clear();
  const answer = await graphql<Answer>(t, wide, { first: 200 });
  const values = answer.series.nodes.reduce((n, s) => n + s.observations.length, 0);
  t.equal(answer.series.nodes.length, 200, '200 series');
  t.ok(values > 1000, `with their values (${values})`);
  const scans = reads.get('scanRows') ?? 0;
  const total = [...reads.values()].reduce((a, b) => a + b, 0);
  // Each value's vintages are read with it: at most a few rows per value, in pages of PAGE_ROWS.
  t.ok(scans >= 1 && scans <= Math.ceil((values * 3) / PAGE_ROWS) + 1, `observations read in ${scans} storage pages, not per series (${values} values)`);
  t.equal(total, scans, `nothing else read from storage (${JSON.stringify(Object.fromEntries(reads))})`);

  reads.clear();
  await graphql<Answer>(t, wide, { first: 20 });
  const few = reads.get('scanRows') ?? 0;
  t.ok(few >= 1 && few <= scans, `20 series: ${few} reads; 200 series: ${scans} (grows with pages, not with series)`);
});

t.test('a query that runs past GRAPHQL_TIMEOUT_MS stops with TIMEOUT, the rest of the answer kept', async (t) => {
  const { testApp } = await import('../../helpers/app.js');
  const slow = await testApp({ clock: fixedClock(LOADED_AT), env: { DEMO_DATA: 'on', GRAPHQL_TIMEOUT_MS: '1' } });
  t.teardown(() => slow.close());
  // A page of 500 series with every vintage takes tens of milliseconds to read: past 1 ms for sure.
  const res = await slow.inject({
    method: 'POST',
    url: '/graphql',
    payload: { query: '{ releases { code } series(dataflow: "DF_CTS_PRISONS", first: 100) { nodes { observations { history { value } } } } }' },
  });
  const body = JSON.parse(res.body) as { data: { releases: unknown[] | null; series: unknown } | null; errors: { message: string; extensions: { code: string } }[] };
  t.equal(res.statusCode, 200, 'an execution error: 200 with errors');
  t.equal(body.errors[0]!.extensions.code, 'TIMEOUT');
  t.match(body.errors[0]!.message, /took longer than this service allows/);
  t.equal(body.data?.series ?? null, null, 'the series are not answered');
  t.notMatch(res.body, /\bat .*\.(ts|js):\d+/, 'no stack trace');
});

/**
 * Keeps the benchmark honest: the baseline SQL returns exactly the observations the server
 * answers (revisions, withdrawals and not-yet-announced releases included), in SDMX, the JSON API
 * and GraphQL (a first page of series too), and the synthetic
 * scale-up never touches a real series and writes the same rows on every build.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { fixedClock } from '../src/clock.js';
import type { StoredSeries } from '../src/storage/repositories.js';
import { parseCsv } from '../test/helpers/csv.js';
import { dataApp, type FixtureRelease } from '../test/helpers/data-app.js';
import { baselineSelect, type KeyFilter } from './baseline-sql.js';
import { GRAPHQL_ENDPOINT, GRAPHQL_FIRST, GRAPHQL_FORMAT, graphqlGetPath, graphqlPage, graphqlRegisterBody, graphqlRequest, JSON_API_FORMAT, QUERIES } from './queries.js';
import { SYNTHETIC_YEARS, syntheticSeries } from './synthetic.js';

const NOW = '2024-01-01T00:00:00.000Z';
const FIXTURE: FixtureRelease[] = [
  {
    code: 'R1',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2020-01-01T00:00:00.000Z',
    series: [
      { key: 'A.AUT.VIC_HOM.0101._T._T._T.NR', observations: [{ period: '2018', value: 1 }, { period: '2019', value: 2 }, { period: '2020', value: 3 }] },
      { key: 'A.AUT.VIC_HOM.0101.F._T._T.NR', observations: [{ period: '2019', value: 4 }] },
      { key: 'A.BEL.VIC_HOM.0101._T._T._T.NR', observations: [{ period: '2019', value: 5 }] },
    ],
  },
  {
    // Announced before R1 but created after it: rank follows the announcement, not the pk.
    code: 'R0',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2019-06-01T00:00:00.000Z',
    series: [{ key: 'A.AUT.VIC_HOM.0101._T._T._T.NR', observations: [{ period: '2018', value: 100 }] }],
  },
  {
    code: 'R2',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2021-01-01T00:00:00.000Z',
    series: [
      {
        key: 'A.AUT.VIC_HOM.0101._T._T._T.NR',
        observations: [{ period: '2019', value: 20 }, { period: '2020', value: null, deleted: true }],
      },
    ],
  },
  {
    code: 'EMBARGOED',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2030-01-01T00:00:00.000Z',
    state: 'scheduled',
    series: [{ key: 'A.AUT.VIC_HOM.0101._T._T._T.NR', observations: [{ period: '2019', value: 999 }] }],
  },
];

t.test('the baseline SQL returns the observations the server answers', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-test-'));
  const file = path.join(dir, 'bench.sqlite');
  const { app } = await dataApp(FIXTURE, { clock: fixedClock(NOW), env: { DATABASE_URL: file } });
  const db = new Database(file, { readonly: true });
  t.teardown(async () => {
    db.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: { key: string; json: string; filter: KeyFilter }[] = [
    { key: 'all', json: '', filter: { kind: 'all' } },
    { key: 'A.AUT......', json: 'REF_AREA=AUT', filter: { kind: 'area', area: 'AUT' } },
    {
      key: 'A.AUT.VIC_HOM.0101._T._T._T.NR',
      json: 'REF_AREA=AUT&INDICATOR=VIC_HOM&OFFENCE=0101&SEX=_T&AGE=_T&DISAGGREGATION=_T&UNIT_MEASURE=NR',
      filter: { kind: 'series', key: 'A.AUT.VIC_HOM.0101._T._T._T.NR' },
    },
  ];
  for (const c of cases) {
    const res = await app.inject({
      url: `/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/${c.key}`,
      headers: { accept: 'application/vnd.sdmx.data+csv;version=1.0.0' },
    });
    t.equal(res.statusCode, 200, c.key);
    const served = parseCsv(res.body).map((r) => `${r.REF_AREA}.${r.SEX} ${r.TIME_PERIOD}=${r.OBS_VALUE}`);
    const params = { dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)', now: NOW, ...(c.filter.kind === 'series' ? { key: c.filter.key } : {}), ...(c.filter.kind === 'area' ? { area: c.filter.area } : {}) };
    const rows = db.prepare(baselineSelect(c.filter.kind)).all(params) as { key: string; period: string; value: number | null }[];
    const baseline = rows.map((r) => `${r.key.split('.')[1]}.${r.key.split('.')[4]} ${r.period}=${r.value ?? ''}`);
    t.same(baseline.sort(), served.sort(), `${c.key}: same observations`);

    // The same selection in the people's JSON API (the bench's JSON rows).
    const json = await app.inject({ url: `/api/v1/dataflows/DF_CTS_HOMICIDE/observations?${c.json}` });
    t.equal(json.statusCode, 200, `${c.key}: JSON API (${json.body.slice(0, 300)})`);
    t.equal(JSON_API_FORMAT.count(json.body), rows.length, `${c.key}: the JSON API counts the baseline's observations`);
    const page = json.json() as { rows: { period: string; dimensions: Record<string, { id: string }>; values: { count?: { value: number | null } } }[] };
    const rowsServed = page.rows.map((r) => `${r.dimensions.REF_AREA!.id}.${r.dimensions.SEX!.id} ${r.period}=${r.values.count?.value ?? ''}`);
    t.same(rowsServed.sort(), baseline.sort(), `${c.key}: the JSON API serves the baseline's values`);
  }
  const firstTwo = db.prepare(`${baselineSelect('all')}\nLIMIT @limit`).all({ dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)', now: NOW, limit: 2 });
  t.equal(firstTwo.length, 2, "a page's baseline: the first rows");
  const all = db.prepare(baselineSelect('all')).all({ dataflow: 'UNODC:DF_CTS_HOMICIDE(1.0)', now: NOW }) as { key: string; period: string; value: number }[];
  const aut = (period: string) => all.find((r) => r.key === 'A.AUT.VIC_HOM.0101._T._T._T.NR' && r.period === period)?.value;
  t.equal(aut('2018'), 1, 'the later-announced release wins, whatever the pk order');
  t.equal(aut('2019'), 20, 'a revision replaces the value; the embargoed one is not visible');
  t.equal(aut('2020'), undefined, 'a withdrawn value is left out');
});

t.test("GraphQL answers the baseline's observations, a first page of series the baseline's rows of the same series", async (t) => {
  // A series whose only value is withdrawn: a GraphQL page counts it (no observations), so the
  // baseline's first series must count it too. It sorts first (A.ARG… < A.AUT…).
  const withdrawnOnly: FixtureRelease[] = [
    { code: 'R3', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2021-06-01T00:00:00.000Z', series: [{ key: 'A.ARG.VIC_HOM.0101._T._T._T.NR', observations: [{ period: '2019', value: 7 }] }] },
    { code: 'R4', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2022-01-01T00:00:00.000Z', series: [{ key: 'A.ARG.VIC_HOM.0101._T._T._T.NR', observations: [{ period: '2019', value: null, deleted: true }] }] },
  ];
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-test-'));
  const file = path.join(dir, 'bench.sqlite');
  const { app } = await dataApp([...FIXTURE, ...withdrawnOnly], { clock: fixedClock(NOW), env: { DATABASE_URL: file } });
  const db = new Database(file, { readonly: true });
  t.teardown(async () => {
    db.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const dataflow = 'UNODC:DF_CTS_HOMICIDE(1.0)';
  const post = async (name: string, payload: string) => {
    const res = await app.inject({ method: 'POST', url: GRAPHQL_ENDPOINT, headers: { 'content-type': 'application/json', accept: GRAPHQL_FORMAT.accept }, payload });
    t.equal(res.statusCode, 200, `${name}: POST answers 200`, { body: res.body.slice(0, 300) });
    return res.body;
  };
  const baseline = (filter: KeyFilter, series: number | undefined) => {
    const params = { dataflow, now: NOW, ...(filter.kind === 'series' ? { key: filter.key } : {}), ...(filter.kind === 'area' ? { area: filter.area } : {}), ...(series === undefined ? {} : { series }) };
    const rows = db.prepare(baselineSelect(filter.kind, undefined, series !== undefined)).all(params) as { key: string; period: string; value: number | null }[];
    return rows.map((r) => `${r.key} ${r.period}=${r.value ?? ''}`);
  };

  // The bench's three queries (their kind of filter on this fixture), then first pages.
  const fixtureFilter = (f: KeyFilter): KeyFilter => (f.kind === 'series' ? { kind: 'series', key: 'A.AUT.VIC_HOM.0101._T._T._T.NR' } : f.kind === 'area' ? { kind: 'area', area: 'AUT' } : f);
  const cases: { name: string; filter: KeyFilter; first: number; paged: boolean }[] = [
    ...QUERIES.map((q) => ({ name: q.name, filter: fixtureFilter(q.filter), first: GRAPHQL_FIRST, paged: false })),
    { name: 'whole dataflow, first page of 2 series', filter: { kind: 'all' }, first: 2, paged: true },
    { name: 'one country, first page of 1 series', filter: { kind: 'area', area: 'AUT' }, first: 1, paged: true },
  ];
  for (const c of cases) {
    const request = graphqlRequest(dataflow, c.filter, c.first);
    const body = await post(c.name, JSON.stringify(request));
    const page = graphqlPage(body);
    t.equal(page.totalCount > page.series, c.paged, `${c.name}: ${c.paged ? 'a first page' : 'the whole selection'} (${page.series} of ${page.totalCount} series)`);
    // As bench/run.ts: a first page against the baseline's rows of as many first series.
    const expected = baseline(c.filter, page.totalCount > page.series ? page.series : undefined);
    t.ok(expected.length > 0, `${c.name}: the baseline has rows`);
    t.same([...page.observations].sort(), [...expected].sort(), `${c.name}: same keys, periods and values as the baseline`);
    t.equal(GRAPHQL_FORMAT.count(body), expected.length, `${c.name}: the GraphQL count is the baseline's`);

    // The persisted GET the bench loads: registered once by POST, then named by its hash.
    graphqlPage(await post(c.name, graphqlRegisterBody(request)));
    const get = await app.inject({ url: graphqlGetPath(request), headers: { accept: GRAPHQL_FORMAT.accept } });
    t.equal(get.statusCode, 200, `${c.name}: persisted GET answers 200`, { body: get.body.slice(0, 300) });
    t.same(graphqlPage(get.body).observations.sort(), [...expected].sort(), `${c.name}: the persisted GET answers the same observations`);
  }
  const firstTwo = baseline({ kind: 'all' }, 2);
  t.same(firstTwo, ['A.AUT.VIC_HOM.0101.F._T._T.NR 2019=4'], 'the series with its value withdrawn takes a place in the page, with no rows');
});

t.test('the synthetic series are new series only, and the same on every build', async (t) => {
  const template = (area: string, offence: string): StoredSeries => {
    const dimensions = { FREQ: 'A', REF_AREA: area, INDICATOR: 'OFF', OFFENCE: offence, SEX: '_T', AGE: '_T', DISAGGREGATION: '_T', UNIT_MEASURE: 'NR' };
    return { pk: 0, dataflow: 'UNODC:DF_CTS_OFFENCES(1.0)', provider: 'UNODC:UNODC', key: Object.values(dimensions).join('.'), dimensions };
  };
  const real = [template('AUT', '0501'), template('BEL', '0502')];
  const areas = ['AUT', 'BEL', 'FRA'];
  const first = [...syntheticSeries(real, areas)];
  const keys = first.map((s) => Object.values(s.dimensions).join('.'));

  t.equal(first.length, 2 * 3 * 3 - 2, 'every template × area × sex, minus the two real series');
  t.equal(new Set(keys).size, keys.length, 'keys are unique');
  t.notOk(keys.some((k) => real.some((r) => r.key === k)), 'no real series is written to');
  t.same(Object.keys(first[0]!.dimensions), Object.keys(real[0]!.dimensions), 'dimensions keep DSD order');
  const years = SYNTHETIC_YEARS.last - SYNTHETIC_YEARS.first + 1;
  t.ok(first.every((s) => s.observations.length === years), `${years} annual observations each`);
  t.ok(first.every((s) => s.observations.every((o) => o.attributes.SOURCE_DETAIL === 'BENCH-SYNTHETIC')), 'every value is labelled synthetic');
  t.same([...syntheticSeries(real, areas)], first, 'deterministic');
});

/**
 * The data service streams: nothing is read before the first pull, the first series comes out
 * after one storage page, and pages are read one at a time as the consumer pulls. Also the
 * visibility rule it applies (releases at their announced instant) and the 413 estimate.
 */
import t from 'tap';
import path from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { DataService, PAGE_ROWS } from '../../src/services/data/data-service.js';
import { StructureService } from '../../src/services/structure-service.js';
import type { DataQuery } from '../../src/sdmx/data/query.js';
import type { Repositories } from '../../src/storage/repositories.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import { writeFixtureReleases, type FixtureSeries } from '../helpers/data-app.js';

const AREAS = ['AUT', 'BEL', 'BGR', 'CHE', 'CYP', 'CZE', 'DEU', 'DNK', 'ESP', 'EST', 'FIN', 'FRA', 'GRC', 'HRV', 'HUN', 'IRL', 'ISL', 'ITA', 'LTU', 'LUX'];
const OFFENCES = ['0101', '0102', '0201', '0202', '0301', '0401', '0501', '0502', '0601', '0701'];
const YEARS = Array.from({ length: 30 }, (_, i) => String(1990 + i));
const SERIES_PER_PAGE = Math.ceil(PAGE_ROWS / YEARS.length);
const PAGES = Math.ceil((AREAS.length * OFFENCES.length) / SERIES_PER_PAGE);

// 20 areas × 10 offences × 30 years = 6,000 rows: several storage pages of whole series.
const series: FixtureSeries[] = AREAS.flatMap((area) =>
  OFFENCES.map((offence) => ({
    key: `A.${area}.OFF.${offence}._T._T._T.NR`,
    observations: YEARS.map((y, i) => ({ period: y, value: i })),
  })),
);

function setUp(max = 1_000_000) {
  const repositories = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
  writeFixtureReleases(repositories, [{ code: 'BIG', dataflow: 'DF_CTS_OFFENCES', announcedAt: '2020-01-01T00:00:00.000Z', series }]);
  const clock = fixedClock('2026-01-01T00:00:00.000Z');
  const structures = StructureService.load(repositories, path.join(PROJECT_ROOT, 'sdmx'), clock).service;
  let pagesRead = 0;
  const counting: Repositories = {
    ...repositories,
    data: {
      seriesOf: (f) => repositories.data.seriesOf(f),
      rowCounts: (f, r) => repositories.data.rowCounts(f, r),
      scan: (scan) => repositories.data.scan(scan),
      scanRows: function* (scan) {
        for (const page of repositories.data.scanRows(scan)) {
          pagesRead += 1;
          yield page;
        }
      },
    },
  };
  return { service: new DataService(counting, structures, clock, { maxObservations: max }), pages: () => pagesRead, close: () => repositories.close() };
}

const query = (overrides: Partial<DataQuery> = {}): DataQuery => ({
  api: '2.1',
  context: 'dataflow',
  flow: { agencyId: 'UNODC', id: 'DF_CTS_OFFENCES', version: '1.0' },
  filters: [],
  detail: 'full',
  includeHistory: false,
  ...overrides,
});

t.test('results stream: one page read per pull, in order', async (t) => {
  const { service, pages, close } = setUp();
  t.teardown(close);
  const prepared = service.prepare(query());
  t.equal(prepared.estimatedObservations(), 6000);
  const items = prepared.items();
  t.equal(pages(), 0, 'nothing is read before the first pull');
  const first = items.next();
  t.equal(first.value?.kind, 'series');
  t.equal(pages(), 1, 'the first series needs one page only');
  let count = 1;
  let observations = first.value?.kind === 'series' ? first.value.series.observations.length : 0;
  for (const item of items) {
    if (item.kind !== 'series') continue;
    count += 1;
    observations += item.series.observations.length;
  }
  t.equal(count, 200);
  t.equal(observations, 6000);
  t.ok(PAGES > 1, 'the fixture spans several pages');
  t.equal(pages(), PAGES, 'and the rest page by page');
});

t.test('cross-sections and the flat view stream by pages too', async (t) => {
  const { service, pages, close } = setUp();
  t.teardown(close);
  const cross = [...service.prepare(query({ dimensionAtObservation: 'REF_AREA' })).items()];
  t.ok(pages() > 1, 'several pages, each holding whole cross-section groups');
  t.equal(cross.length, 10 * 30, 'one cross-section per offence and year');
  t.ok(cross.every((i) => i.kind === 'series' && i.series.observations.length === 20), 'each with every area');
  const flat = [...service.prepare(query({ dimensionAtObservation: 'AllDimensions' })).items()];
  t.ok(flat.length >= 6, 'the flat view comes in pieces');
  t.ok(flat.every((i) => i.kind === 'series' && Object.keys(i.series.key).length === 0 && i.series.observations.length <= 1000));
});

t.test('too large (413) is decided from the rows that exist, before reading any', async (t) => {
  const { service, pages, close } = setUp(5999);
  t.teardown(close);
  let kind: string | undefined;
  try {
    service.prepare(query()).checkSize();
  } catch (err) {
    kind = (err as { kind?: string }).kind;
  }
  t.equal(kind, 'too-large');
  t.equal(pages(), 0);
  const one = service.prepare(query({ keys: [[['A'], ['AUT'], undefined, ['0101'], undefined, undefined, undefined, undefined]] }));
  t.equal(one.estimatedObservations(), 30, 'a narrow key is estimated from its own series');
});

t.test('fully specified keys are looked up, and select what matching the catalogue selects', async (t) => {
  const { service, pages, close } = setUp();
  t.teardown(close);
  const keysOf = (q: DataQuery) => [...service.prepare(q).items()].flatMap((i) => (i.kind === 'series' ? [Object.values(i.series.key).join('.')] : []));
  const key = (areas: string[], offences: string[], sexes = ['_T']) => [[['A'], areas, ['OFF'], offences, sexes, ['_T'], ['_T'], ['NR']]];
  t.same(keysOf(query({ keys: key(['BEL'], ['0101']) })), ['A.BEL.OFF.0101._T._T._T.NR']);
  const combined = keysOf(query({ keys: key(['FRA', 'AUT', 'ZZZ', 'AUT'], ['0201', '0101']) }));
  t.same(combined, ['A.AUT.OFF.0101._T._T._T.NR', 'A.AUT.OFF.0201._T._T._T.NR', 'A.FRA.OFF.0101._T._T._T.NR', 'A.FRA.OFF.0201._T._T._T.NR'], '`+`: each combination once, in key order, unknown codes ignored');
  const wildcarded = keysOf(query({ keys: [[['A'], ['FRA', 'AUT'], undefined, ['0201', '0101'], undefined, undefined, undefined, undefined]] }));
  t.same(wildcarded, combined, 'the same selection with wildcards, matched over the catalogue');
  const twoKeys = keysOf(query({ keys: [...key(['ISL'], ['0101']), ...key(['BEL'], ['0101'])] }));
  t.same(twoKeys, ['A.BEL.OFF.0101._T._T._T.NR', 'A.ISL.OFF.0101._T._T._T.NR'], 'REST 2.x alternative keys');
  // 20 × 10 × 3 = 600 combinations, too many to look up one by one: matched instead, same answer.
  t.equal(keysOf(query({ keys: key(AREAS, OFFENCES, ['_T', 'F', 'M']) })).length, 200);
  t.same(keysOf(query({ keys: key(['BEL'], ['0101']), providers: [{ id: 'UNODC' }] })), ['A.BEL.OFF.0101._T._T._T.NR'], 'with the provider that supplies it');
  t.same(keysOf(query({ keys: key(['BEL'], ['0101', '0102']), filters: [{ component: 'OFFENCE', anyOf: [[{ op: 'ne', value: '0101' }]] }], api: '3.0' })), ['A.BEL.OFF.0102._T._T._T.NR'], 'and so do component filters');
  t.same(keysOf(query({ keys: key(['BEL'], ['0999']) })), [], 'a key nobody holds');
  t.ok(pages() > 0);
});

t.test('visibility is decided at the clock’s instant, and the visible state is named for caches', async (t) => {
  const repositories = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
  t.teardown(() => repositories.close());
  const one = (period: string, value: number) => [{ key: 'A.AUT.OFF.0101._T._T._T.NR', observations: [{ period, value }] }];
  writeFixtureReleases(repositories, [
    { code: 'R1', dataflow: 'DF_CTS_OFFENCES', announcedAt: '2020-01-01T00:00:00.000Z', series: one('2019', 1) },
    // Announced later but created first, and scheduled: embargoed until its instant.
    { code: 'R3', dataflow: 'DF_CTS_OFFENCES', announcedAt: '2026-03-01T10:00:00.000Z', state: 'scheduled', series: one('2019', 3) },
    { code: 'R2', dataflow: 'DF_CTS_OFFENCES', announcedAt: '2021-01-01T00:00:00.000Z', series: one('2019', 2) },
    { code: 'DRAFT', dataflow: 'DF_CTS_OFFENCES', announcedAt: '2020-06-01T00:00:00.000Z', state: 'draft', series: one('2019', 99) },
  ]);
  const clock = fixedClock('2026-03-01T09:59:59.999Z');
  const structures = StructureService.load(repositories, path.join(PROJECT_ROOT, 'sdmx'), clock).service;
  const service = new DataService(repositories, structures, clock, { maxObservations: 1_000_000 });
  const q = query();
  const value = () => {
    for (const i of service.prepare(q).items()) if (i.kind === 'series') return i.series.observations[0]!.value;
    return undefined;
  };
  const before = service.visibleStateId();
  t.equal(value(), 2, 'the later announcement wins, whatever the creation order; drafts never count');
  t.equal(service.visibleStateId(), before, 'the same state while nothing changes');
  const fingerprint = service.prepare(q).fingerprint;
  clock.set('2026-03-01T10:00:00.000Z');
  t.not(service.visibleStateId(), before, 'the state changes exactly at the announced instant');
  t.equal(value(), 3, 'and so does the answer, for the same query object');
  t.not(service.prepare(q).fingerprint, fingerprint);
  clock.set('2026-03-01T09:59:59.999Z');
  t.equal(service.visibleStateId(), before, 'back before the instant: the state of before');
  t.equal(value(), 2);
  t.equal(service.prepare(q).fingerprint, fingerprint);
  t.equal(service.prepare({ ...q, asOf: '2020-06-01T00:00:00.000Z' }).items().next().value?.kind, 'series', 'asOf reads an earlier state');
  t.same([...service.prepare({ ...q, asOf: '2020-06-01T00:00:00.000Z' }).items()].map((i) => i.kind === 'series' && i.series.observations[0]!.value), [1]);

  // A new release (the list changes) changes the state even when no instant passes.
  writeFixtureReleases(repositories, [{ code: 'R4', dataflow: 'DF_CTS_OFFENCES', announcedAt: '2025-01-01T00:00:00.000Z', series: one('2020', 4) }]);
  t.not(service.visibleStateId(), before);
  const observations = [...service.prepare(q).items()].flatMap((i) => (i.kind === 'series' ? i.series.observations.map((o) => `${o.at}=${o.value}`) : []));
  t.same(observations, ['2019=2', '2020=4']);
});

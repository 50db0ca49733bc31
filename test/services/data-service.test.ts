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
      scan: function* (scan) {
        for (const page of repositories.data.scan(scan)) {
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

t.test('413 is decided from the rows that exist, before reading any', async (t) => {
  const { service, pages, close } = setUp(5999);
  t.teardown(close);
  let status: number | undefined;
  try {
    service.prepare(query()).checkSize();
  } catch (err) {
    status = (err as { error?: { status: number } }).error?.status;
  }
  t.equal(status, 413);
  t.equal(pages(), 0);
  const one = service.prepare(query({ keys: [[['A'], ['AUT'], undefined, ['0101'], undefined, undefined, undefined, undefined]] }));
  t.equal(one.estimatedObservations(), 30, 'a narrow key is estimated from its own series');
});

/**
 * The quality indicators on the real demo data (data/demo, loaded as `npm start` loads it), at
 * the demo's load instant and around the instant the held-back release becomes public. The
 * figures asserted were checked against the sources and the calendar:
 * - every demo release is published at its announced instant, never postponed: all on time;
 * - lags follow from the release dates in data/demo/README.md and the last year of each file;
 * - the Eurostat revision (ESTAT-CRIM-2024 over ESTAT-CRIM-2022) is recounted here directly
 *   from the stored vintages;
 * - suppression equals each release's disclosure-control run, as the public calendar shows it;
 * - the current cells are exactly the values the one observation reader yields (flow-stats.ts).
 */
import path from 'node:path';
import t from 'tap';
import { fixedClock } from '../../../src/clock.js';
import { loadDemoData } from '../../../src/demo/load-demo.js';
import { PROJECT_ROOT } from '../../../src/project-root.js';
import { CalendarService } from '../../../src/services/calendar/calendar.js';
import { flowStats } from '../../../src/services/catalogue/flow-stats.js';
import { DataService } from '../../../src/services/data/data-service.js';
import { standaloneProtector, type ProtectionSummary } from '../../../src/services/protection/protection-service.js';
import { QualityService } from '../../../src/services/quality/index.js';
import { StructureService } from '../../../src/services/structure-service.js';
import { sqliteRepositories } from '../../../src/storage/sqlite/index.js';
import { HELD_BACK, HELD_BACK_AT, LOADED_AT, shifted } from '../../helpers/json-api-demo.js';

const repositories = sqliteRepositories(':memory:', path.join(PROJECT_ROOT, 'migrations'));
t.teardown(() => repositories.close());
await loadDemoData({
  repositories,
  demoDir: path.join(PROJECT_ROOT, 'data', 'demo'),
  now: LOADED_AT,
  protect: standaloneProtector(repositories, path.join(PROJECT_ROOT, 'sdmx'), LOADED_AT),
});
// A day after the held-back release: every instant asked below is in the past.
const clock = fixedClock(shifted(HELD_BACK_AT, 86_400_000));
const structures = StructureService.load(repositories, path.join(PROJECT_ROOT, 'sdmx'), clock).service;
const data = new DataService(repositories, structures, clock, { maxObservations: 10_000_000 });
const quality = new QualityService({ data, structures, repositories, clock });
const flow = (id: string) => `UNODC:${id}(1.0)`;
const FLOWS = structures.registry
  .ofClass('Dataflow')
  .filter((f) => f.id.startsWith('DF_CTS_') || f.id.startsWith('DF_ESTAT_'))
  .map((f) => `${f.agencyID}:${f.id}(${f.version})`);

t.test('homicide (GSH 2019): on time, 651 days after 2016, never revised, 941 cells withheld', async (t) => {
  const q = await quality.indicators({ dataflow: flow('DF_CTS_HOMICIDE'), at: LOADED_AT });
  t.same(q.releases.map((r) => r.code), ['GSH-2019']);
  t.same([q.punctuality.due, q.punctuality.onTime, q.punctuality.onTimeShare, q.punctuality.maxDelay], [1, 1, { value: 100, unit: 'percent' }, { value: 0, unit: 'day' }]);
  // Data 2000–2016, published 2018-10-14: 365 (2017) + 286 (2018-01-01 → 10-14) = 651 days.
  t.same(
    q.timeliness.releases.map((r) => [r.release, r.latestPeriod, r.periods, r.lag.value, r.firstResults]),
    [['GSH-2019', '2016', 17, 651, true]],
  );
  t.same([q.revisions.republished, q.revisions.byUnit], [0, []], 'no UN-CTS export revises the GSH figures');
  // 19,968 allowed keys (256 areas × 3 sexes × 13 ages × 2 units) × 17 years; GSH gives totals and
  // sex for 230 areas, no age group: 11,516 cells, 941 of them withheld.
  const c = q.completeness;
  t.same(c.years, { first: '2000', last: '2016', count: 17 });
  t.same([c.allowedKeys, c.allowedCells, c.cellsWithData, c.cellsWithValue, c.cellsWithheld, c.cellsOutside, c.seriesWithData], [19_968, 339_456, 11_516, 10_575, 941, 0, 1300]);
  t.ok(Math.abs(c.share!.value - (100 * 11_516) / 339_456) < 1e-9);
  t.same(
    c.dimensions.filter((d) => ['REF_AREA', 'SEX', 'AGE'].includes(d.dimension)).map((d) => [d.dimension, d.allowed, d.withData]),
    [
      ['REF_AREA', 256, 230],
      ['SEX', 3, 3],
      ['AGE', 13, 1],
    ],
  );
  t.same(q.suppression.releases.map((r) => [r.release, r.cells, r.withheld, r.byConfStatus]), [['GSH-2019', 11_516, 941, { A: 359, C: 440, D: 142 }]]);
});

t.test('Eurostat offences: the 2024 release revises the 2022 one, recounted from the stored vintages', async (t) => {
  const q = await quality.indicators({ dataflow: flow('DF_ESTAT_CRIM_OFF_CAT'), at: LOADED_AT });
  t.same(q.releases.map((r) => r.code), ['ESTAT-CRIM-2022', 'ESTAT-CRIM-2024']);
  t.same([q.punctuality.due, q.punctuality.onTime], [2, 2]);
  // 2022 extract: data to 2020, published 2022-06-08 09:00 UTC: 365 + 158 days + 9 h = 523.375.
  // 2024 TSV: data to 2022, published 2024-04-19: 365 + 109 = 474 days.
  t.same(
    q.timeliness.releases.map((r) => [r.release, r.latestPeriod, r.lag.value, r.firstResults]),
    [
      ['ESTAT-CRIM-2022', '2020', 523.375, true],
      ['ESTAT-CRIM-2024', '2022', 474, true],
    ],
  );
  t.same([q.revisions.republished, q.revisions.compared, q.revisions.revised, q.revisions.notComparable], [10_392, 10_115, 572, 277]);
  t.same(q.revisions.byUnit.map((u) => [u.unit, u.compared, u.revised]), [
    ['NR', 5133, 288],
    ['P_HTHAB', 4982, 284],
  ]);
  t.same(q.revisions.releases.map((r) => [r.release, r.republished, r.revised, r.withdrawn]), [['ESTAT-CRIM-2024', 10_392, 572, 0]]);

  // The same figures counted directly: every (series, period) the two releases both wrote.
  const v2022 = repositories.releases.byCode('ESTAT-CRIM-2022')!.pk;
  const v2024 = repositories.releases.byCode('ESTAT-CRIM-2024')!.pk;
  const series = repositories.data.seriesOf(flow('DF_ESTAT_CRIM_OFF_CAT'));
  const unitOf = new Map(series.map((s) => [s.pk, s.dimensions.UNIT_MEASURE!]));
  const cells = new Map<string, { unit: string; old?: number | null; now?: number | null }>();
  for (const page of repositories.data.scan({ pages: [series.map((s) => s.pk)], releasePks: [v2022, v2024] })) {
    for (const o of page) {
      const id = `${o.seriesPk} ${o.timePeriod}`;
      const cell = cells.get(id) ?? { unit: unitOf.get(o.seriesPk)! };
      cells.set(id, cell);
      if (o.releasePk === v2022) cell.old = o.value;
      else cell.now = o.value;
    }
  }
  const both = [...cells.values()].filter((c) => c.old !== undefined && c.now !== undefined);
  const compared = both.filter((c) => c.old !== null && c.now !== null);
  t.equal(both.length, q.revisions.republished);
  t.equal(both.length - compared.length, q.revisions.notComparable, 'not comparable: withheld in one of the two');
  for (const unit of ['NR', 'P_HTHAB']) {
    const mine = compared.filter((c) => c.unit === unit);
    const sum = mine.reduce((s, c) => s + Math.abs(c.now! - c.old!), 0);
    const u = q.revisions.byUnit.find((x) => x.unit === unit)!;
    t.equal(u.compared, mine.length);
    t.equal(u.revised, mine.filter((c) => c.now !== c.old).length);
    t.ok(Math.abs(u.meanAbsoluteRevision!.value - sum / mine.length) < 1e-9, `${unit} MAR ${u.meanAbsoluteRevision!.value}`);
  }
  // Counts revise more than rates in absolute terms, and by about 2 % of the current figures.
  const nr = q.revisions.byUnit[0]!;
  t.ok(nr.meanAbsoluteRevision!.value > 700 && nr.meanAbsoluteRevision!.value < 750, `NR MAR ${nr.meanAbsoluteRevision!.value}`);
  t.ok(nr.relativeMeanAbsoluteRevision!.value > 2 && nr.relativeMeanAbsoluteRevision!.value < 2.2, `NR relative MAR ${nr.relativeMeanAbsoluteRevision!.value}`);

  // Belgium (its intentional homicides of 2018 went from 190 to 192): 280 cells republished, all
  // compared; 30 counts and 29 rates revised; nothing withheld in either release.
  const bel = await quality.indicators({ dataflow: flow('DF_ESTAT_CRIM_OFF_CAT'), area: 'BEL', at: LOADED_AT });
  t.same([bel.revisions.republished, bel.revisions.compared, bel.revisions.revised], [280, 280, 59]);
  t.same(bel.revisions.byUnit.map((u) => [u.unit, u.revised]), [
    ['NR', 30],
    ['P_HTHAB', 29],
  ]);
  t.same(bel.suppression.releases.map((r) => [r.release, r.cells, r.withheld]), [
    ['ESTAT-CRIM-2022', 332, 0],
    ['ESTAT-CRIM-2024', 490, 0],
  ]);
  t.same([bel.completeness.cellsWithData, bel.completeness.seriesWithData, bel.completeness.years?.count], [542, 46, 15]);
});

t.test('prisons: figures for 2023 published in May 2023 give a negative lag', async (t) => {
  const q = await quality.indicators({ dataflow: flow('DF_CTS_PRISONS'), at: LOADED_AT });
  // Eight 2023 figures (Austria and Estonia: persons held on a day of 2023) in the export of
  // 2023-05-11: the release's latest period ends 235 days after it.
  t.same(q.timeliness.releases.map((r) => [r.release, r.latestPeriod, r.lag.value]), [['UNCTS-2023', '2023', -235]]);
});

t.test('every dataflow: suppression equals the disclosure-control runs, current cells equal the reader', async (t) => {
  const calendar = new CalendarService(repositories, fixedClock(LOADED_AT)).view().items.map((i) => i.entry);
  let checkedRuns = 0;
  for (const dataflow of FLOWS) {
    const q = await quality.indicators({ dataflow, at: LOADED_AT });
    for (const r of q.suppression.releases) {
      const run = calendar.find((e) => e.code === r.release)!.disclosureControl!.find((n) => n.dataflow === dataflow)!;
      const summary = run.summary as ProtectionSummary;
      t.same(
        [r.cells, r.withheld, r.byConfStatus.A ?? 0, r.byConfStatus.D ?? 0, r.byConfStatus.C ?? 0],
        [summary.cells, summary.primary + summary.secondary + summary.derived, summary.primary, summary.secondary, summary.derived],
        `${dataflow} ${r.release}: the run's cells and suppressions`,
      );
      checkedRuns += 1;
    }
    const { target, view } = data.target({ api: '3.0', context: 'dataflow', flow: { agencyId: 'UNODC', id: /:([^(]+)\(/.exec(dataflow)![1]!, version: '1.0' }, filters: [], asOf: LOADED_AT });
    const stats = await flowStats(repositories.data, target, view);
    const c = q.completeness;
    t.equal(c.cellsWithData + c.cellsOutside + c.cellsMissing, stats.observations, `${dataflow}: the reader's ${stats.observations} current values`);
    t.equal(q.punctuality.onTime, q.punctuality.due, `${dataflow}: every demo release on time`);
  }
  t.equal(checkedRuns, 11, 'one run per visible release and dataflow');
});

t.test('the held-back release counts from its instant, not 1 ms before', async (t) => {
  const offences = flow('DF_CTS_OFFENCES');
  const before = await quality.indicators({ dataflow: offences, at: shifted(HELD_BACK_AT, -1) });
  const after = await quality.indicators({ dataflow: offences, at: HELD_BACK_AT });
  t.same(before.releases.map((r) => r.code), ['UNCTS-2024']);
  t.same(after.releases.map((r) => r.code), ['UNCTS-2024', HELD_BACK.code]);
  t.same([before.punctuality.due, after.punctuality.due, after.punctuality.onTime], [1, 2, 2], 'not due before its instant, on time at it');
  t.notOk(before.suppression.releases.some((r) => r.release === HELD_BACK.code));
  t.ok(after.completeness.cellsWithData > before.completeness.cellsWithData, `${before.completeness.cellsWithData} → ${after.completeness.cellsWithData} cells`);
  t.ok(after.completeness.dimensions.find((d) => d.dimension === 'OFFENCE')!.withData > before.completeness.dimensions.find((d) => d.dimension === 'OFFENCE')!.withData, 'corruption and economic offences appear');
});

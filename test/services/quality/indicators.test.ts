/**
 * Each quality indicator on a fixture calendar and vintages (test/fixtures/quality-releases.ts)
 * whose answers are worked out by hand below, for the whole dataflow and for one area; the
 * embargo at an instant ± 1 ms (a release not yet visible contributes nothing, and its rows are
 * never even read); an instant after now is now; edge cases (no release, an area without data,
 * an area outside the cube); the same answer twice from one scan.
 *
 * The fixture, DF_CTS_HOMICIDE (values made up, codes real):
 *
 *   release  announced                          state at T0 (2022-02-01)       data (period: value)
 *   Q-R1     2019-06-01                         published on time              AUT 2016:46 2017:53 2018:73 · AUT rate 2018:0.83
 *                                                                              FRA 2017:800 2018:779 · FRA F 2018 withheld (A)
 *                                                                              World 2018:1000 (outside the cube)
 *   Q-R2     2020-06-01, postponed to 06-11     published 10 days late         AUT 2018:75 2019:66 · AUT rate 2018:0.83 2019 withheld (C)
 *                                                                              FRA 2017:800 2018:780 2019:863 · FRA F 2018:250 2019 missing
 *   Q-R3     2021-03-01 12:00                   published on time              AUT 2016 withdrawn 2018:70 2020:41 · FRA 2019 withheld (D)
 *   Q-R4     2021-09-01, cancelled 2021-08-01   cancelled                      (FRA 2020:111, never public)
 *   Q-R5     2022-01-10, postponed 01-05 to     overdue (public 2022-03-01)    (FRA 2021:900)
 *            2022-03-01
 *   Q-R6     2022-06-01                         not due                        (AUT 2021:50)
 *   Q-DRAFT  —                                  never public                   (AUT 2021:999)
 *
 * The allowed cube of DF_CTS_HOMICIDE (sdmx/constraints): FREQ {A}, INDICATOR {VIC_HOM},
 * OFFENCE {0101}, DISAGGREGATION {_T}, UNIT_MEASURE {NR, P_HTHAB} (flow and DSD constraints);
 * SEX and AGE unconstrained: CL_SEX 3 codes, CL_AGE 13; REF_AREA: the 279 codes of CL_AREA less
 * the 23 aggregates the provision agreement excludes = 256. Keys: 256 × 3 × 13 × 2 = 19,968;
 * scoped to one area: 3 × 13 × 2 = 78.
 */
import t, { type Test } from 'tap';
import type { QualityIndicators } from '../../../src/services/quality/index.js';
import { FLOW, NOW, T0, T3, T5, T5_FIRST, fixture } from '../../fixtures/quality-releases.js';

const DAY = 86_400_000;
const shifted = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** Floating-point results compared to the hand-computed figure. */
function near(t: Test, actual: { value: number; unit: string } | null | undefined, value: number, unit: string, what: string): void {
  t.ok(actual, `${what}: has a value`);
  if (!actual) return;
  t.equal(actual.unit, unit, `${what}: in ${unit}`);
  t.ok(Math.abs(actual.value - value) < 1e-9, `${what}: ${actual.value} ≈ ${value}`);
}

t.test('the whole dataflow at T0, each indicator worked out by hand', async (t) => {
  const f = fixture();
  t.teardown(f.close);
  const q = await f.quality.indicators({ dataflow: FLOW, at: T0 });
  t.equal(q.dataflow, FLOW);
  t.equal(q.area, null);
  t.equal(q.at, T0);
  t.same(q.releases.map((r) => r.code), ['Q-R1', 'Q-R2', 'Q-R3'], 'only the releases visible at T0 hold data');

  // Punctuality. Due at T0 (first announced by then): R1, R2, R3, R4 (cancelled on 2021-08-01,
  // first announced 2021-09-01), R5 (first announced 2022-01-10, now 2022-03-01: overdue).
  // R6 (2022-06-01) is not due. On time: R1 and R3 (delay 0); R2 late by 06-11 − 06-01 = 10 days.
  // Share on time 2 / 5 = 40 %; mean lateness over the published (0 + 10 + 0) / 3 = 3.33 days;
  // maximum 10 days. R5 is overdue by 2022-02-01 − 2022-01-10 = 22 days so far.
  const p = q.punctuality;
  t.same([p.due, p.published, p.onTime, p.late, p.overdue, p.cancelled], [5, 3, 2, 1, 1, 1]);
  near(t, p.onTimeShare, 40, 'percent', 'share on time');
  near(t, p.meanDelay, 10 / 3, 'day', 'mean delay');
  near(t, p.maxDelay, 10, 'day', 'maximum delay');
  t.same(
    p.releases.map((r) => [r.release, r.status, r.delay?.value ?? null, r.postponements, r.publishedAt]),
    [
      ['Q-R1', 'on-time', 0, 0, '2019-06-01T00:00:00.000Z'],
      ['Q-R2', 'late', 10, 1, '2020-06-11T00:00:00.000Z'],
      ['Q-R3', 'on-time', 0, 0, T3],
      ['Q-R4', 'cancelled', null, 0, null],
      ['Q-R5', 'overdue', 22, 1, null],
    ],
  );

  // Timeliness: lag from the end of the latest reference period holding data to the release.
  // R1: latest 2018 (AUT, FRA, the withheld FRA F and World all hold data), 2019-01-01 →
  //     2019-06-01 = 31 + 28 + 31 + 30 + 31 = 151 days; first results for 2018.
  // R2: latest 2019 (AUT 66, FRA 863, the withheld rate; FRA F 2019 is missing, no data),
  //     2020-01-01 → 2020-06-11 = 31 + 29 + 31 + 30 + 31 + 10 = 162 days; first for 2019.
  // R3: latest 2020 (AUT 41), 2021-01-01 → 2021-03-01 12:00 = 31 + 28 + 0.5 = 59.5 days.
  // Each holds three periods (R3: 2018, 2019 withheld, 2020; the withdrawal of 2016 is no data).
  // First results: 3 releases, mean (151 + 162 + 59.5) / 3 = 124.1667, min 59.5, max 162.
  const tl = q.timeliness;
  t.same(
    tl.releases.map((r) => [r.release, r.latestPeriod, r.periods, r.lag.value, r.firstResults]),
    [
      ['Q-R1', '2018', 3, 151, true],
      ['Q-R2', '2019', 3, 162, true],
      ['Q-R3', '2020', 3, 59.5, true],
    ],
  );
  t.equal(tl.firstResults.releases, 3);
  near(t, tl.firstResults.meanLag, 372.5 / 3, 'day', 'mean lag of first results');
  near(t, tl.firstResults.minLag, 59.5, 'day', 'shortest lag');
  near(t, tl.firstResults.maxLag, 162, 'day', 'longest lag');

  // Revisions, first vintage P against current vintage L. Cells with two or more vintages:
  //   AUT 2016   46 → withdrawn        not comparable
  //   AUT 2018   73 → 75 → 70          NR, L − P = −3
  //   rate 2018  0.83 → 0.83           P_HTHAB, 0
  //   FRA 2017   800 → 800             NR, 0
  //   FRA 2018   779 → 780             NR, +1
  //   FRA F 2018 withheld → 250        not comparable
  //   FRA 2019   863 → withheld        not comparable
  // Republished 7, compared 4, revised 2, not comparable 3.
  // NR: n = 3, revised 2 (66.67 %), MR = (−3 + 0 + 1) / 3 = −0.667, MAR = (3 + 0 + 1) / 3 = 1.333,
  //     relative MAR = 4 / (70 + 800 + 780) = 0.2424 %. P_HTHAB: n = 1, nothing revised, all 0.
  const rv = q.revisions;
  t.same([rv.republished, rv.compared, rv.revised, rv.notComparable], [7, 4, 2, 3]);
  t.same(
    rv.byUnit.map((u) => [u.unit, u.compared, u.revised]),
    [
      ['NR', 3, 2],
      ['P_HTHAB', 1, 0],
    ],
  );
  const nr = rv.byUnit[0]!;
  near(t, nr.revisedShare, 200 / 3, 'percent', 'NR revised share');
  near(t, nr.meanRevision, -2 / 3, 'NR', 'NR mean revision');
  near(t, nr.meanAbsoluteRevision, 4 / 3, 'NR', 'NR mean absolute revision');
  near(t, nr.relativeMeanAbsoluteRevision, 400 / 1650, 'percent', 'NR relative MAR');
  const rate = rv.byUnit[1]!;
  near(t, rate.meanAbsoluteRevision, 0, 'P_HTHAB', 'rate MAR');
  near(t, rate.relativeMeanAbsoluteRevision, 0, 'percent', 'rate relative MAR');
  // Per release, each vintage against the one it replaced:
  //   R2 republished AUT 2018 (73 → 75), rate 2018 (=), FRA 2017 (=), FRA 2018 (779 → 780),
  //      FRA F 2018 (withheld → 250): 5, compared 4, revised 2, not comparable 1;
  //      NR MAR (2 + 0 + 1) / 3 = 1, P_HTHAB MAR 0.
  //   R3 republished AUT 2018 (75 → 70) and FRA 2019 (863 → withheld): 2, compared 1, revised 1,
  //      not comparable 1, withdrew AUT 2016; NR MAR 5.
  t.same(
    rv.releases.map((r) => [r.release, r.republished, r.compared, r.revised, r.notComparable, r.withdrawn]),
    [
      ['Q-R2', 5, 4, 2, 1, 0],
      ['Q-R3', 2, 1, 1, 1, 1],
    ],
  );
  t.same(
    rv.releases.map((r) => r.byUnit.map((u) => [u.unit, u.compared, u.revised, u.meanAbsoluteRevision?.value])),
    [
      [
        ['NR', 3, 2, 1],
        ['P_HTHAB', 1, 0, 0],
      ],
      [['NR', 1, 1, 5]],
    ],
  );

  // Completeness. Current cells: AUT 2017 53, 2018 70, 2019 66, 2020 41 (2016 withdrawn);
  // rate 2018 0.83, 2019 withheld; FRA 2017 800, 2018 780, 2019 withheld; FRA F 2018 250,
  // 2019 missing; World 2018 outside the cube. In the cube: 8 values + 2 withheld = 10; years
  // 2017–2020 (4); allowed cells 19,968 × 4 = 79,872; share 10 / 79,872 = 0.01252 %, values
  // 8 / 79,872. Series with data: AUT, AUT rate, FRA, FRA F = 4; fill 10 / (4 × 4) = 62.5 %.
  const c = q.completeness;
  t.same(c.years, { first: '2017', last: '2020', count: 4 });
  t.same(
    [c.allowedKeys, c.allowedCells, c.cellsWithData, c.cellsWithValue, c.cellsWithheld, c.cellsOutside, c.cellsMissing, c.seriesWithData],
    [19_968, 79_872, 10, 8, 2, 1, 1, 4],
  );
  near(t, c.share, 1000 / 79_872, 'percent', 'cube share');
  near(t, c.valueShare, 800 / 79_872, 'percent', 'readable share');
  near(t, c.seriesFill, 62.5, 'percent', 'series fill');
  // Per dimension: REF_AREA holds AUT and FRA of 256 (001 is outside), SEX _T and F of 3, AGE _T of 13.
  t.same(
    c.dimensions.map((d) => [d.dimension, d.allowed, d.withData, d.outside]),
    [
      ['FREQ', 1, 1, 0],
      ['REF_AREA', 256, 2, 1],
      ['INDICATOR', 1, 1, 0],
      ['OFFENCE', 1, 1, 0],
      ['SEX', 3, 2, 0],
      ['AGE', 13, 1, 0],
      ['DISAGGREGATION', 1, 1, 0],
      ['UNIT_MEASURE', 2, 2, 0],
    ],
  );
  near(t, c.dimensions[1]!.share, 200 / 256, 'percent', 'REF_AREA share');

  // Suppression per release (withdrawals are not cells, a missing value is not withheld):
  //   R1: AUT ×3, rate, FRA ×2, FRA F, World = 8 cells, 1 withheld (A): 12.5 %
  //   R2: AUT ×2, rate ×2, FRA ×3, FRA F ×2 = 9 cells, 1 withheld (C): 11.11 %
  //   R3: AUT 2018 and 2020, FRA 2019 = 3 cells, 1 withheld (D): 33.33 %
  //   all: 3 of 20 = 15 %.
  const s = q.suppression;
  t.same(
    s.releases.map((r) => [r.release, r.cells, r.withheld, r.byConfStatus]),
    [
      ['Q-R1', 8, 1, { A: 1 }],
      ['Q-R2', 9, 1, { C: 1 }],
      ['Q-R3', 3, 1, { D: 1 }],
    ],
  );
  near(t, s.releases[0]!.share, 12.5, 'percent', 'R1 suppression share');
  near(t, s.releases[1]!.share, 100 / 9, 'percent', 'R2 suppression share');
  near(t, s.releases[2]!.share, 100 / 3, 'percent', 'R3 suppression share');
  t.same([s.cells, s.withheld], [20, 3]);
  near(t, s.share, 15, 'percent', 'suppression share over the releases');

  // Nothing embargoed, cancelled or drafted was read: every scan asked for R1–R3 only.
  t.ok(f.scanned.length > 0);
  for (const pks of f.scanned) t.same([...pks].sort(), [f.pkOf('Q-R1'), f.pkOf('Q-R2'), f.pkOf('Q-R3')].sort());
});

t.test('one area: Austria at T0', async (t) => {
  const f = fixture();
  t.teardown(f.close);
  const q = await f.quality.indicators({ dataflow: FLOW, area: 'AUT', at: T0 });
  t.equal(q.area, 'AUT');
  t.same(q.releases.map((r) => r.code), ['Q-R1', 'Q-R2', 'Q-R3']);
  // Punctuality over the published releases with Austrian data: R1, R3 on time, R2 10 days late.
  // The cancelled and the overdue release show no data, so they are not the area's.
  t.same([q.punctuality.due, q.punctuality.onTime, q.punctuality.late, q.punctuality.overdue, q.punctuality.cancelled], [3, 2, 1, 0, 0]);
  near(t, q.punctuality.onTimeShare, 200 / 3, 'percent', 'share on time');
  near(t, q.punctuality.meanDelay, 10 / 3, 'day', 'mean delay');
  // Timeliness: the same latest periods as the dataflow (Austria has data for 2018, 2019, 2020).
  t.same(q.timeliness.releases.map((r) => [r.release, r.latestPeriod, r.lag.value]), [
    ['Q-R1', '2018', 151],
    ['Q-R2', '2019', 162],
    ['Q-R3', '2020', 59.5],
  ]);
  // Revisions: AUT 2016 (not comparable), AUT 2018 73 → 70 (NR: MR −3, MAR 3, relative 3 / 70),
  // rate 2018 unchanged (P_HTHAB).
  t.same([q.revisions.republished, q.revisions.compared, q.revisions.revised, q.revisions.notComparable], [3, 2, 1, 1]);
  near(t, q.revisions.byUnit[0]!.meanRevision, -3, 'NR', 'MR');
  near(t, q.revisions.byUnit[0]!.meanAbsoluteRevision, 3, 'NR', 'MAR');
  near(t, q.revisions.byUnit[0]!.relativeMeanAbsoluteRevision, 300 / 70, 'percent', 'relative MAR');
  // Completeness against the dataflow's years (2017–2020): 78 keys × 4 = 312 cells; Austria holds
  // AUT 2017–2020 (4) and the rate 2018 (value) and 2019 (withheld): 6, of which 5 values;
  // 6 / 312 = 1.923 %; two series, fill 6 / 8 = 75 %. REF_AREA: 1 allowed, 1 with data.
  const c = q.completeness;
  t.same([c.allowedKeys, c.allowedCells, c.cellsWithData, c.cellsWithValue, c.cellsWithheld, c.cellsOutside, c.seriesWithData], [78, 312, 6, 5, 1, 0, 2]);
  near(t, c.share, 600 / 312, 'percent', 'cube share');
  near(t, c.seriesFill, 75, 'percent', 'series fill');
  t.same(c.dimensions.find((d) => d.dimension === 'REF_AREA'), { dimension: 'REF_AREA', allowed: 1, withData: 1, share: { value: 100, unit: 'percent' }, outside: 0 });
  // Suppression: R1 4 cells none withheld; R2 4 cells, the rate 2019 withheld (C): 25 %;
  // R3 2 cells (2018, 2020; the withdrawal is no cell), none withheld.
  t.same(q.suppression.releases.map((r) => [r.release, r.cells, r.withheld, r.share?.value]), [
    ['Q-R1', 4, 0, 0],
    ['Q-R2', 4, 1, 25],
    ['Q-R3', 2, 0, 0],
  ]);
});

t.test('embargo: a release contributes nothing before its instant and everything from it (± 1 ms)', async (t) => {
  const f = fixture();
  t.teardown(f.close);
  const r3 = f.pkOf('Q-R3');

  // 1 ms before R3: only R1 and R2 are public. Due: R1 on time and R2 late (R4 and R5 are first
  // announced later): 1 of 2 on time. Current cells in the cube: AUT 2016–2019 (4), rate 2018
  // and 2019 (withheld), FRA 2017–2019 (3), FRA F 2018: 10, of which 1 withheld; years 2016–2019.
  // Cells with two vintages: AUT 2018, rate 2018, FRA 2017, FRA 2018, FRA F 2018.
  const before = await f.quality.indicators({ dataflow: FLOW, at: shifted(T3, -1) });
  for (const pks of f.scanned) t.notOk(pks.includes(r3), 'the storage scan never asks for R3 before its instant');
  t.same(before.releases.map((r) => r.code), ['Q-R1', 'Q-R2']);
  t.same([before.punctuality.due, before.punctuality.onTime, before.punctuality.late], [2, 1, 1]);
  near(t, before.punctuality.onTimeShare, 50, 'percent', 'share on time before R3');
  t.same(before.timeliness.releases.map((r) => r.release), ['Q-R1', 'Q-R2']);
  t.same([before.completeness.cellsWithData, before.completeness.cellsWithheld], [10, 1]);
  t.same(before.completeness.years, { first: '2016', last: '2019', count: 4 });
  t.same([before.revisions.republished, before.revisions.compared, before.revisions.revised], [5, 4, 2]);
  t.same(before.suppression.releases.map((r) => r.release), ['Q-R1', 'Q-R2']);

  const at = await f.quality.indicators({ dataflow: FLOW, at: T3 });
  t.same(at.releases.map((r) => r.code), ['Q-R1', 'Q-R2', 'Q-R3'], 'at its instant R3 is in');
  t.same([at.punctuality.due, at.punctuality.onTime], [3, 2]);
  t.same(at.completeness.years, { first: '2017', last: '2020', count: 4 });

  // R5 becomes due at its first announced instant (2022-01-10), though postponed: not counted
  // 1 ms before (due: R1, R2, R3 and the cancelled R4), overdue by 0 days at it.
  const notDue = await f.quality.indicators({ dataflow: FLOW, at: shifted(T5_FIRST, -1) });
  t.same(notDue.punctuality.releases.map((r) => r.release), ['Q-R1', 'Q-R2', 'Q-R3', 'Q-R4']);
  const due = await f.quality.indicators({ dataflow: FLOW, at: T5_FIRST });
  t.same(due.punctuality.releases.map((r) => [r.release, r.status, r.delay?.value]).slice(3), [
    ['Q-R4', 'cancelled', undefined],
    ['Q-R5', 'overdue', 0],
  ]);
  t.same([due.punctuality.due, due.punctuality.overdue], [5, 1]);

  // R5, postponed from 2022-01-10 to 2022-03-01: overdue by 50 days less 1 ms, then 50 days late
  // (2022-01-10 → 2022-03-01 = 21 + 28 + 1 = 50 days), with FRA 2021 appearing.
  const r5 = f.pkOf('Q-R5');
  const overdue = await f.quality.indicators({ dataflow: FLOW, at: shifted(T5, -1) });
  const r5Before = overdue.punctuality.releases.find((r) => r.release === 'Q-R5')!;
  t.equal(r5Before.status, 'overdue');
  near(t, r5Before.delay, 50 - 1 / DAY, 'day', 'overdue so far');
  t.equal(overdue.completeness.years?.last, '2020', 'FRA 2021 is not counted 1 ms before');
  t.notOk(overdue.timeliness.releases.some((r) => r.release === 'Q-R5'));
  t.notOk(f.scanned.some((pks) => pks.includes(r5)), 'R5 rows never read before its instant');

  const published = await f.quality.indicators({ dataflow: FLOW, at: T5 });
  const r5At = published.punctuality.releases.find((r) => r.release === 'Q-R5')!;
  t.same([r5At.status, r5At.delay?.value, r5At.publishedAt], ['late', 50, T5]);
  t.equal(published.completeness.years?.last, '2021');
  // FRA 2021: 2022-01-01 → 2022-03-01 = 59 days, first results for 2021.
  t.same(
    published.timeliness.releases.find((r) => r.release === 'Q-R5'),
    { release: 'Q-R5', publishedAt: T5, latestPeriod: '2021', periods: 1, lag: { value: 59, unit: 'day' }, firstResults: true },
  );
});

t.test('an instant after now is now; a bad instant, dataflow or area is refused', async (t) => {
  const f = fixture();
  t.teardown(f.close);
  const later = await f.quality.indicators({ dataflow: FLOW, at: '2030-01-01T00:00:00Z' });
  t.equal(later.at, NOW);
  t.notOk(later.releases.some((r) => r.code === 'Q-R6'), 'R6 (2022-06-01) is not public now, whatever the instant asked');
  t.notOk(later.punctuality.releases.some((r) => r.release === 'Q-R6'), 'and not due');
  t.notOk(f.scanned.some((pks) => pks.includes(f.pkOf('Q-R6')) || pks.includes(f.pkOf('Q-DRAFT')) || pks.includes(f.pkOf('Q-R4'))));
  const now = await f.quality.indicators({ dataflow: 'DF_CTS_HOMICIDE' });
  t.equal(now.at, NOW, 'no instant: now');
  t.equal(now.dataflow, FLOW, 'a bare id names the dataflow');
  t.same(now, later, 'the same answer');

  const failure = (p: Promise<unknown>) => p.then(() => 'resolved', (err: unknown) => err);
  t.match(await failure(f.quality.indicators({ dataflow: FLOW, at: 'yesterday' })), { kind: 'invalid-input', details: { parameter: 'at' } });
  t.match(await failure(f.quality.indicators({ dataflow: 'UNODC:DF_NOPE(1.0)' })), { kind: 'not-found', code: 'unknown-dataflow' });
  t.match(await failure(f.quality.indicators({ dataflow: 'not a flow' })), { kind: 'invalid-input', details: { parameter: 'dataflow' } });
  t.match(await failure(f.quality.indicators({ dataflow: FLOW, area: 'XXX' })), { kind: 'invalid-input', details: { parameter: 'area' } });
});

t.test('edge cases: no release, an area without data, an area outside the cube, a single vintage', async (t) => {
  const f = fixture();
  t.teardown(f.close);
  // DF_CTS_COURTS has no release at all: nothing is due, nothing to average, no year.
  const none = await f.quality.indicators({ dataflow: 'UNODC:DF_CTS_COURTS(1.0)', at: T0 });
  t.same(none.releases, []);
  t.same([none.punctuality.due, none.punctuality.onTimeShare, none.punctuality.meanDelay, none.punctuality.maxDelay], [0, null, null, null]);
  t.same(none.timeliness, { releases: [], firstResults: { releases: 0, meanLag: null, minLag: null, maxLag: null } });
  t.same([none.revisions.republished, none.revisions.byUnit, none.revisions.releases], [0, [], []]);
  t.same([none.completeness.years, none.completeness.allowedCells, none.completeness.share, none.completeness.seriesFill], [null, 0, null, null]);
  t.same([none.suppression.releases, none.suppression.share], [[], null]);

  // Germany: allowed, no data. 78 keys × 4 years, none filled: 0 %, not null.
  const deu = await f.quality.indicators({ dataflow: FLOW, area: 'DEU', at: T0 });
  t.same([deu.releases, deu.punctuality.due, deu.punctuality.onTimeShare], [[], 0, null]);
  t.same([deu.completeness.allowedCells, deu.completeness.cellsWithData, deu.completeness.share?.value], [312, 0, 0]);

  // World (001): excluded by the provision agreement. Its one cell is outside; no share.
  const world = await f.quality.indicators({ dataflow: FLOW, area: '001', at: T0 });
  t.same([world.completeness.allowedKeys, world.completeness.cellsOutside, world.completeness.share], [0, 1, null]);
  t.same(world.suppression.releases.map((r) => [r.release, r.cells, r.withheld]), [['Q-R1', 1, 0]]);

  // Before R2, every cell has a single vintage: nothing republished, no revision to average.
  const single = await f.quality.indicators({ dataflow: FLOW, at: '2020-01-01T00:00:00Z' });
  t.same([single.revisions.republished, single.revisions.compared, single.revisions.byUnit, single.revisions.releases], [0, 0, [], []]);
});

t.test('deterministic, and the data are scanned once per visible state', async (t) => {
  const f = fixture();
  t.teardown(f.close);
  const first: QualityIndicators = await f.quality.indicators({ dataflow: FLOW, at: T0 });
  const scans = f.scanned.length;
  const [again, austria] = await Promise.all([f.quality.indicators({ dataflow: FLOW, at: T0 }), f.quality.indicators({ dataflow: FLOW, area: 'AUT', at: T0 })]);
  t.same(again, first);
  t.equal(JSON.stringify(again), JSON.stringify(first), 'byte for byte, in the same order');
  t.equal(f.scanned.length, scans, 'the dataflow and its areas come from the one scan');
  t.equal(austria.area, 'AUT');
  // Another instant in the same visible state (after R3, before R4 was due) reads nothing again.
  await f.quality.indicators({ dataflow: FLOW, at: '2021-06-01T00:00:00Z' });
  t.equal(f.scanned.length, scans);
});

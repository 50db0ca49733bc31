/**
 * Disclosure control over the additive relations the structures declare (SDMX hierarchical
 * codelists annotated ADDITIVITY in sdmx/hierarchicalcodelists/), on the real dataflows, with
 * the real ProtectionService, releases and SQLite storage. Each table is small and hand-made so
 * the answer is known; every protected count is checked against an attacker computed here,
 * independently (test/helpers/attacker-interval.ts), from what the public sees and the relations
 * the structures tell him hold, written out by hand below.
 */
import t, { type Test } from 'tap';
import { attackerInterval, type AttackerCell, type AttackerRelation } from '../helpers/attacker-interval.js';
import { cellId, ctsKey, protectionFixture, type Cell, type ProtectionFixture, type StoredRun } from '../helpers/protection-fixture.js';
import { publishability } from '../../src/disclosure/publishability.js';
import type { Release } from '../../src/storage/repositories.js';

const NOW = '2026-11-21T12:00:00.000Z';
const YEAR = '2022';
const id = (key: string, period = YEAR) => cellId(key, period);
/** parent = Σ children (exact) or parent ≥ Σ children. */
const rel = (parent: string, children: readonly string[], exact = true): AttackerRelation => ({ parent, children, exact });
const cells = (values: Readonly<Record<string, number>>, period = YEAR): Cell[] => Object.entries(values).map(([key, value]) => ({ key, period, value }));

function fixture(t: Test): ProtectionFixture {
  const fx = protectionFixture(NOW);
  t.teardown(() => fx.close());
  return fx;
}

/** Drafts, protects (the computed pattern) and reads back the run and the pattern. */
async function protect(fx: ProtectionFixture, code: string, dataflow: string, data: readonly Cell[], revises?: Release) {
  const release = fx.draft(code, dataflow, data, revises);
  const [result, ...others] = await fx.service.protect(release, 'test');
  if (!result || others.length > 0) throw new Error(`expected one dataflow protected, got ${1 + others.length}`);
  return { release, result, run: fx.runOf(release, dataflow), suppressed: fx.suppressedOf(release, dataflow) };
}

const required = (v: number): [number, number] => [v - Math.min(v, 3), v + 3];

/** Every target's attacker interval, computed here, keeps its protection interval. */
async function assertUnrecoverable(t: Test, view: ReadonlyMap<string, AttackerCell>, relations: readonly AttackerRelation[], targets: readonly string[]) {
  for (const target of targets) {
    const v = view.get(target)!.value;
    const [lo, hi] = await attackerInterval(view, relations, target);
    const [needLo, needHi] = required(v);
    t.ok(lo <= needLo + 1e-6 && hi >= needHi - 1e-6, `${target} = ${v}: the attacker's interval [${lo}, ${hi}] covers [${needLo}, ${needHi}]`);
  }
}

/**
 * The run's audit agrees with the attacker computed here: every cell safe, every interval it
 * reports lies within his (it proves what he cannot narrow), and an exact one equals his.
 */
async function assertAuditSound(t: Test, run: StoredRun, view: ReadonlyMap<string, AttackerCell>, relations: readonly AttackerRelation[]) {
  for (const a of run.audit) {
    const cell = id(a.key, a.period);
    const [lo, hi] = await attackerInterval(view, relations, cell);
    const reported: [number, number] = [a.attacker[0] ?? Number.NaN, a.attacker[1] ?? Infinity];
    t.ok(a.safe, `${cell}: audited safe`);
    t.same(a.required, required(a.value), `${cell}: its protection interval`);
    t.ok(reported[0] >= lo - 1e-6 && reported[1] <= hi + 1e-6, `${cell}: the audit's [${reported}] lies within the attacker's [${lo}, ${hi}]`);
    if (a.exact) t.same(reported, [lo, hi], `${cell}: the exact interval is the attacker's`);
  }
}

/** The public view of one release alone (no earlier vintages). */
function viewOf(fx: ProtectionFixture, release: Release, dataflow: string, data: readonly Cell[]) {
  return fx.publicView([{ release, dataflow, cells: data }]);
}

/** The view with some cells' visibility changed: what the attacker would see under another pattern. */
function viewWith(view: ReadonlyMap<string, AttackerCell>, known: Readonly<Record<string, boolean>>): Map<string, AttackerCell> {
  const out = new Map(view);
  for (const [cell, isKnown] of Object.entries(known)) out.set(cell, { value: view.get(cell)!.value, known: isKnown });
  return out;
}

type Protected = Awaited<ReturnType<typeof protect>>;
type Hierarchies = Readonly<Record<string, { relations: number; broken: number }>>;

/**
 * What every case checks of a run: it passed, its relations come from the hierarchies named (and
 * only those), the stored pattern is `pattern` (cell id → primary or secondary), every cell its
 * audit lists is safe by the attacker computed here, and every primary is unrecoverable by him.
 */
async function checkRun(
  t: Test,
  run: Protected,
  expected: { relationsByHierarchy: Hierarchies; pattern?: Readonly<Record<string, string>> },
  view: ReadonlyMap<string, AttackerCell>,
  relations: readonly AttackerRelation[],
) {
  t.equal(run.result.passed, true, 'the independent audit passed');
  t.equal(run.run.passed, true, 'the stored run passed');
  t.same(run.result.summary.relationsByHierarchy, expected.relationsByHierarchy, 'the relations in the table, by declaring hierarchy');
  t.same(run.run.summary.audit, { protectedCells: run.run.audit.length, failed: 0, passed: true });
  if (expected.pattern) t.same(Object.fromEntries(run.suppressed), expected.pattern, 'the stored suppression pattern');
  const primaries = [...run.suppressed].filter(([, kind]) => kind === 'primary').map(([cell]) => cell);
  t.same(
    run.run.audit.filter((a) => !a.earlierRelease).map((a) => id(a.key, a.period)).sort(),
    [...primaries].sort(),
    'the audit covers every primary cell of the release',
  );
  await assertUnrecoverable(t, view, relations, [...primaries, ...run.run.audit.filter((a) => a.earlierRelease).map((a) => id(a.key, a.period))]);
  await assertAuditSound(t, run.run, view, relations);
}

const H = {
  citizenship: 'HCL_DISAGGREGATION.DISAGG_CITIZENSHIP',
  legal: 'HCL_DISAGGREGATION.DISAGG_LEGAL_REPRESENTATION',
  entry: 'HCL_DISAGGREGATION.DISAGG_ENTRY_STATUS',
  detention: 'HCL_DISAGGREGATION.DISAGG_DETENTION_LENGTH',
  under6m: 'HCL_DISAGGREGATION.DISAGG_DETENTION_UNDER_6M',
  death: 'HCL_DISAGGREGATION.DISAGG_CAUSE_OF_DEATH',
  relationship: 'HCL_DISAGGREGATION.DISAGG_RELATIONSHIP',
  cyber: 'HCL_DISAGGREGATION.DISAGG_CYBER',
  prisonPopulation: 'HCL_CJ_INDICATOR.INDICATOR_PRISON_POPULATION',
  sex: 'HCL_SEX.SEX_TOTAL',
  age: 'HCL_AGE.AGE_TOTAL',
} as const;
const sound = (relations: number) => ({ relations, broken: 0 });

t.test('every breakdown group of CL_DISAGGREGATION, on the dataflow where it occurs, protects its small counts', async (t) => {
  const fx = fixture(t);

  t.test('citizenship (DF_CTS_CONVICTED): _T = CIT_NAT + CIT_FOR; 44 = 42 + 2 does not give the 2 foreigners away', async (t) => {
    const key = (area: string, d: string) => ctsKey(area, 'PER_CONVICT', '_T', d);
    const k = (area: string, d: string) => id(key(area, d));
    const data = cells({
      [key('AUT', '_T')]: 44, [key('AUT', 'CIT_NAT')]: 42, [key('AUT', 'CIT_FOR')]: 2,
      [key('BEL', '_T')]: 120, [key('BEL', 'CIT_NAT')]: 100, [key('BEL', 'CIT_FOR')]: 20,
      [key('DEU', '_T')]: 300, [key('DEU', 'CIT_NAT')]: 260, [key('DEU', 'CIT_FOR')]: 40,
    });
    const run = await protect(fx, 'CIT', 'DF_CTS_CONVICTED', data);
    const relations = ['AUT', 'BEL', 'DEU'].map((a) => rel(k(a, '_T'), [k(a, 'CIT_NAT'), k(a, 'CIT_FOR')]));
    const view = viewOf(fx, run.release, 'DF_CTS_CONVICTED', data);
    await checkRun(t, run, { relationsByHierarchy: { [H.citizenship]: sound(3) }, pattern: { [k('AUT', 'CIT_FOR')]: 'primary', [k('AUT', 'CIT_NAT')]: 'secondary' } }, view, relations);
    t.equal(run.result.summary.primary, 1);
    t.equal(run.result.summary.secondary, 1, 'one complement');
    t.same(
      await attackerInterval(viewWith(view, { [k('AUT', 'CIT_NAT')]: true }), relations, k('AUT', 'CIT_FOR')),
      [2, 2],
      'with the nationals published, 44 − 42 gives the foreigners away: the complement is what protects them',
    );
  });

  t.test('legal representation (DF_CTS_COURTS): _T = LEG_WITH + LEG_NONE and LEG_WITH = LEG_PAID_FREE + LEG_PAID_SELF', async (t) => {
    const k = (area: string, d: string) => id(ctsKey(area, 'PER_COURT', '_T', d));
    const values = { AUT: [60, 40, 20, 38, 2], BEL: [200, 150, 50, 100, 50] };
    const codes = ['_T', 'LEG_WITH', 'LEG_NONE', 'LEG_PAID_FREE', 'LEG_PAID_SELF'];
    const data = Object.entries(values).flatMap(([area, v]) => cells(Object.fromEntries(codes.map((c, i) => [ctsKey(area, 'PER_COURT', '_T', c), v[i]!]))));
    const run = await protect(fx, 'LEG', 'DF_CTS_COURTS', data);
    const relations = ['AUT', 'BEL'].flatMap((a) => [
      rel(k(a, '_T'), [k(a, 'LEG_WITH'), k(a, 'LEG_NONE')]),
      rel(k(a, 'LEG_WITH'), [k(a, 'LEG_PAID_FREE'), k(a, 'LEG_PAID_SELF')]),
    ]);
    const view = viewOf(fx, run.release, 'DF_CTS_COURTS', data);
    await checkRun(
      t,
      run,
      { relationsByHierarchy: { [H.legal]: sound(4) }, pattern: { [k('AUT', 'LEG_PAID_SELF')]: 'primary', [k('AUT', 'LEG_PAID_FREE')]: 'secondary' } },
      view,
      relations,
    );
    t.same(
      await attackerInterval(viewWith(view, { [k('AUT', 'LEG_PAID_FREE')]: true }), relations, k('AUT', 'LEG_PAID_SELF')),
      [2, 2],
      'the complement sits in the subtotal LEG_WITH = 40 = 38 + 2, which would give the 2 away',
    );
  });

  t.test('status of persons entering prison (DF_CTS_PRISONS, PRIS_ENTER): _T = STA_SENT + STA_UNSENT', async (t) => {
    const key = (area: string, d: string) => ctsKey(area, 'PRIS_ENTER', '_T', d);
    const k = (area: string, d: string) => id(key(area, d));
    const data = cells({
      [key('AUT', '_T')]: 100, [key('AUT', 'STA_SENT')]: 97, [key('AUT', 'STA_UNSENT')]: 3,
      [key('BEL', '_T')]: 900, [key('BEL', 'STA_SENT')]: 600, [key('BEL', 'STA_UNSENT')]: 300,
    });
    const run = await protect(fx, 'STA', 'DF_CTS_PRISONS', data);
    const relations = ['AUT', 'BEL'].map((a) => rel(k(a, '_T'), [k(a, 'STA_SENT'), k(a, 'STA_UNSENT')]));
    const view = viewOf(fx, run.release, 'DF_CTS_PRISONS', data);
    await checkRun(t, run, { relationsByHierarchy: { [H.entry]: sound(2) }, pattern: { [k('AUT', 'STA_UNSENT')]: 'primary', [k('AUT', 'STA_SENT')]: 'secondary' } }, view, relations);
  });

  t.test('length of unsentenced detention (DF_CTS_PRISONS, PRIS_UNSENT): _T = DET_LT12M + DET_GT12M', async (t) => {
    const key = (area: string, d: string) => ctsKey(area, 'PRIS_UNSENT', '_T', d);
    const k = (area: string, d: string) => id(key(area, d));
    const data = cells({
      [key('AUT', '_T')]: 50, [key('AUT', 'DET_LT12M')]: 48, [key('AUT', 'DET_GT12M')]: 2,
      [key('BEL', '_T')]: 500, [key('BEL', 'DET_LT12M')]: 350, [key('BEL', 'DET_GT12M')]: 150,
    });
    const run = await protect(fx, 'DET', 'DF_CTS_PRISONS', data);
    const relations = ['AUT', 'BEL'].map((a) => rel(k(a, '_T'), [k(a, 'DET_LT12M'), k(a, 'DET_GT12M')]));
    const view = viewOf(fx, run.release, 'DF_CTS_PRISONS', data);
    await checkRun(t, run, { relationsByHierarchy: { [H.detention]: sound(2) }, pattern: { [k('AUT', 'DET_GT12M')]: 'primary', [k('AUT', 'DET_LT12M')]: 'secondary' } }, view, relations);
  });

  t.test('cause of death in prison (PRIS_DEATH, offence _Z): _T = DEATH_NAT + DEATH_EXT, DEATH_EXT = HOM + SUI + ACC', async (t) => {
    const k = (d: string) => id(ctsKey('AUT', 'PRIS_DEATH', '_Z', d));
    const codes = { _T: 12, DEATH_NAT: 6, DEATH_EXT: 6, DEATH_EXT_HOM: 1, DEATH_EXT_SUI: 4, DEATH_EXT_ACC: 1 };
    const data = cells(Object.fromEntries(Object.entries(codes).map(([c, v]) => [ctsKey('AUT', 'PRIS_DEATH', '_Z', c), v])));
    const run = await protect(fx, 'DEATH', 'DF_CTS_PRISONS', data);
    const relations = [rel(k('_T'), [k('DEATH_NAT'), k('DEATH_EXT')]), rel(k('DEATH_EXT'), [k('DEATH_EXT_HOM'), k('DEATH_EXT_SUI'), k('DEATH_EXT_ACC')])];
    const view = viewOf(fx, run.release, 'DF_CTS_PRISONS', data);
    await checkRun(
      t,
      run,
      { relationsByHierarchy: { [H.death]: sound(2) }, pattern: { [k('DEATH_EXT_HOM')]: 'primary', [k('DEATH_EXT_ACC')]: 'primary', [k('DEATH_EXT_SUI')]: 'secondary' } },
      view,
      relations,
    );
    t.same(
      await attackerInterval(viewWith(view, { [k('DEATH_EXT_SUI')]: true }), relations, k('DEATH_EXT_HOM')),
      [0, 2],
      'the two small causes hidden together would only reach [0, 2]: a third cell of DEATH_EXT is needed',
    );
  });

  t.test('relationship to the perpetrator (DF_CTS_VICTIMS): _T = REL_FAM + REL_KNOWN + REL_UNKNOWN + REL_NK', async (t) => {
    // The dataflow's content constraint lists no _T for DISAGGREGATION, so the UN-CTS files never
    // carry this total there; a national file that does gets the relation.
    const k = (d: string) => id(ctsKey('AUT', 'VIC_SEXVIOL', '0301', d));
    const codes = { _T: 30, REL_FAM: 20, REL_KNOWN: 5, REL_UNKNOWN: 3, REL_NK: 2 };
    const data = cells(Object.fromEntries(Object.entries(codes).map(([c, v]) => [ctsKey('AUT', 'VIC_SEXVIOL', '0301', c), v])));
    const run = await protect(fx, 'REL', 'DF_CTS_VICTIMS', data);
    const relations = [rel(k('_T'), ['REL_FAM', 'REL_KNOWN', 'REL_UNKNOWN', 'REL_NK'].map(k))];
    const view = viewOf(fx, run.release, 'DF_CTS_VICTIMS', data);
    await checkRun(
      t,
      run,
      { relationsByHierarchy: { [H.relationship]: sound(1) }, pattern: { [k('REL_UNKNOWN')]: 'primary', [k('REL_NK')]: 'primary', [k('REL_FAM')]: 'secondary' } },
      view,
      relations,
    );
  });

  t.test('cyber-related offences (DF_CTS_OFFENCES): CY is a part of _T, not a sum', async (t) => {
    const key = (area: string, d: string) => ctsKey(area, 'OFF', '0208', d);
    const k = (area: string, d: string) => id(key(area, d));
    const data = cells({ [key('AUT', '_T')]: 200, [key('AUT', 'CY')]: 2, [key('BEL', '_T')]: 3, [key('BEL', 'CY')]: 1, [key('DEU', '_T')]: 900, [key('DEU', 'CY')]: 300 });
    const run = await protect(fx, 'CY', 'DF_CTS_OFFENCES', data);
    const relations = ['AUT', 'BEL', 'DEU'].map((a) => rel(k(a, '_T'), [k(a, 'CY')], false));
    const view = viewOf(fx, run.release, 'DF_CTS_OFFENCES', data);
    await checkRun(t, run, { relationsByHierarchy: { [H.cyber]: sound(3) } }, view, relations);
    t.same(
      [...run.suppressed].filter(([, kind]) => kind === 'primary').map(([cell]) => cell).sort(),
      [k('AUT', 'CY'), k('BEL', 'CY'), k('BEL', '_T')].sort(),
      'the small counts, cyber parts and a small whole alike',
    );
    t.notOk(run.suppressed.has(k('DEU', '_T')) || run.suppressed.has(k('DEU', 'CY')), 'nothing of a country without small counts');
    t.same(await attackerInterval(viewWith(view, { [k('AUT', '_T')]: true }), relations, k('AUT', 'CY')), [0, 200], 'with the whole published, only CY ≤ 200 is known');

    // CY ≤ 200 already keeps the cyber part's [0, 5]: the total of all offences need not go.
    const supplied = fx.draft('CY-SUPPLIED', 'DF_CTS_OFFENCES', data);
    const [audited] = await fx.service.protect(supplied, 'test', { dataflow: 'UNODC:DF_CTS_OFFENCES(1.0)', cells: [key('AUT', 'CY'), key('BEL', 'CY'), key('BEL', '_T')].map((c) => ({ key: c, period: YEAR })) });
    t.equal(audited!.passed, true, "the product's own audit passes the pattern of the small counts alone");
    t.notOk(run.suppressed.has(k('AUT', '_T')), 'so the computed pattern leaves the whole (200 offences) published');
  });
});

t.test('the prison population: PRIS_HELD = PRIS_SENT + PRIS_UNSENT, crossed with sex', async (t) => {
  const fx = fixture(t);
  const key = (indicator: string, sex: string) => ctsKey('AUT', indicator, '_T', '_T', sex);
  const k = (indicator: string, sex: string) => id(key(indicator, sex));
  const data = cells({
    [key('PRIS_HELD', '_T')]: 80, [key('PRIS_HELD', 'F')]: 10, [key('PRIS_HELD', 'M')]: 70,
    [key('PRIS_SENT', '_T')]: 78, [key('PRIS_SENT', 'F')]: 9, [key('PRIS_SENT', 'M')]: 69,
    [key('PRIS_UNSENT', '_T')]: 2, [key('PRIS_UNSENT', 'F')]: 1, [key('PRIS_UNSENT', 'M')]: 1,
  });
  const run = await protect(fx, 'HELD', 'DF_CTS_PRISONS', data);
  const relations = [
    ...['_T', 'F', 'M'].map((s) => rel(k('PRIS_HELD', s), [k('PRIS_SENT', s), k('PRIS_UNSENT', s)])),
    ...['PRIS_HELD', 'PRIS_SENT', 'PRIS_UNSENT'].map((i) => rel(k(i, '_T'), [k(i, 'F'), k(i, 'M')])),
  ];
  const view = viewOf(fx, run.release, 'DF_CTS_PRISONS', data);
  await checkRun(
    t,
    run,
    {
      relationsByHierarchy: { [H.prisonPopulation]: sound(3), [H.sex]: sound(3) },
      pattern: Object.fromEntries(['_T', 'F', 'M'].flatMap((s) => [[k('PRIS_UNSENT', s), 'primary'], [k('PRIS_SENT', s), 'secondary']])),
    },
    view,
    relations,
  );
  const unsentOnly = viewWith(view, Object.fromEntries(['_T', 'F', 'M'].map((s) => [k('PRIS_SENT', s), true])));
  for (const s of ['_T', 'F', 'M']) {
    const v = view.get(k('PRIS_UNSENT', s))!.value;
    t.same(await attackerInterval(unsentOnly, relations, k('PRIS_UNSENT', s)), [v, v], `with the sentenced published, held − sentenced gives unsentenced ${s} away`);
  }
});

t.test('overlapping codes: DET_LT6M is a part of DET_LT12M, an inequality, never added into a sum', async (t) => {
  const fx = fixture(t);
  const key = (area: string, d: string) => ctsKey(area, 'PRIS_UNSENT', '_T', d);
  const k = (area: string, d: string) => id(key(area, d));
  const data = cells({
    [key('AUT', '_T')]: 50, [key('AUT', 'DET_LT12M')]: 30, [key('AUT', 'DET_GT12M')]: 20, [key('AUT', 'DET_LT6M')]: 2,
    [key('BEL', '_T')]: 45, [key('BEL', 'DET_LT12M')]: 3, [key('BEL', 'DET_GT12M')]: 42, [key('BEL', 'DET_LT6M')]: 1,
  });
  const run = await protect(fx, 'LT6M', 'DF_CTS_PRISONS', data);
  const relations = ['AUT', 'BEL'].flatMap((a) => [rel(k(a, '_T'), [k(a, 'DET_LT12M'), k(a, 'DET_GT12M')]), rel(k(a, 'DET_LT12M'), [k(a, 'DET_LT6M')], false)]);
  const view = viewOf(fx, run.release, 'DF_CTS_PRISONS', data);
  // Were DET_LT6M added into a sum (_T = 30 + 20 + 2, or DET_LT12M = 2), the relation would not hold and be counted broken.
  await checkRun(t, run, { relationsByHierarchy: { [H.detention]: sound(2), [H.under6m]: sound(2) } }, view, relations);
  t.same(
    [...run.suppressed].filter(([, kind]) => kind === 'primary').map(([cell]) => cell).sort(),
    [k('AUT', 'DET_LT6M'), k('BEL', 'DET_LT12M'), k('BEL', 'DET_LT6M')].sort(),
  );
  t.ok(run.suppressed.has(k('BEL', 'DET_GT12M')) || run.suppressed.has(k('BEL', '_T')), 'BEL: 45 = 3 + 42 needs a complement for the 3 under 12 months');
  t.same(await attackerInterval(viewWith(view, { [k('AUT', 'DET_LT12M')]: true, [k('AUT', 'DET_GT12M')]: true }), relations, k('AUT', 'DET_LT6M')), [0, 30], 'AUT: under 6 months ≤ under 12 months = 30, nothing more');

  const supplied = fx.draft('LT6M-SUPPLIED', 'DF_CTS_PRISONS', data);
  const pattern = [key('AUT', 'DET_LT6M'), key('BEL', 'DET_LT12M'), key('BEL', 'DET_LT6M'), key('BEL', 'DET_GT12M')];
  const [audited] = await fx.service.protect(supplied, 'test', { dataflow: 'UNODC:DF_CTS_PRISONS(1.0)', cells: pattern.map((c) => ({ key: c, period: YEAR })) });
  t.equal(audited!.passed, true, "the product's own audit passes AUT's under-6-months hidden alone");
  t.notOk(run.suppressed.has(k('AUT', 'DET_LT12M')) || run.suppressed.has(k('AUT', 'DET_GT12M')), 'so the computed pattern leaves AUT under/over 12 months published');
});

t.test('figures that do not add up: broken relations are reported, kept as the attacker believes them, and protection holds', async (t) => {
  const fx = fixture(t);
  const key = (area: string, sex: string, age: string) => ctsKey(area, 'PER_CONVICT', '_T', '_T', sex, age);
  const k = (area: string, sex: string, age: string) => id(key(area, sex, age));
  const data = cells({
    // An exact sum that does not hold: F + M = 17, not 20.
    [key('AUT', '_T', '_T')]: 20, [key('AUT', 'F', '_T')]: 2, [key('AUT', 'M', '_T')]: 15,
    // Parts that exceed the whole (age unknown, _U, is not reported, so _T ≥ the others): 2 + 9 > 10.
    [key('BEL', '_T', '_T')]: 10, [key('BEL', '_T', 'Y_LT18')]: 2, [key('BEL', '_T', 'Y_GE18')]: 9,
  });
  const run = await protect(fx, 'BROKEN', 'DF_CTS_CONVICTED', data);
  const relations = [
    rel(k('AUT', '_T', '_T'), [k('AUT', 'F', '_T'), k('AUT', 'M', '_T')]),
    rel(k('BEL', '_T', '_T'), [k('BEL', '_T', 'Y_LT18'), k('BEL', '_T', 'Y_GE18')], false),
  ];
  const view = viewOf(fx, run.release, 'DF_CTS_CONVICTED', data);
  await checkRun(t, run, { relationsByHierarchy: { [H.sex]: { relations: 1, broken: 1 }, [H.age]: { relations: 1, broken: 1 } } }, view, relations);
  t.same(
    [...run.run.findings.brokenRelations].sort((a, b) => a.hierarchy.localeCompare(b.hierarchy)),
    [
      {
        hierarchy: H.age,
        dimension: 'AGE',
        problem: 'parts exceed the whole',
        period: YEAR,
        whole: { key: key('BEL', '_T', '_T'), value: 10 },
        parts: [{ key: key('BEL', '_T', 'Y_LT18'), value: 2 }, { key: key('BEL', '_T', 'Y_GE18'), value: 9 }],
        difference: -1,
      },
      {
        hierarchy: H.sex,
        dimension: 'SEX',
        problem: 'exact sum does not hold',
        period: YEAR,
        whole: { key: key('AUT', '_T', '_T'), value: 20 },
        parts: [{ key: key('AUT', 'F', '_T'), value: 2 }, { key: key('AUT', 'M', '_T'), value: 15 }],
        difference: 3,
      },
    ],
    'each broken relation with its cells, true values and difference',
  );
  t.same(run.run.summary.dataQuality, { brokenRelations: 2, unprotectable: 0 });
  t.same(
    [...run.suppressed].filter(([, kind]) => kind === 'primary').map(([cell]) => cell).sort(),
    [k('AUT', 'F', '_T'), k('BEL', '_T', 'Y_LT18')].sort(),
  );
  t.same(
    await attackerInterval(viewWith(view, { [k('AUT', 'M', '_T')]: true, [k('AUT', '_T', '_T')]: true }), relations, k('AUT', 'F', '_T')),
    [5, 5],
    'hidden alone, the 2 women would be believed to be 20 − 15 = 5: wrong, but not protected by [0, 5] either',
  );
});

t.test('a revision that leaves part of a table unrevised is protected together with it', async (t) => {
  t.test("B breaks down a total A published: the relation runs from A's unrevised total to B's new cells", async (t) => {
    const fx = fixture(t);
    const key = (d: string) => ctsKey('AUT', 'PER_CONVICT', '_T', d);
    const k = (d: string, period: string) => id(key(d), period);
    // A: 2021 complete, 2022 the total and the nationals only.
    const aData = [...cells({ [key('_T')]: 50, [key('CIT_NAT')]: 47, [key('CIT_FOR')]: 3 }, '2021'), ...cells({ [key('_T')]: 44, [key('CIT_NAT')]: 40 }, '2022')];
    const a = await protect(fx, 'A', 'DF_CTS_CONVICTED', aData);
    t.same(Object.fromEntries(a.suppressed), { [k('CIT_FOR', '2021')]: 'primary', [k('CIT_NAT', '2021')]: 'secondary' }, 'A protected its own small count');
    fx.publish(a.release, '2026-06-01T10:00:00.000Z');
    // B revises 2022 only: the nationals (40 → 42) and the foreigners it now has (2); A's 2022 total stands.
    const bData = cells({ [key('CIT_NAT')]: 42, [key('CIT_FOR')]: 2 }, '2022');
    const b = await protect(fx, 'B', 'DF_CTS_CONVICTED', bData, a.release);
    t.match(b.result.summary, { countCells: 2, earlierCells: 4, earlierReleases: ['A'] }, "A's 2021 cells and its 2022 total are in B's table");
    const relations = ['2021', '2022'].map((p) => rel(k('_T', p), [k('CIT_NAT', p), k('CIT_FOR', p)]));
    const view = fx.publicView([
      { release: a.release, dataflow: 'DF_CTS_CONVICTED', cells: aData },
      { release: b.release, dataflow: 'DF_CTS_CONVICTED', cells: bData },
    ]);
    t.same(view.get(k('_T', '2022')), { value: 44, known: true }, "A's 2022 total is public");
    await checkRun(
      t,
      b,
      { relationsByHierarchy: { [H.citizenship]: sound(2) }, pattern: { [k('CIT_FOR', '2022')]: 'primary', [k('CIT_NAT', '2022')]: 'secondary' } },
      view,
      relations,
    );
    t.match(
      b.run.audit.find((c) => c.earlierRelease),
      { key: key('CIT_FOR'), period: '2021', value: 3, safe: true },
      "A's small count of 2021 stays a protected cell of B's table",
    );
    t.same(
      await attackerInterval(viewWith(view, { [k('CIT_NAT', '2022')]: true }), relations, k('CIT_FOR', '2022')),
      [2, 2],
      "had B been protected alone (no relation in it), publishing the nationals would give the foreigners away against A's total",
    );
  });

  t.test("B revises the total and a part: the small part it leaves is A's, suppressed, and stays protected", async (t) => {
    const fx = fixture(t);
    const key = (d: string) => ctsKey('AUT', 'PER_CONVICT', '_T', d);
    const k = (d: string) => id(key(d));
    const aData = cells({ [key('_T')]: 44, [key('CIT_NAT')]: 42, [key('CIT_FOR')]: 2 });
    const a = await protect(fx, 'A', 'DF_CTS_CONVICTED', aData);
    t.same(Object.fromEntries(a.suppressed), { [k('CIT_FOR')]: 'primary', [k('CIT_NAT')]: 'secondary' });
    fx.publish(a.release, '2026-06-01T10:00:00.000Z');
    const bData = cells({ [key('_T')]: 45, [key('CIT_NAT')]: 43 });
    const b = await protect(fx, 'B', 'DF_CTS_CONVICTED', bData, a.release);
    t.match(b.result.summary, { countCells: 2, earlierCells: 1, earlierReleases: ['A'], primary: 0 });
    const relations = [rel(k('_T'), [k('CIT_NAT'), k('CIT_FOR')])];
    const view = fx.publicView([
      { release: a.release, dataflow: 'DF_CTS_CONVICTED', cells: aData },
      { release: b.release, dataflow: 'DF_CTS_CONVICTED', cells: bData },
    ]);
    await checkRun(t, b, { relationsByHierarchy: { [H.citizenship]: sound(1) } }, view, relations);
    t.equal(b.suppressed.size, 1, 'one of the revised total and nationals is hidden');
    t.match(b.run.audit, [{ key: key('CIT_FOR'), value: 2, earlierRelease: true, safe: true }]);
    t.same(await attackerInterval(viewWith(view, { [k('_T')]: true, [k('CIT_NAT')]: true }), relations, k('CIT_FOR')), [2, 2], 'both revised cells published would give it away');
  });
});

t.test('what an earlier release published with the value a revision keeps is known', async (t) => {
  t.test('a cell A published is no complement for B', async (t) => {
    const fx = fixture(t);
    const key = (d: string) => ctsKey('AUT', 'PER_CONVICT', '_T', d);
    const k = (d: string) => id(key(d));
    const aData = cells({ [key('_T')]: 44, [key('CIT_NAT')]: 40, [key('CIT_FOR')]: 4 });
    const a = await protect(fx, 'A', 'DF_CTS_CONVICTED', aData);
    t.equal(a.suppressed.size, 0, 'A has no small count: all published');
    fx.publish(a.release, '2026-06-01T10:00:00.000Z');
    // B revises the total and the foreigners (now 2) and keeps the nationals at 40, the sibling a
    // hypercube would otherwise prefer to the total.
    const bData = cells({ [key('_T')]: 42, [key('CIT_NAT')]: 40, [key('CIT_FOR')]: 2 });
    const b = await protect(fx, 'B', 'DF_CTS_CONVICTED', bData, a.release);
    t.match(b.result.summary, { countCells: 3, earlierCells: 0, earlierReleases: ['A'] });
    const relations = [rel(k('_T'), [k('CIT_NAT'), k('CIT_FOR')])];
    const view = fx.publicView([
      { release: a.release, dataflow: 'DF_CTS_CONVICTED', cells: aData },
      { release: b.release, dataflow: 'DF_CTS_CONVICTED', cells: bData },
    ]);
    t.same(view.get(k('CIT_NAT')), { value: 40, known: true });
    await checkRun(
      t,
      b,
      { relationsByHierarchy: { [H.citizenship]: sound(1) }, pattern: { [k('CIT_FOR')]: 'primary', [k('_T')]: 'secondary' } },
      view,
      relations,
    );
    t.notOk(b.suppressed.has(k('CIT_NAT')), 'the nationals, known from A, are not hidden');
    t.same(
      await attackerInterval(viewWith(view, { [k('_T')]: true }), relations, k('CIT_FOR')),
      [2, 2],
      "hiding the nationals instead of the total would protect nothing: A's 40 and B's 42 give the 2 away",
    );
  });

  t.test('a small count A published under a lower threshold, kept by B, is reported unprotectable', async (t) => {
    const fx = fixture(t);
    const flow = 'UNODC:DF_CTS_PRISONS(1.0)';
    const key = (area: string, d: string) => ctsKey(area, 'PRIS_ENTER', '_T', d);
    const k = (area: string, d: string) => id(key(area, d));
    fx.service.setRules(flow, { threshold: 1 }, 'test');
    const aData = cells({
      [key('AUT', '_T')]: 100, [key('AUT', 'STA_SENT')]: 98, [key('AUT', 'STA_UNSENT')]: 2,
      [key('BEL', '_T')]: 50, [key('BEL', 'STA_SENT')]: 49, [key('BEL', 'STA_UNSENT')]: 1,
    });
    const a = await protect(fx, 'A', 'DF_CTS_PRISONS', aData);
    t.same(Object.fromEntries(a.suppressed), { [k('BEL', 'STA_UNSENT')]: 'primary', [k('BEL', 'STA_SENT')]: 'secondary' }, 'under threshold 1 only the 1 is primary: the 2 is published');
    fx.publish(a.release, '2026-06-01T10:00:00.000Z');
    fx.service.setRules(flow, { threshold: 3 }, 'test');
    // B revises every cell; AUT's 2 unsentenced keep their value, BEL's change.
    const bData = cells({
      [key('AUT', '_T')]: 101, [key('AUT', 'STA_SENT')]: 99, [key('AUT', 'STA_UNSENT')]: 2,
      [key('BEL', '_T')]: 51, [key('BEL', 'STA_SENT')]: 49, [key('BEL', 'STA_UNSENT')]: 2,
    });
    const b = await protect(fx, 'B', 'DF_CTS_PRISONS', bData, a.release);
    t.match(b.run.findings.unprotectable, [{ key: key('AUT', 'STA_UNSENT'), period: YEAR, value: 2, reason: /earlier release published this small count with the same value/ }]);
    t.equal(b.run.findings.unprotectable.length, 1, "BEL's revised 2 is not among them: nobody has seen it");
    t.same(b.run.summary.dataQuality, { brokenRelations: 0, unprotectable: 1 });
    t.notOk(b.suppressed.has(k('AUT', 'STA_UNSENT')), 'suppressing a value the public already has would protect nothing');
    const relations = ['AUT', 'BEL'].map((a) => rel(k(a, '_T'), [k(a, 'STA_SENT'), k(a, 'STA_UNSENT')]));
    const view = fx.publicView([
      { release: a.release, dataflow: 'DF_CTS_PRISONS', cells: aData },
      { release: b.release, dataflow: 'DF_CTS_PRISONS', cells: bData },
    ]);
    await checkRun(t, b, { relationsByHierarchy: { [H.entry]: sound(2) }, pattern: { [k('BEL', 'STA_UNSENT')]: 'primary', [k('BEL', 'STA_SENT')]: 'secondary' } }, view, relations);
    const readiness = publishability(fx.repositories, b.release);
    t.equal(readiness.ok, true, 'B may be scheduled');
    t.match(readiness.warnings, [/1 small counts were published by an earlier release with the same value/], 'and the publisher is told before scheduling');
  });
});

/**
 * Disclosure control on tables whose answers can be checked independently: a small two-way
 * table whose attacker intervals are enumerated by brute force, and a generated table with many
 * small cells along the ICCS tree (section 01, every code) × Western Europe and its nine
 * countries × sex × age, whose pattern is re-audited from scratch. Weak patterns are refused.
 */
import t from 'tap';
import { auditPattern, PRIMARY, protectTable, PUBLISHED, SECONDARY } from '../../src/disclosure/protect.js';
import { DEFAULT_RULES, isPrimary, requiredInterval, rulesFrom, InvalidRulesError } from '../../src/disclosure/rules.js';
import { buildTable, coefficient, type AdditiveTable, type TableCell } from '../../src/disclosure/table.js';
import { stepsAlong } from '../../src/disclosure/certificate.js';
import { ctsRelations, syntheticCrimeTable } from '../helpers/synthetic-crime-table.js';

/** Rows A, B and their total T × columns X, Y and total T; every total is the exact sum. */
function twoWayTable(values: readonly (readonly number[])[]): AdditiveTable {
  const rows = ['A', 'B'];
  const cols = ['X', 'Y'];
  const cells: TableCell[] = [];
  const value = (r: number, c: number) => values[r]![c]!;
  const rowTotal = (r: number) => value(r, 0) + value(r, 1);
  const colTotal = (c: number) => value(0, c) + value(1, c);
  rows.forEach((row, r) => cols.forEach((col, c) => cells.push({ dimensions: { ROW: row, COL: col }, timePeriod: '2024', value: value(r, c) })));
  rows.forEach((row, r) => cells.push({ dimensions: { ROW: row, COL: '_T' }, timePeriod: '2024', value: rowTotal(r) }));
  cols.forEach((col, c) => cells.push({ dimensions: { ROW: '_T', COL: col }, timePeriod: '2024', value: colTotal(c) }));
  cells.push({ dimensions: { ROW: '_T', COL: '_T' }, timePeriod: '2024', value: rowTotal(0) + rowTotal(1) });
  const relations = new Map([
    ['ROW', [{ hierarchy: 'TEST.ROWS', parent: '_T', children: ['A', 'B'], exact: true }]],
    ['COL', [{ hierarchy: 'TEST.COLUMNS', parent: '_T', children: ['X', 'Y'], exact: true }]],
  ]);
  return buildTable(cells, relations);
}

/** The attacker's interval of `target` by enumerating every non-negative integer completion (tiny tables only). */
function bruteForceInterval(table: AdditiveTable, suppressed: readonly number[], target: number, max: number): [number, number] {
  const x = Float64Array.from(table.values);
  let lo = Infinity;
  let hi = -Infinity;
  const consistent = () =>
    table.relations.every((r) => {
      const sum = [...r.cells].reduce((s, c, i) => s + coefficient(i) * x[c]!, 0);
      const truth = [...r.cells].reduce((s, c, i) => s + coefficient(i) * table.values[c]!, 0);
      return r.equality ? Math.abs(sum - truth) < 1e-9 : sum >= -1e-9;
    });
  const walk = (i: number) => {
    if (i === suppressed.length) {
      if (consistent()) {
        lo = Math.min(lo, x[target]!);
        hi = Math.max(hi, x[target]!);
      }
      return;
    }
    for (let v = 0; v <= max; v++) {
      x[suppressed[i]!] = v;
      walk(i + 1);
    }
  };
  walk(0);
  return [lo, hi];
}

t.test('rules: defaults, overrides, and invalid rules named', async (t) => {
  t.equal(rulesFrom(undefined), DEFAULT_RULES);
  t.same(rulesFrom({ threshold: 5 }).threshold, 5);
  t.equal(rulesFrom({ threshold: 5 }).zerosSafe, DEFAULT_RULES.zerosSafe);
  t.throws(() => rulesFrom({ threshold: -1, colour: 'red' }), InvalidRulesError);
  t.ok(isPrimary(DEFAULT_RULES, 1) && isPrimary(DEFAULT_RULES, 3) && !isPrimary(DEFAULT_RULES, 4) && !isPrimary(DEFAULT_RULES, 0));
  t.ok(isPrimary(rulesFrom({ zerosSafe: false }), 0), 'zeros are primary when not safe');
  t.same(requiredInterval(DEFAULT_RULES, 2), { lower: 0, upper: 5 });
  const excluded = rulesFrom({ additiveDimensions: ['SEX'], totals: { SEX: '_T' }, excludedDimensions: [{ dimension: 'REF_AREA', reason: 'regional figures are estimates' }] });
  t.notOk('additiveDimensions' in excluded || 'totals' in excluded, 'rule keys from before the declared relations are accepted and ignored');
  t.same(excluded.excludedDimensions, [{ dimension: 'REF_AREA', reason: 'regional figures are estimates' }]);
  t.throws(() => rulesFrom({ excludedDimensions: [{ dimension: 'REF_AREA' }] }), InvalidRulesError, 'an exclusion needs its reason');
});

t.test('relations come from the declared hierarchies; a rule may leave a dimension out', async (t) => {
  const all = ctsRelations();
  t.same([...all.keys()].sort(), ['AGE', 'DISAGGREGATION', 'INDICATOR', 'OFFENCE', 'REF_AREA', 'SEX'], 'every dimension with an additive hierarchy over its codelist');
  const citizenship = all.get('DISAGGREGATION')!.find((r) => r.hierarchy === 'HCL_DISAGGREGATION.DISAGG_CITIZENSHIP')!;
  t.same([citizenship.parent, citizenship.children, citizenship.exact], ['_T', ['CIT_NAT', 'CIT_FOR'], true]);
  t.ok(all.get('DISAGGREGATION')!.some((r) => r.parent === 'DET_LT12M' && r.children.includes('DET_LT6M') && !r.exact), 'an overlapping code is a part, never a sum');
  t.notOk(ctsRelations(['REF_AREA']).has('REF_AREA'), 'an excluded dimension has no relation');
});

t.test('a two-way table: the primary-only pattern is refused, the protected one is exact against brute force', async (t) => {
  const table = twoWayTable([
    [2, 10],
    [8, 20],
  ]);
  const a = table.locate({ ROW: 'A', COL: 'X' }, '2024')!;
  const primaryOnly = Uint8Array.from(table.values, (_, i) => (i === a ? PRIMARY : PUBLISHED));
  const weak = await auditPattern(table, DEFAULT_RULES, primaryOnly);
  t.notOk(weak.passed, 'suppressing only the small cell gives it away');
  t.same([weak.audits[0]!.lower, weak.audits[0]!.upper], [2, 2], 'the attacker recovers it exactly');

  const outcome = await protectTable(table, DEFAULT_RULES);
  t.ok(outcome.passed);
  const suppressed = [...outcome.status.keys()].filter((i) => outcome.status[i] !== PUBLISHED);
  t.equal(outcome.status[a], PRIMARY);
  t.equal(suppressed.length, 4, 'one rectangle: the primary and three complements');
  t.same(
    suppressed.map((i) => table.cells[i]!.dimensions),
    [
      { ROW: 'A', COL: 'X' },
      { ROW: 'A', COL: 'Y' },
      { ROW: 'B', COL: 'X' },
      { ROW: 'B', COL: 'Y' },
    ],
    'interior cells, not totals',
  );
  const enumerated = bruteForceInterval(table, suppressed, a, 40);
  t.same(enumerated, [0, 10]);
  t.ok(outcome.audits[0]!.lower <= 0 && outcome.audits[0]!.upper >= 5, 'the proof covers the protection interval [0, 5]');
  t.ok(outcome.audits[0]!.lower >= enumerated[0] && outcome.audits[0]!.upper <= enumerated[1], 'and lies within what the attacker can derive');
  const exact = await auditPattern(table, DEFAULT_RULES, outcome.status, { exactIntervals: true });
  t.same([exact.audits[0]!.lower, exact.audits[0]!.upper], enumerated, 'LP interval = enumerated interval');
  t.ok(exact.audits[0]!.exact);
});

t.test('a direction proves an interval only when it keeps every relation and moves only suppressed cells', async (t) => {
  const table = twoWayTable([
    [2, 10],
    [8, 20],
  ]);
  const at = (ROW: string, COL: string) => table.locate({ ROW, COL }, '2024')!;
  const rectangle = { cells: Int32Array.from([at('A', 'X'), at('A', 'Y'), at('B', 'X'), at('B', 'Y')]), weights: Float64Array.from([1, -1, -1, 1]) };
  const all = new Uint8Array(table.values.length).fill(1);
  t.same(stepsAlong(table, rectangle, all), { up: 8, down: 2 }, 'up to the smallest decreasing corner (B X = 8), down to A X = 0');
  const suppressedRectangle = Uint8Array.from(table.values, (_, i) => (rectangle.cells.includes(i) ? 1 : 0));
  t.ok(stepsAlong(table, rectangle, suppressedRectangle));
  t.equal(stepsAlong(table, rectangle, Uint8Array.from(suppressedRectangle, (s, i) => (i === at('B', 'Y') ? 0 : s))), undefined, 'a published corner breaks the proof');
  const broken = { cells: Int32Array.from([at('A', 'X'), at('A', 'Y')]), weights: Float64Array.from([1, -1]) };
  t.equal(stepsAlong(table, broken, all), undefined, 'moving a row but not its column total breaks a relation');
  const upward = { cells: Int32Array.from([at('A', 'X'), at('A', '_T'), at('_T', 'X'), at('_T', '_T')]), weights: Float64Array.from([1, 1, 1, 1]) };
  t.same(stepsAlong(table, upward, all), { up: Infinity, down: 2 }, 'a cell moving with all its totals is unbounded above');
});

t.test('a generated table with many small cells along the ICCS tree × area × sex × age', async (t) => {
  const synthetic = syntheticCrimeTable({ years: ['2023'], offences: 16 });
  const table = buildTable(synthetic.cells, synthetic.relations);
  t.equal(table.cells.length, 17 * 10 * 3 * 4, 'section 01 with every code and _T × 10 areas × 3 sexes × 4 ages');
  t.ok(new Set(table.relations.map((r) => r.dimension)).size === 4, 'relations along offence, area, sex and age');
  const outcome = await protectTable(table, DEFAULT_RULES);
  const primaries = [...outcome.status.keys()].filter((i) => outcome.status[i] === PRIMARY);
  const secondaries = [...outcome.status.keys()].filter((i) => outcome.status[i] === SECONDARY);
  t.ok(primaries.length > 100, `${primaries.length} primary cells`);
  t.same(primaries, [...table.values.keys()].filter((i) => isPrimary(DEFAULT_RULES, table.values[i]!)), 'exactly the cells the threshold rule names');
  t.ok(outcome.passed, `audit passed with ${secondaries.length} secondary suppressions`);
  t.equal(outcome.audits.length, primaries.length, 'every protected cell audited');
  for (const a of outcome.audits) {
    if (a.lower > a.requiredLower + 1e-6 || a.upper < a.requiredUpper - 1e-6) t.fail(`cell ${a.cell} narrowed to [${a.lower}, ${a.upper}]`);
  }
  const exposed = table.relations.filter((r) => r.equality && [...r.cells].filter((c) => outcome.status[c] !== PUBLISHED).length === 1);
  t.equal(exposed.length, 0, 'no exact relation holds a single suppressed cell');

  t.equal(outcome.statistics.provenByHypercube, primaries.length, 'every primary proven by its hypercube');
  const again = await auditPattern(table, DEFAULT_RULES, outcome.status, { exactIntervals: true });
  t.ok(again.passed, 'a fresh audit of the stored pattern, by LP for every cell, agrees');
  const exactOf = new Map(again.audits.map((a) => [a.cell, a]));
  let within = 0;
  for (const a of outcome.audits) {
    const lp = exactOf.get(a.cell)!;
    if (lp.exact && a.lower >= lp.lower - 1e-6 && a.upper <= lp.upper + 1e-6) within += 1;
  }
  t.equal(within, outcome.audits.length, 'every proven interval lies within the exact LP interval (proofs are sound)');
  const weak = await auditPattern(table, DEFAULT_RULES, Uint8Array.from(outcome.status, (s) => (s === SECONDARY ? PUBLISHED : s)));
  t.notOk(weak.passed, 'the same table with primaries only is refused');
  t.ok(weak.audits.filter((a) => !a.safe).length > 0);
});

t.test('every ICCS code × 10 areas × sex × age: 38 640 cells with thousands of small ones, protected and proven', async (t) => {
  const synthetic = syntheticCrimeTable({ years: ['2022'] });
  const table = buildTable(synthetic.cells, synthetic.relations);
  t.equal(table.cells.length, 322 * 10 * 3 * 4, 'the 320 ICCS codes, 0703_OTH and _T × 10 areas × 3 sexes × 4 ages');
  const outcome = await protectTable(table, DEFAULT_RULES);
  const primaries = outcome.audits.length;
  const secondaries = [...outcome.status].filter((s) => s === SECONDARY).length;
  t.ok(primaries > 4000, `${primaries} primary cells`);
  t.ok(outcome.passed, 'the audit passes');
  t.equal(outcome.statistics.provenByHypercube, primaries, 'every primary proven by its hypercube');
  t.ok(secondaries / primaries < 3, `${(secondaries / primaries).toFixed(2)} secondary suppressions per primary`);
  for (const a of outcome.audits) {
    if (a.lower > a.requiredLower + 1e-6 || a.upper < a.requiredUpper - 1e-6) t.fail(`cell ${a.cell} narrowed to [${a.lower}, ${a.upper}]`);
  }
  // A fresh audit knows nothing of the directions used: it finds its own within the pattern.
  const again = await auditPattern(table, DEFAULT_RULES, outcome.status);
  t.ok(again.passed, 'a fresh audit of the pattern agrees');
});

/**
 * The attacker's view of the published demo data, through the public API only.
 *
 * An app on a fresh database loads the real demo data through the normal path (every release
 * protected before it is published); the clock then moves a day past the last instant the public
 * calendar announces, so every release is public, the one the demo holds back included. The
 * attacker knows only what the public API serves:
 * - the structures (SDMX-JSON 1.0 from the 2.1 REST API): each dataflow's data structure, the
 *   codelist of each dimension and every hierarchical codelist. The additive relations are the
 *   Hierarchies annotated ADDITIVITY: EXACT_SUM (parent = Σ children) or PARTS_AT_MOST_WHOLE
 *   (parent ≥ Σ children), each over the one codelist its codes come from;
 * - the data of every dataflow in SDMX-CSV, the current state and every published vintage
 *   (includeHistory=true). Count cells are UNIT_MEASURE=NR; a suppressed cell has no value and
 *   OBS_STATUS Q, with CONF_STATUS A (primary: a small count), D (secondary) or C (derived).
 *
 * The attack, per dataflow:
 * - the table: every count cell of the current public state (latest vintage of each key and
 *   period). Unknowns are the suppressed cells, each ≥ 0; known are the published values;
 * - relations: in each period and each combination of the other dimensions' codes, for each
 *   declared relation (parent, children) along a dimension D whose codelist the hierarchy is
 *   over, when the parent cell and at least one child cell are in the table: parent = Σ children
 *   if the hierarchy is EXACT_SUM and every declared child is in the table, otherwise
 *   parent ≥ Σ children present. Relations without an unknown are left out, and so is a relation
 *   visibly broken (the published parent is less than its published children alone): the
 *   attacker sees it does not add up and cannot trust it;
 * - history: a suppressed cell whose earlier published vintage shows a value equal to its true
 *   current value is known (a revision that did not change the value cannot hide it);
 * - for every primary-suppressed count (CONF_STATUS A) with true value v: its minimum and maximum
 *   by linear programming (HiGHS) over the connected component of unknowns linked by
 *   relations. The attacker's interval [lo, hi] must reach lo ≤ v − min(v, 3) and hi ≥ v + 3 (the
 *   default protection interval). An infeasible programme is a failure too: the published table
 *   and the declared relations contradict each other.
 * Failing cells are reported in two assertions per dataflow: intervals that hold the true value
 * but are too narrow (and cells an earlier vintage gives away), and intervals that miss the true
 * value because the true figures break a declared relation the attacker cannot see broken (he is
 * misled, yet his interval still leaves out part of v − min(v, 3) .. v + 3).
 *
 * Not given to the attacker: the threshold rule as a bound (CONF_STATUS A ⇒ a count of at most
 * 3). With it no primary could ever reach v + 3, so the protection interval is a requirement on
 * what the table and its relations give away, as it is for the engine. Not covered either:
 * relations between dataflows, rates (suppressed with their counts), knowledge from outside.
 *
 * The true values come from the confidential store (storage, as ground truth only): to decide
 * the history rule, to judge each interval, and to check that the test is not vacuous. Nothing
 * here uses the disclosure-control engine's code (src/disclosure/, src/services/protection/):
 * the attacker (test/helpers/attacker.ts) reads the public messages itself.
 */
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { sqliteRepositories } from '../../src/storage/sqlite/index.js';
import {
  attack,
  cellId,
  readPublicStructures,
  readPublicTable,
  tableRelations,
  type Interval,
  type PublicDataflow,
  type PublicTable,
  type RelationCensus,
  type TableRelation,
} from '../helpers/attacker.js';

/** The default protection interval (src/disclosure/rules.ts): v − min(v, 3) and v + 3. */
const PROTECTION = { lower: 3, upper: 3 } as const;
const TOLERANCE = 1e-6;
const EXAMPLES = 20;

const started = performance.now();
const LOADED = '2026-01-15T12:00:00.000Z';
const clock = fixedClock(LOADED);
const config = loadConfig({ DATABASE_URL: ':memory:', LOG_LEVEL: 'silent', DEMO_DATA: 'on', RATE_LIMIT_PER_MINUTE: '0' });
const repositories = sqliteRepositories(config.databasePath, config.migrationsDir);
const app = await buildApp({ config, clock, repositories });
t.teardown(() => app.close());

/** A public GET: the body of a 200 answer. */
async function get(url: string): Promise<string> {
  const res = await app.inject({ url });
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.body;
}

// Every release public: the clock moves past the last instant the public calendar announces.
const calendar = JSON.parse(await get('/api/v1/calendar')) as { releases: { code: string; announcedAt: string }[] };
const lastInstant = Math.max(...calendar.releases.map((r) => Date.parse(r.announcedAt)));
const NOW = new Date(lastInstant + 24 * 3600_000).toISOString();
clock.set(NOW);
const loadMs = performance.now() - started;

const structures = await readPublicStructures(get);

// ---------------------------------------------------------------------------------------------
// Ground truth, from the confidential store

interface Truth {
  readonly value: number | null;
  readonly kind: string;
}
const visibleReleases = repositories.releases
  .list()
  .filter((r) => r.announcedAt !== null && Date.parse(r.announcedAt) <= Date.parse(NOW) && (r.state === 'published' || r.state === 'scheduled'))
  .sort((a, b) => Date.parse(a.announcedAt!) - Date.parse(b.announcedAt!));

/** Suppressed cells of the current state → true value and kind: the latest visible release that suppressed the cell. */
function suppressedTruth(flow: PublicDataflow): Map<string, Truth> {
  const out = new Map<string, Truth>();
  for (const r of visibleReleases) for (const s of repositories.protection.suppressionsOf(r.pk, flow.ref)) out.set(cellId(s.key, s.timePeriod), { value: s.value, kind: s.kind });
  return out;
}

/** The true current table: every count cell's value in the latest visible release holding it. */
function trueCounts(flow: PublicDataflow): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const r of visibleReleases) {
    for (const c of repositories.protection.cellsOf(r.pk, flow.ref)) if (c.dimensions.UNIT_MEASURE === 'NR') out.set(cellId(c.key, c.timePeriod), c.value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The attack on one table

interface Finding {
  readonly id: string;
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
  /**
   * history: an earlier vintage shows the value; narrowed: the interval holds the true value but
   * is too narrow; misled: the interval misses the true value (the declared relations do not
   * hold in the true table) and does not cover the protection interval either.
   */
  readonly how: 'history' | 'narrowed' | 'misled';
  /** The relations the attacker used that hold the cell. */
  readonly relations: readonly string[];
}

interface FlowAttack {
  readonly table: PublicTable;
  readonly relations: TableRelation[];
  readonly census: RelationCensus;
  readonly primaries: number;
  readonly revealedByHistory: number;
  readonly intervals: Map<number, Interval>;
  readonly failures: Finding[];
  readonly infeasible: { cells: string[]; relations: string[] }[];
  readonly truth: Map<string, Truth>;
  readonly stats: string;
  readonly unmatched: string[];
}

const attacks = new Map<string, Promise<FlowAttack>>();
function attackFlow(flow: PublicDataflow): Promise<FlowAttack> {
  let p = attacks.get(flow.id);
  if (!p) attacks.set(flow.id, (p = runAttack(flow)));
  return p;
}

async function runAttack(flow: PublicDataflow): Promise<FlowAttack> {
  const t0 = performance.now();
  const table = await readPublicTable(get, flow);
  const truth = suppressedTruth(flow);
  const { cells } = table;
  const ids = cells.map((c) => cellId(c.key, c.period));
  // Every suppressed cell must have its true value in the store, and the public flag must say
  // what the store says (A ⇔ primary): else the ground truth is read wrong.
  const unmatched: string[] = [];
  const trueValue = (i: number): number => {
    const v = truth.get(ids[i]!)?.value;
    if (v === undefined || v === null) throw new Error(`${flow.id} ${ids[i]}: suppressed, no true value in the store`);
    return v;
  };
  cells.forEach((c, i) => {
    if (c.value !== null) return;
    const tr = truth.get(ids[i]!);
    if (!tr) unmatched.push(`${ids[i]}: suppressed, not in the store`);
    else if ((c.confStatus === 'A') !== (tr.kind === 'primary')) unmatched.push(`${ids[i]}: CONF_STATUS ${c.confStatus}, stored as ${tr.kind}`);
  });
  // Known: published values, and suppressed cells an earlier vintage showed with their current value.
  const knownValue: (number | null)[] = cells.map((c, i) => {
    if (c.value !== null) return c.value;
    if (!truth.has(ids[i]!)) return null;
    const earlier = table.history.get(ids[i]!) ?? [];
    const v = trueValue(i);
    return earlier.some((e) => Math.abs(e - v) < TOLERANCE) ? v : null;
  });
  const known = (i: number) => knownValue[i]!;
  const { relations, census } = tableRelations(cells, flow, structures.relationsByCodelist, known);

  const relationsOf = new Map<number, string[]>();
  for (const r of relations) {
    for (const i of [r.parent, ...r.children]) {
      const list = relationsOf.get(i);
      if (list) list.push(r.label);
      else relationsOf.set(i, [r.label]);
    }
  }
  // Primaries without a true value are reported above (unmatched), not attacked.
  const primaries = cells.map((c, i) => (c.value === null && c.confStatus === 'A' && (truth.get(ids[i]!)?.value ?? null) !== null ? i : -1)).filter((i) => i >= 0);
  const failures: Finding[] = [];
  let revealedByHistory = 0;
  for (const i of primaries) {
    if (known(i) === null) continue;
    revealedByHistory += 1;
    failures.push({ id: ids[i]!, value: trueValue(i), lower: known(i)!, upper: known(i)!, how: 'history', relations: [] });
  }
  const result = await attack(
    cells.length,
    relations,
    known,
    primaries.filter((i) => known(i) === null),
  );
  const intervals = new Map(result.intervals.map((iv) => [iv.cell, iv]));
  for (const iv of result.intervals) {
    const v = trueValue(iv.cell);
    const requiredLower = v - Math.min(v, PROTECTION.lower);
    const requiredUpper = v + PROTECTION.upper;
    if (iv.lower > requiredLower + TOLERANCE || iv.upper < requiredUpper - TOLERANCE) {
      const inside = iv.lower <= v + TOLERANCE && iv.upper >= v - TOLERANCE;
      failures.push({ id: ids[iv.cell]!, value: v, lower: iv.lower, upper: iv.upper, how: inside ? 'narrowed' : 'misled', relations: relationsOf.get(iv.cell) ?? [] });
    }
  }
  failures.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const infeasible = result.infeasible.map((x) => ({ cells: x.cells.map((i) => ids[i]!), relations: x.relations }));
  const suppressed = cells.filter((c) => c.value === null).length;
  const withHistory = cells.filter((c, i) => c.value === null && table.history.has(ids[i]!)).length;
  const fromHistory = cells.filter((c, i) => c.value === null && knownValue[i] !== null).length;
  const stats =
    `${cells.length} count cells, ${suppressed} suppressed, ${primaries.length} primary; ` +
    `${withHistory} suppressed cells with an earlier published vintage, ${fromHistory} of them unchanged (known), ${revealedByHistory} primary; ` +
    `relations ${census.found} found, ${census.used} used ${JSON.stringify(census.usedByDimension)}, ${census.broken} visibly broken; ` +
    `${result.components} components (largest ${result.largestComponent} unknowns), ${result.programmes} LPs; ${Math.round(performance.now() - t0)} ms`;
  return { table, relations, census, primaries: primaries.length, revealedByHistory, intervals, failures, infeasible, truth, stats, unmatched };
}

const show = (x: number) => (x === Infinity ? '∞' : String(Math.round(x * 1000) / 1000));
function findingsMessage(flow: PublicDataflow, failures: readonly Finding[], of: number, what: string): string {
  const lines = failures
    .slice(0, EXAMPLES)
    .map(
      (f) =>
        `${flow.id} ${f.id}: true ${f.value}, attacker's interval [${show(f.lower)}, ${show(f.upper)}]` +
        (f.how === 'history' ? ' (an earlier vintage shows the value)' : '') +
        f.relations
          .slice(0, 3)
          .map((r) => `\n    ${r}`)
          .join(''),
    );
  const more = failures.length > EXAMPLES ? [`… and ${failures.length - EXAMPLES} more`] : [];
  return `${failures.length} of ${of} primary cells of ${flow.id} ${what}:\n${[...lines, ...more].join('\n')}`;
}

/**
 * Whether a primary cell is broken down in the table: within its period and the other
 * dimensions' codes, along a dimension other than FREQ and UNIT_MEASURE, the table holds a total
 * `_T` and another code (the primary being either). Read from the data alone, so that a
 * hierarchy read wrong cannot make the test vacuous.
 */
function primaryInBreakdown(table: PublicTable): boolean {
  const skip = new Set(['FREQ', 'UNIT_MEASURE']);
  return table.flow.dimensions.some((dimension, d) => {
    if (skip.has(dimension.id)) return false;
    const groups = new Map<string, { codes: Set<string>; primary: boolean }>();
    for (const c of table.cells) {
      const g = `${c.codes.map((code, j) => (j === d ? '*' : code)).join('.')} ${c.period}`;
      let group = groups.get(g);
      if (!group) groups.set(g, (group = { codes: new Set(), primary: false }));
      group.codes.add(c.codes[d]!);
      if (c.value === null && c.confStatus === 'A') group.primary = true;
    }
    return [...groups.values()].some((g) => g.primary && g.codes.size > 1 && g.codes.has('_T'));
  });
}

// ---------------------------------------------------------------------------------------------

t.test('the attacker itself, on a hand-made table: exact sums and parts, broken relations left out, LP bounds', async (t) => {
  const flow: PublicDataflow = {
    ref: 'X:DF(1.0)',
    agencyID: 'X',
    id: 'DF',
    version: '1.0',
    dimensions: [
      { id: 'SEX', codelist: 'X:CL_SEX(1.0)' },
      { id: 'CIT', codelist: 'X:CL_CIT(1.0)' },
      { id: 'UNIT_MEASURE', codelist: undefined },
    ],
  };
  const relationsByCodelist = new Map([
    ['X:CL_SEX(1.0)', [{ hierarchy: 'H.SEX', parent: '_T', children: ['F', 'M'], exact: true }]],
    ['X:CL_CIT(1.0)', [{ hierarchy: 'H.CIT', parent: '_T', children: ['NAT', 'FOR'], exact: false }]],
  ]);
  const cell = (sex: string, cit: string, value: number | null, confStatus?: string) => ({ key: `${sex}.${cit}.NR`, codes: [sex, cit, 'NR'], period: '2020', value, confStatus });
  const cells = [
    cell('_T', '_T', 44),
    cell('_T', 'NAT', 42),
    cell('_T', 'FOR', null, 'A'),
    cell('F', 'FOR', null, 'A'),
    cell('M', 'FOR', 1),
    cell('F', '_T', 10),
    cell('F', 'NAT', null, 'D'),
    cell('M', 'NAT', 50),
  ];
  const known = (i: number) => cells[i]!.value;
  const { relations, census } = tableRelations(cells, flow, relationsByCodelist, known);
  // Along SEX, exact where both children are in the table: _T._T ≥ F._T has no unknown (left
  // out); _T.NAT = F.NAT + M.NAT is visibly broken (50 > 42: left out). Along CIT, parts.
  t.same(
    relations.map((r) => r.label).sort(),
    [
      'H.SEX at *.FOR.NR 2020: _T(?) = F(?) + M(1)',
      'H.CIT at _T.*.NR 2020: _T(44) ≥ NAT(42) + FOR(?)',
      'H.CIT at F.*.NR 2020: _T(10) ≥ NAT(?) + FOR(?)',
    ].sort(),
  );
  t.same(census, { found: 5, used: 3, broken: 1, usedByDimension: { SEX: 1, CIT: 2 } });
  const result = await attack(cells.length, relations, known, [2, 3, 6]);
  const byCell = new Map(result.intervals.map((iv) => [iv.cell, [iv.lower, iv.upper]]));
  // _T.FOR ≤ 44 − 42 = 2 and _T.FOR = F.FOR + 1 ≥ 1; so F.FOR ∈ [0, 1]; F.NAT ≤ 10 − F.FOR.
  t.same(byCell.get(2), [1, 2], '_T.FOR in [1, 2]');
  t.same(byCell.get(3), [0, 1], 'F.FOR in [0, 1]');
  t.same(byCell.get(6), [0, 10], 'F.NAT in [0, 10]');
  t.same(result.infeasible, [], 'feasible');
  // Trusting the broken relation would make the table contradict itself.
  const all = tableRelations(cells, flow, relationsByCodelist, known).relations;
  const trusting = [...all, { parent: 1, children: [6, 7], exact: true, label: 'broken' }];
  const contradiction = await attack(cells.length, trusting, known, [2]);
  t.same(contradiction.infeasible.map((x) => x.relations.includes('broken')), [true], 'an infeasible programme is reported with its relations');
});

t.test('the public structures declare the additive relations the attacker uses', async (t) => {
  t.ok(structures.dataflows.length >= 10, `${structures.dataflows.length} dataflows served`);
  const dsd = structures.dataflows.find((f) => f.id === 'DF_CTS_CONVICTED')!;
  const codelistOf = (dimension: string) => dsd.dimensions.find((d) => d.id === dimension)!.codelist!;
  const declared = (dimension: string) => structures.relationsByCodelist.get(codelistOf(dimension)) ?? [];
  t.comment(`hierarchies: ${structures.hierarchies.map((h) => `${h.name} (${h.additivity ?? 'no additivity'})`).join(', ')}`);
  for (const dimension of ['OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'INDICATOR', 'REF_AREA']) {
    t.ok(declared(dimension).length > 0, `${dimension} (${codelistOf(dimension)}): ${declared(dimension).length} declared relations`);
  }
  const declares = (dimension: string, parent: string, children: string[]) =>
    declared(dimension).some((r) => r.exact && r.parent === parent && [...r.children].sort().join('+') === [...children].sort().join('+'));
  t.ok(declares('DISAGGREGATION', '_T', ['CIT_NAT', 'CIT_FOR']), 'DISAGGREGATION: _T = CIT_NAT + CIT_FOR, an exact sum');
  t.ok(declares('SEX', '_T', ['F', 'M']), 'SEX: _T = F + M, an exact sum');
  t.ok(declares('INDICATOR', 'PRIS_HELD', ['PRIS_SENT', 'PRIS_UNSENT']), 'INDICATOR: PRIS_HELD = PRIS_SENT + PRIS_UNSENT, an exact sum');
});

for (const flow of structures.dataflows) {
  t.test(`${flow.id}: no primary cell can be narrowed by the public attacker`, async (t) => {
    const a = await attackFlow(flow);
    t.comment(a.stats);
    if (a.table.missingNotSuppressed > 0) t.comment(`${a.table.missingNotSuppressed} rows without a value and not suppressed (not in the table)`);
    t.same(a.unmatched.slice(0, EXAMPLES), [], 'every suppressed count is in the confidential store, flagged as stored (A ⇔ primary)');
    // Not vacuous: where the true table holds small counts there are primaries to attack, and
    // where a primary is broken down the attack has relations to work with.
    const truth = trueCounts(flow);
    const small = [...truth.values()].filter((v) => v !== null && v > 0 && v <= PROTECTION.upper).length;
    if (small > 0) t.ok(a.primaries > 0, `${small} true counts in 1..3: ${a.primaries} primary cells checked`);
    if (primaryInBreakdown(a.table)) {
      t.ok(a.census.found > 0, `primaries are broken down: ${a.census.found} declared relations found in the table`);
      t.ok(a.census.used > 0, `${a.census.used} relations hold a suppressed cell`);
    }
    t.same(
      a.infeasible.slice(0, 3).map((x) => ({ cells: x.cells.slice(0, EXAMPLES), relations: x.relations.slice(0, EXAMPLES) })),
      [],
      `${a.infeasible.length} components where the published table contradicts the declared relations`,
    );
    const disclosed = a.failures.filter((f) => f.how !== 'misled');
    if (a.failures.length > 0) {
      const byHierarchy: Record<string, number> = {};
      for (const f of a.failures) for (const h of new Set(f.relations.map((r) => r.slice(0, r.indexOf(' at '))))) byHierarchy[h] = (byHierarchy[h] ?? 0) + 1;
      t.comment(`failing primary cells per hierarchy holding them: ${JSON.stringify(byHierarchy)}`);
    }
    t.same(
      disclosed.length,
      0,
      disclosed.length ? findingsMessage(flow, disclosed, a.primaries, 'narrowed around the true value inside v − min(v, 3) .. v + 3') : `all ${a.primaries} primary cells keep their protection interval`,
    );
    const misled = a.failures.filter((f) => f.how === 'misled');
    t.same(
      misled.length,
      0,
      misled.length
        ? findingsMessage(flow, misled, a.primaries, 'with an interval that misses the true value (the declared relations do not hold in the true table) and does not reach v − min(v, 3) .. v + 3')
        : 'no interval misses the true value',
    );
  });
}

t.test('the known leak: Belize 2020, persons convicted, foreign citizens', async (t) => {
  const flow = structures.dataflows.find((f) => f.id === 'DF_CTS_CONVICTED')!;
  const a = await attackFlow(flow);
  const codes: Record<string, string> = { FREQ: 'A', REF_AREA: 'BLZ', INDICATOR: 'PER_CONVICT', OFFENCE: '_T', SEX: '_T', AGE: '_T', UNIT_MEASURE: 'NR' };
  const at = (disaggregation: string) => cellId(flow.dimensions.map((d) => (d.id === 'DISAGGREGATION' ? disaggregation : codes[d.id]!)).join('.'), '2020');
  // The true figures (the confidential store): 44 persons convicted, 42 nationals, 2 foreigners.
  const truth = trueCounts(flow);
  t.same([truth.get(at('_T')), truth.get(at('CIT_NAT')), truth.get(at('CIT_FOR'))], [44, 42, 2], `true values of ${at('*')}: _T, CIT_NAT, CIT_FOR`);
  const index = (disaggregation: string) => a.table.cells.findIndex((c) => cellId(c.key, c.period) === at(disaggregation));
  const foreign = index('CIT_FOR');
  t.ok(foreign >= 0, `${at('CIT_FOR')} is in the public table`);
  t.same([a.table.cells[foreign]?.value, a.table.cells[foreign]?.confStatus], [null, 'A'], 'foreign citizens: suppressed as primary');
  t.comment(`published: ${['_T', 'CIT_NAT', 'CIT_FOR'].map((d) => `${d} ${a.table.cells[index(d)]?.value ?? 'suppressed'}`).join(', ')}`);
  const citizenship = a.relations.find((r) => r.parent === index('_T') && r.children.includes(index('CIT_NAT')) && r.children.includes(foreign));
  t.ok(citizenship, `the attacker uses the declared relation: ${citizenship?.label}`);
  const iv = a.intervals.get(foreign);
  t.ok(iv, 'the attacker bounded it');
  t.ok(
    iv !== undefined && iv.lower <= 0 + TOLERANCE && iv.upper >= 2 + PROTECTION.upper - TOLERANCE,
    `attacker's interval [${iv ? show(iv.lower) : '?'}, ${iv ? show(iv.upper) : '?'}] covers the protection interval [0, 5]`,
  );
  t.comment(`demo load ${Math.round(loadMs)} ms; load and every attack ${Math.round(performance.now() - started)} ms`);
});

/**
 * Availability queries (REST 1.x availableconstraint, 2.x availability) over a small release
 * history shaped like the worked example of REST v2.0.0 availability.md: exact and available
 * modes, componentId, keys, providers, periods, updatedAfter, asOf, c[...] filters, every
 * `references` value with the TCK's checks (conformance kit §3.3 A0–A15), formats, errors and
 * HTTP caching. Every body validates against the official schema. A last test checks the demo
 * data against the data endpoint: exact availability is exactly what the data query returns.
 */
import t, { type Test } from 'tap';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import type { Codelist, ContentConstraint, DataStructure, ItemScheme, Maintainable } from '../../../src/sdmx/model.js';
import { testApp } from '../../helpers/app.js';
import { CTS_DIMENSIONS, dataApp, type FixtureRelease } from '../../helpers/data-app.js';
import { decodeCsv } from '../../helpers/data-decoders.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { validateJson, validateXml21, validateXml30 } from '../../helpers/validate.js';

const TEST_NOW = '2026-11-21T12:00:00.000Z';
const key = (area: string, offence: string, sex: string, freq = 'A') => `${freq}.${area}.VIC_HOM.${offence}.${sex}._T._T.NR`;
// The worked example's three series (UK EMP M, FR EMP M, FR UEMP F), offences standing in for
// employment status, plus a quarterly series, a series whose only value was withdrawn, an
// embargoed one and a draft.
const UK_M = key('GBR', '0101', 'M');
const FR_M = key('FRA', '0101', 'M');
const FR_F = key('FRA', '0102', 'F');
const FR_M_Q = key('FRA', '0101', 'M', 'Q');
const ISL_WITHDRAWN = key('ISL', '0101', '_T');
const ISL_EMBARGOED = key('ISL', '0102', '_T');
const AUT_DRAFT = key('AUT', '0101', '_T');
const years = (...ys: number[]) => ys.map((y) => ({ period: String(y), value: y - 2000 }));

const RELEASES: readonly FixtureRelease[] = [
  {
    code: 'R1',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2020-06-01T08:00:00.000Z',
    series: [
      { key: UK_M, observations: years(2015, 2016, 2017, 2018, 2019) },
      { key: FR_M, observations: years(2018, 2019) },
      { key: FR_F, observations: [{ period: '2019', value: 7, attributes: { OBS_STATUS: 'P' } }] },
      { key: FR_M_Q, observations: [{ period: '2019-Q4', value: 1 }, { period: '2020-Q1', value: 2 }] },
      { key: ISL_WITHDRAWN, observations: years(2018) },
    ],
  },
  {
    code: 'R2',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2021-06-01T08:00:00.000Z',
    series: [
      { key: FR_M, observations: years(2020) },
      { key: ISL_WITHDRAWN, observations: [{ period: '2018', value: null, deleted: true }] },
    ],
  },
  { code: 'R3', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2026-12-01T08:00:00.000Z', state: 'scheduled', series: [{ key: ISL_EMBARGOED, observations: years(2021) }] },
  { code: 'R4', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2020-01-01T00:00:00.000Z', state: 'draft', series: [{ key: AUT_DRAFT, observations: years(2021) }] },
];

const clock = fixedClock(TEST_NOW);
const { app } = await dataApp(RELEASES, { clock });
t.teardown(() => app.close());
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

const AC = '/sdmx/2.1/availableconstraint/UNODC,DF_CTS_HOMICIDE,1.0';
const AV = '/sdmx/3.0/availability/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
const ML21 = { accept: MEDIA.structureMl21 };

const dsd = readStructureMl21((await get('/sdmx/2.1/datastructure/UNODC/DSD_CTS/1.0')).body)[0] as DataStructure;
const fullCodelist = async (id: string) => readStructureMl21((await get(`/sdmx/2.1/codelist/UNODC/${id}/1.0`)).body)[0] as Codelist;

/** GETs a 2.1-style body (SDMX-ML 2.1, validated) and reads its artefacts. */
async function structures(t: Test, url: string): Promise<Maintainable[]> {
  const res = await get(url, url.startsWith('/sdmx/3.0') ? ML21 : {});
  t.equal(res.statusCode, 200, `${url}: 200`);
  t.equal(res.headers['content-type'], MEDIA.structureMl21, 'SDMX-ML 2.1 structure message');
  t.same(validateXml21(res.body), [], 'validates against the SDMX-ML 2.1 schema');
  return readStructureMl21(res.body);
}

/** The TCK rules every answer meets (§3.3): one Actual constraint attached to the dataflow, one region. */
function constraintOf(t: Test, artefacts: readonly Maintainable[]): ContentConstraint {
  const constraints = artefacts.filter((a): a is ContentConstraint => a.class === 'ContentConstraint');
  t.equal(constraints.length, 1, 'exactly one ContentConstraint');
  const cc = constraints[0]!;
  t.equal(cc.constraintType, 'Actual');
  t.match(cc, { id: 'CC_DF_CTS_HOMICIDE_AVAILABILITY', agencyID: 'UNODC', version: '1.0', isFinal: false });
  t.ok(cc.name.en, 'an English name');
  t.same(cc.constraintAttachment, [{ class: 'Dataflow', agencyID: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0' }]);
  t.equal(cc.cubeRegions.length, 1, 'one cube region');
  t.equal(cc.cubeRegions[0]!.include, true);
  return cc;
}

/** Schema problems of an SDMX error message, in the family the API defaults to. */
function errorProblems(url: string, type: unknown, body: string): string[] {
  if (String(type).startsWith('application/json')) return validateJson(JSON.parse(body), url.startsWith('/sdmx/3.0') ? JSON_SCHEMA.structure20 : JSON_SCHEMA.structure10);
  return url.startsWith('/sdmx/3.0') ? validateXml30(body) : validateXml21(body);
}

const cube = (cc: ContentConstraint) => Object.fromEntries(cc.cubeRegions[0]!.keyValues.map((kv) => [kv.id, kv.values]));
const metrics = (cc: ContentConstraint) =>
  Object.fromEntries((cc.annotations ?? []).filter((a) => a.type === 'sdmx_metrics').map((a) => [a.id, Number(a.title)]));
const fixed = { INDICATOR: ['VIC_HOM'], AGE: ['_T'], DISAGGREGATION: ['_T'], UNIT_MEASURE: ['NR'] };

t.test('everything visible: one KeyValue per dimension in DSD order, codes in codelist order, period and metrics', async (t) => {
  const cc = constraintOf(t, await structures(t, AC));
  t.same(
    cc.cubeRegions[0]!.keyValues.map((kv) => kv.id),
    dsd.dimensions.map((d) => d.id),
    'one KeyValue per dimension, time excluded',
  );
  // The withdrawn, embargoed and draft series are not there; CL_FREQ lists A before Q, CL_SEX F before M.
  t.same(cube(cc), { FREQ: ['A', 'Q'], REF_AREA: ['FRA', 'GBR'], OFFENCE: ['0101', '0102'], SEX: ['F', 'M'], ...fixed });
  t.same(cc.referencePeriod, { startTime: '2015-01-01T00:00:00Z', endTime: '2020-12-31T23:59:59Z' });
  t.same(metrics(cc), { series_count: 4, obs_count: 11 });
});

// Rows: query → expected cube (only what differs from `fixed`), series, observations.
const EXACT_VS_AVAILABLE = [
  {
    what: 'worked example 1 (Reference Area=FR, Sex=F)',
    path: '/A.FRA.VIC_HOM..F._T._T.NR',
    exact: { FREQ: ['A'], REF_AREA: ['FRA'], OFFENCE: ['0102'], SEX: ['F'] },
    available: { FREQ: ['A'], REF_AREA: ['FRA'], OFFENCE: ['0102'], SEX: ['F', 'M'] },
    metrics: { series_count: 1, obs_count: 1 },
  },
  {
    what: 'worked example 2 (Reference Area=FR, Sex=M+F)',
    path: '/A.FRA.VIC_HOM..M+F._T._T.NR',
    exact: { FREQ: ['A'], REF_AREA: ['FRA'], OFFENCE: ['0101', '0102'], SEX: ['F', 'M'] },
    available: { FREQ: ['A', 'Q'], REF_AREA: ['FRA', 'GBR'], OFFENCE: ['0101', '0102'], SEX: ['F', 'M'] },
    metrics: { series_count: 2, obs_count: 4 },
  },
  {
    what: 'a full key (TCK A1/A2): exact gives exactly the key',
    path: `/${UK_M}`,
    exact: { FREQ: ['A'], REF_AREA: ['GBR'], OFFENCE: ['0101'], SEX: ['M'] },
    available: { FREQ: ['A'], REF_AREA: ['FRA', 'GBR'], OFFENCE: ['0101'], SEX: ['M'] },
    metrics: { series_count: 1, obs_count: 5 },
  },
  {
    what: 'two codes OR-ed in one position (TCK A8/A9)',
    path: '/A.FRA+GBR.VIC_HOM.0101.M._T._T.NR',
    exact: { FREQ: ['A'], REF_AREA: ['FRA', 'GBR'], OFFENCE: ['0101'], SEX: ['M'] },
    available: { FREQ: ['A', 'Q'], REF_AREA: ['FRA', 'GBR'], OFFENCE: ['0101'], SEX: ['M'] },
    metrics: { series_count: 2, obs_count: 8 },
  },
];

t.test('exact and available modes (REST 2.0 availability.md worked example)', async (t) => {
  for (const row of EXACT_VS_AVAILABLE) {
    const exact = constraintOf(t, await structures(t, `${AC}${row.path}`));
    t.same(cube(exact), { ...row.exact, ...fixed }, `${row.what}: exact`);
    t.same(metrics(exact), row.metrics, `${row.what}: metrics count the exact result`);
    const explicit = constraintOf(t, await structures(t, `${AC}${row.path}?mode=exact`));
    t.same(cube(explicit), cube(exact), 'mode=exact is the default');
    const available = constraintOf(t, await structures(t, `${AC}${row.path}?mode=available`));
    t.same(cube(available), { ...row.available, ...fixed }, `${row.what}: available`);
    t.same(metrics(available), row.metrics, 'metrics stay those of the exact result');
  }
});

t.test('the worked example through REST 2.x: c[...] filters, alternative keys, wildcards', async (t) => {
  const cases = [
    { q: '?c[REF_AREA]=FRA&c[SEX]=F', mode: 'exact', expected: EXACT_VS_AVAILABLE[0]!.exact },
    { q: '?c[REF_AREA]=FRA&c[SEX]=F&mode=available', expected: EXACT_VS_AVAILABLE[0]!.available },
    { q: '/A.FRA.*.*.F?mode=available', expected: EXACT_VS_AVAILABLE[0]!.available },
    { q: '/A.FRA.*.*.M,A.FRA.*.*.F', expected: EXACT_VS_AVAILABLE[1]!.exact },
    { q: '?c[FREQ]=A&c[REF_AREA]=FRA&c[SEX]=M,F&mode=available', expected: EXACT_VS_AVAILABLE[1]!.available },
  ];
  for (const c of cases) {
    const cc = constraintOf(t, await structures(t, `${AV}${c.q}`));
    t.same(cube(cc), { ...c.expected, ...fixed }, c.q);
  }
  // Observation-level filters: only series with a value passing them count.
  const provisional = constraintOf(t, await structures(t, `${AV}?c[OBS_STATUS]=P`));
  t.same(cube(provisional), { FREQ: ['A'], REF_AREA: ['FRA'], OFFENCE: ['0102'], SEX: ['F'], ...fixed }, 'c[OBS_STATUS]=P');
  t.same(metrics(provisional), { series_count: 1, obs_count: 1 });
  const recent = constraintOf(t, await structures(t, `${AV}?c[TIME_PERIOD]=ge:2020`));
  t.same(cube(recent), { FREQ: ['A', 'Q'], REF_AREA: ['FRA'], OFFENCE: ['0101'], SEX: ['M'], ...fixed }, 'c[TIME_PERIOD]=ge:2020');
  t.same(recent.referencePeriod, { startTime: '2020-01-01T00:00:00Z', endTime: '2020-12-31T23:59:59Z' });
});

t.test('componentId: exactly one KeyValue with the values of the full answer (TCK A7)', async (t) => {
  const all = cube(constraintOf(t, await structures(t, AC)));
  for (const dim of CTS_DIMENSIONS) {
    const cc = constraintOf(t, await structures(t, `${AC}/all/all/${dim}`));
    t.same(cc.cubeRegions[0]!.keyValues, [{ id: dim, values: all[dim] }], `${dim}: one KeyValue`);
  }
  const sex = constraintOf(t, await structures(t, `${AC}/A.FRA.VIC_HOM..F._T._T.NR/all/SEX?mode=available`));
  t.same(cube(sex), { SEX: ['F', 'M'] }, 'with a key and mode=available');
  const v3 = constraintOf(t, await structures(t, `${AV}/*/REF_AREA?c[SEX]=M`));
  t.same(cube(v3), { REF_AREA: ['FRA', 'GBR'] }, 'REST 2.x path');
  const time = constraintOf(t, await structures(t, `${AC}/all/all/TIME_PERIOD`));
  t.same(time.cubeRegions[0]!.keyValues, [], 'the time dimension: no KeyValue...');
  t.same(time.referencePeriod, { startTime: '2015-01-01T00:00:00Z', endTime: '2020-12-31T23:59:59Z' }, '...its coverage is the ReferencePeriod');
  for (const bad of ['OBS_STATUS', 'OBS_VALUE', 'NOPE']) {
    const res = await get(`${AC}/all/all/${bad}`);
    t.equal(res.statusCode, 400, `componentId ${bad}: 400`);
    t.match(res.body, /is not a dimension of DSD_CTS/);
  }
});

t.test('periods, updatedAfter and asOf: ReferencePeriod within the query window (TCK A3–A5)', async (t) => {
  const cases = [
    { q: '?startPeriod=2020', cube: { FREQ: ['A', 'Q'], REF_AREA: ['FRA'], OFFENCE: ['0101'], SEX: ['M'] }, period: ['2020-01-01T00:00:00Z', '2020-12-31T23:59:59Z'], m: [2, 2] },
    { q: '?startPeriod=2016&endPeriod=2017', cube: { FREQ: ['A'], REF_AREA: ['GBR'], OFFENCE: ['0101'], SEX: ['M'] }, period: ['2016-01-01T00:00:00Z', '2017-12-31T23:59:59Z'], m: [1, 2] },
    // The annual 2020 value overlaps January 2020, so it counts; the coverage stops at the window's end.
    { q: '?endPeriod=2020-01', cube: { FREQ: ['A', 'Q'], REF_AREA: ['FRA', 'GBR'], OFFENCE: ['0101', '0102'], SEX: ['F', 'M'] }, period: ['2015-01-01T00:00:00Z', '2020-01-31T23:59:59Z'], m: [4, 11] },
    { q: '?startPeriod=2019-11&endPeriod=2019-12', cube: { FREQ: ['A', 'Q'], REF_AREA: ['FRA', 'GBR'], OFFENCE: ['0101', '0102'], SEX: ['F', 'M'] }, period: ['2019-11-01T00:00:00Z', '2019-12-31T23:59:59Z'], m: [4, 4] },
    // Only what changed after the instant: the 2021 release added FR 2020 (its withdrawal is no value).
    { q: '?updatedAfter=2021-01-01T00:00:00Z', cube: { FREQ: ['A'], REF_AREA: ['FRA'], OFFENCE: ['0101'], SEX: ['M'] }, period: ['2020-01-01T00:00:00Z', '2020-12-31T23:59:59Z'], m: [1, 1] },
  ];
  for (const c of cases) {
    const cc = constraintOf(t, await structures(t, `${AC}${c.q}`));
    t.same(cube(cc), { ...c.cube, ...fixed }, `${c.q}: cube`);
    t.same(cc.referencePeriod, { startTime: c.period[0], endTime: c.period[1] }, `${c.q}: ReferencePeriod`);
    t.same(metrics(cc), { series_count: c.m[0], obs_count: c.m[1] }, `${c.q}: metrics`);
  }
  // asOf: the data as published then, before the withdrawal and the 2020 value.
  const then = constraintOf(t, await structures(t, `${AV}?asOf=2021-01-01T00:00:00Z`));
  t.same(cube(then).REF_AREA, ['FRA', 'GBR', 'ISL'], 'asOf sees the withdrawn series');
  t.same(metrics(then), { series_count: 5, obs_count: 11 });
  t.same(then.referencePeriod, { startTime: '2015-01-01T00:00:00Z', endTime: '2020-03-31T23:59:59Z' });
});

t.test('nothing matching: 200 with an empty cube region, no period, no metrics (TCK A1)', async (t) => {
  for (const url of [`${AC}?startPeriod=2030`, `${AC}/A.AUT.VIC_HOM.0101._T._T._T.NR`, `${AV}?c[SEX]=_T&mode=available&c[OFFENCE]=0102&c[REF_AREA]=GBR`]) {
    const cc = constraintOf(t, await structures(t, url));
    t.same(cc.cubeRegions[0]!.keyValues, [], `${url}: no KeyValue`);
    t.equal(cc.referencePeriod, undefined);
    t.equal(cc.annotations, undefined);
  }
  // Available mode still names the choices that bring data back; dimensions without any are left out.
  const way = constraintOf(t, await structures(t, `${AC}/A.GBR.VIC_HOM..F._T._T.NR?mode=available`));
  t.same(cube(way), { REF_AREA: ['FRA'], SEX: ['M'] }, 'Sex=F exists in FRA only, GBR has Sex=M only');
  t.equal(way.referencePeriod, undefined);
});

t.test('providers', async (t) => {
  const byProvider = constraintOf(t, await structures(t, `${AC}/all/UNODC`));
  t.same(cube(byProvider), cube(constraintOf(t, await structures(t, AC))), 'the only provider: everything');
  const agencyQualified = constraintOf(t, await structures(t, `${AC}/all/UNODC,UNODC`));
  t.same(metrics(agencyQualified), { series_count: 4, obs_count: 11 });
  const res = await get(`${AC}/all/ESTAT`);
  t.equal(res.statusCode, 404, 'a provider that does not supply the dataflow: 404');
});

t.test('references: the constraint plus what it uses, item schemes partial (TCK A10–A15)', async (t) => {
  const base = `${AC}/A.FRA+GBR.VIC_HOM..M+F._T._T.NR`;
  const none = await structures(t, base);
  t.equal(none.length, 1, 'references=none (default): the constraint alone');

  const dsds = (await structures(t, `${base}?references=datastructure`)).filter((a) => a.class === 'DataStructure');
  t.same(dsds.map((a) => `${a.agencyID}:${a.id}(${a.version})`), ['UNODC:DSD_CTS(1.0)'], 'A11: exactly the DSD');
  const withFlow = await structures(t, `${base}?references=dataflow`);
  t.same(withFlow.filter((a) => a.class === 'Dataflow').map((a) => a.id), ['DF_CTS_HOMICIDE'], 'A12: exactly the dataflow');
  t.equal(withFlow.length, 2);

  const withCodelists = await structures(t, `${base}?references=codelist`);
  const cc = constraintOf(t, withCodelists);
  const codelists = withCodelists.filter((a): a is Codelist => a.class === 'Codelist');
  t.equal(codelists.length, CTS_DIMENSIONS.length, 'one codelist per dimension');
  for (const kv of cc.cubeRegions[0]!.keyValues) {
    const enumeration = dsd.dimensions.find((d) => d.id === kv.id)!.localRepresentation!.enumeration!;
    const partial = codelists.find((c) => c.id === enumeration.id);
    if (!partial) {
      t.fail(`${kv.id}: codelist ${enumeration.id} missing`);
      continue;
    }
    const full = await fullCodelist(enumeration.id);
    const parentOf = new Map(full.items.map((c) => [c.id, c.parentID]));
    const expected = new Set<string>();
    for (const v of kv.values) for (let c: string | undefined = v; c; c = parentOf.get(c)) expected.add(c);
    t.same(
      partial.items.map((c) => c.id),
      full.items.map((c) => c.id).filter((id) => expected.has(id)),
      `${enumeration.id}: the cube's codes plus their ancestors, in codelist order`,
    );
    t.equal(partial.isPartial === true, partial.items.length < full.items.length, `${enumeration.id}: isPartial exactly when cut`);
  }
  const area = codelists.find((c) => c.id === 'CL_AREA')!;
  t.same(area.items.map((c) => c.id), ['001', '150', '154', '155', 'FRA', 'GBR'], 'FRA and GBR with Western/Northern Europe, Europe, World');

  const withConcepts = await structures(t, `${base}?references=conceptscheme`);
  const schemes = withConcepts.filter((a): a is ItemScheme => a.class === 'ConceptScheme');
  t.ok(schemes.length >= 1, 'A14: at least one concept scheme');
  for (const s of schemes) {
    t.same(s.items.map((c) => c.id).sort(), [...CTS_DIMENSIONS].sort(), `${s.id}: exactly the dimension concepts`);
    t.equal(s.isPartial, true);
  }

  const withProviders = await structures(t, `${AC}/all/UNODC?references=dataproviderscheme`);
  const providerSchemes = withProviders.filter((a): a is ItemScheme => a.class === 'DataProviderScheme');
  t.equal(providerSchemes.length, 1, 'A15: exactly one provider scheme');
  t.same(providerSchemes[0]!.items.map((p) => p.id), ['UNODC'], 'holding exactly the provider with data');
  t.equal(providerSchemes[0]!.isPartial, true);

  const all = await structures(t, `${base}?references=all`);
  const count = (cls: string) => all.filter((a) => a.class === cls).length;
  t.same(
    { dsd: count('DataStructure'), flow: count('Dataflow'), codelists: count('Codelist'), concepts: count('ConceptScheme'), providers: count('DataProviderScheme'), constraints: count('ContentConstraint') },
    { dsd: 1, flow: 1, codelists: 8, concepts: 1, providers: 1, constraints: 1 },
    'A10: all of them, exactly once',
  );

  const one = await structures(t, `${AC}/all/all/SEX?references=codelist`);
  t.same(one.filter((a) => a.class === 'Codelist').map((a) => [a.id, (a as Codelist).items.map((c) => c.id)]), [['CL_SEX', ['F', 'M']]], 'componentId: its codelist only');

  const listed = await structures(t, `${AV}?references=codelist,dataflow`);
  t.same(
    [...new Set(listed.map((a) => a.class))].sort(),
    ['Codelist', 'ContentConstraint', 'Dataflow'],
    'REST 2.x: a list of references',
  );
  t.equal((await get(`${AC}?references=parents`)).statusCode, 400, 'an unknown references value: 400');
});

t.test('formats: the structure formats, chosen as for structure queries', async (t) => {
  const cases: { url: string; headers: Record<string, string>; type: string; check: (body: string) => string[] }[] = [
    { url: AC, headers: {}, type: MEDIA.structureMl21, check: validateXml21 },
    { url: AC, headers: { accept: 'application/xml' }, type: MEDIA.structureMl21, check: validateXml21 },
    { url: `${AC}?references=all`, headers: { accept: MEDIA.structureJson10 }, type: MEDIA.structureJson10, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure10) },
    { url: `${AV}?references=all`, headers: {}, type: MEDIA.structureJson20, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure20) },
    { url: `${AV}?references=all`, headers: { accept: MEDIA.structureMl30 }, type: MEDIA.structureMl30, check: validateXml30 },
    { url: `${AV}?c[TIME_PERIOD]=ge:2030`, headers: { accept: MEDIA.structureMl30 }, type: MEDIA.structureMl30, check: validateXml30 },
    { url: `${AV}?format=sdmx-json&formatVersion=1.0.0`, headers: {}, type: MEDIA.structureJson10, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure10) },
  ];
  for (const c of cases) {
    const res = await get(c.url, c.headers);
    t.equal(res.statusCode, 200, `${c.url} ${JSON.stringify(c.headers)}`);
    t.equal(res.headers['content-type'], c.type);
    t.same(c.check(res.body), [], `${c.type} validates`);
  }
  const json = JSON.parse((await get(AV)).body);
  const constraint = json.data.dataConstraints[0];
  t.match(constraint, { id: 'CC_DF_CTS_HOMICIDE_AVAILABILITY', role: 'Actual' });
  t.same(
    constraint.cubeRegions[0].keyValues.find((kv: { id: string }) => kv.id === 'REF_AREA').values,
    ['FRA', 'GBR'],
    'SDMX-JSON 2.0 carries the same cube',
  );
  for (const accept of [MEDIA.dataJson20, 'text/csv', 'application/vnd.sdmx.structure+xml;version=9.9']) {
    const res = await get(AC, { accept });
    t.equal(res.statusCode, 406, `Accept ${accept}: 406`);
  }
});

t.test('errors', async (t) => {
  const cases = [
    { url: '/sdmx/2.1/availableconstraint/UNODC,DF_NOPE,1.0', status: 404 },
    { url: '/sdmx/3.0/availability/dataflow/UNODC/DF_NOPE/1.0', status: 404 },
    { url: `${AC}/A.FRA`, status: 400 },
    { url: `${AC}?mode=sometimes`, status: 400 },
    { url: `${AC}?detail=full`, status: 400 },
    { url: `${AV}?c[NOPE]=1`, status: 400 },
    { url: `${AC}/all/all/all/extra`, status: 400 },
  ];
  for (const c of cases) {
    const res = await get(c.url);
    t.equal(res.statusCode, c.status, c.url);
    t.same(errorProblems(c.url, res.headers['content-type'], res.body), [], `${c.url}: a valid SDMX error message`);
  }
});

t.test('HTTP caching: ETag and Last-Modified, 304 on If-None-Match and If-Modified-Since', async (t) => {
  const first = await get(AC);
  const etag = first.headers.etag as string;
  t.match(etag, /^W\/"/, 'a weak ETag');
  // The newest of the visible releases (2021-06-01) and the structures, stored when the app started.
  t.equal(first.headers['last-modified'], new Date(TEST_NOW).toUTCString(), 'Last-Modified');
  const again = await get(AC, { 'if-none-match': etag });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '');
  t.equal((await get(AC, { 'if-modified-since': '2026-11-21T12:30:01.953Z' })).statusCode, 304, 'ISO-8601 If-Modified-Since (TCK)');
  t.equal((await get(AC, { 'if-modified-since': '2026-11-21T11:59:00.000Z' })).statusCode, 200, 'an older copy gets the answer');
  for (const other of [`${AC}?mode=available`, `${AC}/all/all/SEX`, `${AC}?references=codelist`]) {
    t.not((await get(other)).headers.etag, etag, `${other}: another ETag`);
    t.equal((await get(other, { 'if-none-match': etag })).statusCode, 200);
  }
  t.not((await get(AC, { accept: MEDIA.structureJson10 })).headers.etag, etag, 'another format: another ETag');
});

t.test('public answers are kept per visible state: the same bytes again, a release visible at its instant all the same', async (t) => {
  t.teardown(() => clock.set(TEST_NOW));
  const first = await get(`${AC}?mode=available`);
  const again = await get(`${AC}?mode=available`);
  // The message id is new for every message written: the same id is the same answer, kept.
  t.equal(again.body, first.body, 'the kept answer, byte for byte');
  t.notOk(first.body.includes('>ISL<'), 'the scheduled release is not visible');
  const gzip = await get(`${AC}?mode=available`, { 'accept-encoding': 'gzip' });
  t.equal(gzip.statusCode, 200);
  clock.set('2026-12-01T08:00:00.000Z');
  const atInstant = await get(`${AC}?mode=available`);
  t.ok(atInstant.body.includes('>ISL<'), 'at its instant the release is part of the answer');
  t.not(atInstant.headers.etag, first.headers.etag);
  const preview = await get(`${AC}?mode=available`, { authorization: 'Bearer not-a-token' });
  t.equal(preview.statusCode, 401, 'a request with a token is never answered from the cache');
});

t.test('demo data: exact availability is what the data query returns', async (t) => {
  const demo = await testApp({ env: { DEMO_DATA: 'on' } });
  t.teardown(() => demo.close());
  const DIMS = [...CTS_DIMENSIONS, 'TIME_PERIOD'];
  for (const [flow, key] of [
    ['DF_CTS_HOMICIDE', 'all'],
    ['DF_CTS_PRISONS', 'all'],
    ['DF_CTS_OFFENCES', 'A.AUT+FRA+DEU......'],
  ] as const) {
    const started = performance.now();
    const res = await demo.inject({ url: `/sdmx/2.1/availableconstraint/UNODC,${flow},1.0/${key}` });
    const elapsed = performance.now() - started;
    t.equal(res.statusCode, 200);
    const cc = readStructureMl21(res.body)[0] as ContentConstraint;
    const data = await demo.inject({ url: `/sdmx/2.1/data/UNODC,${flow},1.0/${key}`, headers: { accept: MEDIA.dataCsv10 } });
    const observations = decodeCsv(data.body, DIMS);
    const expected = Object.fromEntries(
      CTS_DIMENSIONS.map((d) => [d, [...new Set(observations.map((o) => o.key[d]!))].sort()]),
    );
    t.same(Object.fromEntries(Object.entries(cube(cc)).map(([d, v]) => [d, [...v].sort()])), expected, `${flow} ${key}: the codes of the data`);
    const seriesKeys = new Set(observations.map((o) => CTS_DIMENSIONS.map((d) => o.key[d]).join('.')));
    t.same(metrics(cc), { series_count: seriesKeys.size, obs_count: observations.length }, `${flow}: metrics`);
    t.comment(`${flow} ${key}: ${observations.length} observations in ${Math.round(elapsed)} ms`);
  }
});

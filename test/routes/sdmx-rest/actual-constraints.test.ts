/**
 * The Actual content constraints of the structure API over a small release history written
 * through the real release path: which exist (one per dataflow with visible data, one per
 * visible release of it), that their content is exactly what the data hold (compared with the
 * SDMX-CSV answer of the same dataflow), embargo (a scheduled release counts from its instant
 * on, not a millisecond before, in content, ids, ETag and Last-Modified; a draft never),
 * references on both APIs as for the Allowed constraints, and the four structure formats
 * against the official schemas.
 */
import t, { type Test } from 'tap';
import { fixedClock } from '../../../src/clock.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import type { ContentConstraint, Maintainable } from '../../../src/sdmx/model.js';
import { periodRange } from '../../../src/sdmx/time-period.js';
import { parseCsv } from '../../helpers/csv.js';
import { CTS_DIMENSIONS, dataApp, type FixtureRelease } from '../../helpers/data-app.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { validateJson, validateXml21, validateXml301 } from '../../helpers/validate.js';

const TEST_NOW = '2026-11-21T12:00:00.000Z';
const EMBARGO_UNTIL = '2026-12-01T08:00:00.000Z';
const key = (area: string, offence: string, sex: string, freq = 'A') => `${freq}.${area}.VIC_HOM.${offence}.${sex}._T._T.NR`;
const years = (...ys: number[]) => ys.map((y) => ({ period: String(y), value: y - 2000 }));

const RELEASES: readonly FixtureRelease[] = [
  {
    code: 'R1',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2020-06-01T08:00:00.000Z',
    series: [
      { key: key('GBR', '0101', 'M'), observations: years(2015, 2016, 2017) },
      { key: key('FRA', '0101', 'F'), observations: years(2018) },
      { key: key('FRA', '0101', 'M', 'Q'), observations: [{ period: '2019-Q4', value: 1 }] },
      { key: key('ISL', '0101', '_T'), observations: years(2014) },
    ],
  },
  {
    // A code with a dot, which SDMX ids cannot hold; withdraws the one ISL value of R1.
    code: 'R2.1',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: '2021-06-01T08:00:00.000Z',
    series: [
      { key: key('FRA', '0101', 'F'), observations: years(2019, 2020) },
      { key: key('ISL', '0101', '_T'), observations: [{ period: '2014', value: null, deleted: true }] },
    ],
  },
  {
    code: 'R3',
    dataflow: 'DF_CTS_HOMICIDE',
    announcedAt: EMBARGO_UNTIL,
    state: 'scheduled',
    series: [{ key: key('NOR', '0102', '_T'), observations: years(2022) }],
  },
  { code: 'R4', dataflow: 'DF_CTS_HOMICIDE', announcedAt: '2020-01-01T00:00:00.000Z', state: 'draft', series: [{ key: key('AUT', '0103', '_T'), observations: years(2010) }] },
  { code: 'P1', dataflow: 'DF_CTS_PRISONS', announcedAt: '2022-01-10T00:00:00.000Z', series: [{ key: 'A.CHE.PRIS_HELD._Z._T._T._T.NR', observations: years(2019) }] },
];

const clock = fixedClock(TEST_NOW);
const { app } = await dataApp(RELEASES, { clock });
t.teardown(() => app.close());
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

const WHOLE = 'CR_D_DF_CTS_HOMICIDE';
const OF_R1 = 'CR_D_DF_CTS_HOMICIDE_R1';
const OF_R2 = 'CR_D_DF_CTS_HOMICIDE_R2_1';
const OF_R3 = 'CR_D_DF_CTS_HOMICIDE_R3';
const BEFORE = [WHOLE, OF_R1, OF_R2, 'CR_D_DF_CTS_PRISONS', 'CR_D_DF_CTS_PRISONS_P1'];

/** GETs an SDMX-ML 2.1 answer (validated against the 2.1 XSD) and reads its artefacts. */
async function read(t: Test, url: string): Promise<Maintainable[]> {
  const res = await get(url, { accept: MEDIA.structureMl21 });
  t.equal(res.statusCode, 200, `${url}: 200`);
  t.same(validateXml21(res.body), [], `${url}: validates against the SDMX-ML 2.1 schema`);
  return readStructureMl21(res.body);
}
const constraintsIn = (artefacts: readonly Maintainable[]) => artefacts.filter((a): a is ContentConstraint => a.class === 'ContentConstraint');
const actualIds = (artefacts: readonly Maintainable[]) =>
  constraintsIn(artefacts)
    .filter((c) => c.constraintType === 'Actual')
    .map((c) => c.id)
    .sort();
const cube = (cc: ContentConstraint) => Object.fromEntries(cc.cubeRegions[0]!.keyValues.map((kv) => [kv.id, [...kv.values].sort()]));
async function constraint(t: Test, id: string): Promise<ContentConstraint> {
  const [cc] = constraintsIn(await read(t, `/sdmx/2.1/actualconstraint/UNODC/${id}/1.0`));
  return cc!;
}

/** What the SDMX-CSV answer of a dataflow holds: codes per dimension and the period span. */
async function servedData(flow: string): Promise<{ codes: Record<string, string[]>; startTime: string; endTime: string }> {
  const res = await get(`/sdmx/2.1/data/UNODC,${flow},1.0/all`, { accept: MEDIA.dataCsv10 });
  if (res.statusCode !== 200) throw new Error(`${flow}: ${res.statusCode}`);
  const rows = parseCsv(res.body);
  const codes = Object.fromEntries(CTS_DIMENSIONS.map((d) => [d, [...new Set(rows.map((r) => r[d]!))].sort()]));
  const ranges = rows.map((r) => periodRange(r.TIME_PERIOD!)!);
  const bare = (s: string) => s.replace(/\.\d{3}Z$/, 'Z');
  return {
    codes,
    startTime: bare(ranges.map((r) => r.start).sort()[0]!),
    endTime: bare(ranges.map((r) => r.end).sort().at(-1)!),
  };
}

t.test('one Actual constraint per dataflow with visible data and one per visible release of it, on every constraint resource', async (t) => {
  t.same(actualIds(await read(t, '/sdmx/2.1/actualconstraint')), BEFORE.slice().sort());
  t.same(actualIds(await read(t, '/sdmx/2.1/actualconstraint/UNODC/all/latest')), BEFORE.slice().sort());
  const content = await read(t, '/sdmx/2.1/contentconstraint/UNODC/all/latest');
  t.same(actualIds(content), BEFORE.slice().sort(), 'contentconstraint lists them');
  t.ok(constraintsIn(content).some((c) => c.id === 'CR_A_DF_CTS_HOMICIDE' && c.constraintType === 'Allowed'), 'beside the Allowed ones');
  t.same(actualIds(await read(t, '/sdmx/2.1/allowedconstraint')), [], 'allowedconstraint does not');
  t.same(actualIds(await read(t, '/sdmx/3.0/structure/dataconstraint/UNODC/*/~')), BEFORE.slice().sort(), '3.0 dataconstraint lists them');
  t.same(actualIds(await read(t, '/sdmx/2.1/structure/UNODC/all/latest')), BEFORE.slice().sort(), 'the structure resource too');
  t.equal((await get('/sdmx/2.1/codelist/UNODC/CL_SEX/1.0')).body.includes('CR_D_'), false, 'queries that cannot reach them do not carry them');
});

t.test('identification: attached to the dataflow, named after it or the release, valid from the release instant', async (t) => {
  const whole = await constraint(t, WHOLE);
  t.match(whole, { agencyID: 'UNODC', version: '1.0', constraintType: 'Actual', validFrom: '2021-06-01T08:00:00Z' });
  t.same(whole.constraintAttachment, [{ class: 'Dataflow', agencyID: 'UNODC', id: 'DF_CTS_HOMICIDE', version: '1.0' }]);
  t.same(whole.annotations?.find((a) => a.type === 'RELEASES')?.title, 'R1,R2.1', 'the releases behind it');
  const r2 = await constraint(t, OF_R2);
  t.match(r2, { validFrom: '2021-06-01T08:00:00Z', constraintType: 'Actual' });
  t.match(r2.name.en, /R2\.1/);
  t.match(r2.description?.en, /R2\.1, published 2021-06-01T08:00:00Z/);
  t.same(
    r2.annotations?.filter((a) => a.type === 'RELEASE' || a.type === 'RELEASE_INSTANT').map((a) => a.title),
    ['R2.1', '2021-06-01T08:00:00Z'],
  );
  t.same(r2.constraintAttachment, whole.constraintAttachment);
});

t.test('content: every code and the period span of the visible data, nothing else', async (t) => {
  for (const flow of ['DF_CTS_HOMICIDE', 'DF_CTS_PRISONS']) {
    const cc = await constraint(t, `CR_D_${flow}`);
    const data = await servedData(flow);
    t.same(cube(cc), data.codes, `${flow}: the cube region holds exactly the codes of the SDMX-CSV answer`);
    t.same(cc.referencePeriod, { startTime: data.startTime, endTime: data.endTime }, `${flow}: the period is the visible min/max`);
  }
  const whole = await constraint(t, WHOLE);
  t.same(cube(whole).REF_AREA, ['FRA', 'GBR'], 'the withdrawn ISL value, the embargoed NOR and the draft AUT are not there');
  t.same(
    Object.fromEntries((whole.annotations ?? []).filter((a) => a.type === 'sdmx_metrics').map((a) => [a.id, Number(a.title)])),
    { series_count: 3, obs_count: 7 },
  );
});

t.test('per release: what that release wrote, revised or not', async (t) => {
  const r1 = await constraint(t, OF_R1);
  t.same(cube(r1).REF_AREA, ['FRA', 'GBR', 'ISL'], 'R1 wrote ISL, withdrawn since');
  t.same(cube(r1).FREQ, ['A', 'Q']);
  t.same(r1.referencePeriod, { startTime: '2014-01-01T00:00:00Z', endTime: '2019-12-31T23:59:59Z' });
  const r2 = await constraint(t, OF_R2);
  t.same(cube(r2), { FREQ: ['A'], REF_AREA: ['FRA'], INDICATOR: ['VIC_HOM'], OFFENCE: ['0101'], SEX: ['F'], AGE: ['_T'], DISAGGREGATION: ['_T'], UNIT_MEASURE: ['NR'] }, 'a withdrawal is no data');
  t.same(r2.referencePeriod, { startTime: '2019-01-01T00:00:00Z', endTime: '2020-12-31T23:59:59Z' });
});

t.test('EMBARGO: a scheduled release counts from its instant on, a draft never', async (t) => {
  const wholeUrl = `/sdmx/2.1/actualconstraint/UNODC/${WHOLE}/1.0`;
  const listUrl = '/sdmx/2.1/actualconstraint';
  const seen = async () => {
    const body = (await get(listUrl)).body;
    return { nor: body.includes('>NOR<'), aut: body.includes('>AUT<'), r3: body.includes(OF_R3) };
  };
  const early = await get(wholeUrl);
  clock.set(new Date(Date.parse(EMBARGO_UNTIL) - 1).toISOString());
  t.same(await seen(), { nor: false, aut: false, r3: false }, 'a millisecond before: no code, no constraint of R3');
  t.equal((await get(`/sdmx/2.1/actualconstraint/UNODC/${OF_R3}/1.0`)).statusCode, 404, 'its constraint is unknown');
  t.equal((await get(`/sdmx/3.0/structure/dataconstraint/UNODC/${OF_R3}`)).statusCode, 404);
  const before = await get(wholeUrl);
  t.equal(before.headers.etag, early.headers.etag, 'the ETag does not move before the instant');
  t.equal(before.headers['last-modified'], early.headers['last-modified'], 'nor does Last-Modified');
  t.equal((await get(wholeUrl, { 'if-none-match': String(early.headers.etag) })).statusCode, 304);

  clock.set(EMBARGO_UNTIL);
  t.same(await seen(), { nor: true, aut: false, r3: true }, 'at the instant: R3 is in, the draft still out');
  const after = await get(wholeUrl);
  t.not(after.headers.etag, before.headers.etag, 'the ETag changes at the instant');
  t.equal(after.headers['last-modified'], new Date(EMBARGO_UNTIL).toUTCString(), 'Last-Modified is the instant of the release');
  t.equal((await get(wholeUrl, { 'if-none-match': String(before.headers.etag) })).statusCode, 200, 'an old copy is not current any more');
  const whole = await constraint(t, WHOLE);
  const data = await servedData('DF_CTS_HOMICIDE');
  t.same(cube(whole), data.codes, 'still exactly the data');
  t.same(whole.referencePeriod, { startTime: data.startTime, endTime: data.endTime });
  const r3 = await constraint(t, OF_R3);
  t.same(cube(r3).REF_AREA, ['NOR']);
  t.equal(r3.validFrom, '2026-12-01T08:00:00Z');
  clock.set(TEST_NOW);
  t.equal((await get(`/sdmx/2.1/actualconstraint/UNODC/${OF_R3}/1.0`)).statusCode, 404, 'a clock set back hides it again');
});

t.test('references on the 2.1 API, as for the Allowed constraints', async (t) => {
  const flow = '/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
  const parents = constraintsIn(await read(t, `${flow}?references=parents`)).map((c) => c.id).sort();
  t.same(parents, ['CR_A_DF_CTS_HOMICIDE', WHOLE, OF_R1, OF_R2].sort(), "a dataflow's parents include its constraints");
  const byType = await read(t, `${flow}?references=contentconstraint`);
  t.same(byType.filter((a) => a.class !== 'Dataflow').map((a) => a.id).sort(), parents, 'references=contentconstraint: the same');
  const actualOnly = await read(t, `${flow}?references=actualconstraint`);
  t.same(actualIds(actualOnly), [WHOLE, OF_R1, OF_R2].sort(), 'references=actualconstraint: the Actual ones');
  t.notOk(actualOnly.some((a) => a.id === 'CR_A_DF_CTS_HOMICIDE'), 'and not the Allowed one');
  const allowedOnly = await read(t, `${flow}?references=allowedconstraint`);
  t.same(actualIds(allowedOnly), [], 'references=allowedconstraint: none of them');
  const children = await read(t, `/sdmx/2.1/actualconstraint/UNODC/${OF_R1}/1.0?references=children`);
  t.same(children.map((a) => `${a.class}:${a.id}`).sort(), [`ContentConstraint:${OF_R1}`, 'Dataflow:DF_CTS_HOMICIDE'], 'children: the dataflow');
  const stubs = await get(`/sdmx/2.1/contentconstraint/UNODC/${WHOLE}/1.0?references=descendants&detail=allstubs`);
  t.same(validateXml21(stubs.body), []);
  t.match(stubs.body, /<structure:DataStructure [^>]*id="DSD_CTS"/, 'descendants reach the DSD');
  t.notMatch(stubs.body, /<structure:CubeRegion|<structure:DimensionList/, 'every artefact a stub');
  const dsdParents = await read(t, '/sdmx/2.1/datastructure/UNODC/DSD_CTS/1.0?references=parents');
  t.same(actualIds(dsdParents), [], 'not parents of the DSD (they are attached to the dataflow)');
});

t.test('references on the 3.0 API', async (t) => {
  const flow = '/sdmx/3.0/structure/dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
  const parents = constraintsIn(await read(t, `${flow}?references=parents`)).map((c) => c.id).sort();
  t.same(parents, ['CR_A_DF_CTS_HOMICIDE', WHOLE, OF_R1, OF_R2].sort());
  const byType = constraintsIn(await read(t, `${flow}?references=dataconstraint`)).map((c) => c.id).sort();
  t.same(byType, parents, 'references=dataconstraint');
  const children = await read(t, `/sdmx/3.0/structure/dataconstraint/UNODC/${WHOLE}/1.0?references=children`);
  t.same(children.map((a) => a.id).sort(), [WHOLE, 'DF_CTS_HOMICIDE']);
});

t.test('every structure format validates against its official schema', async (t) => {
  const urls = ['/sdmx/2.1/actualconstraint', `/sdmx/2.1/contentconstraint/UNODC/all/latest`, '/sdmx/3.0/structure/dataconstraint/*/*/*'];
  for (const url of urls) {
    const ml21 = await get(url, { accept: MEDIA.structureMl21 });
    t.same(validateXml21(ml21.body), [], `${url}: SDMX-ML 2.1`);
    const ml30 = await get(url, { accept: MEDIA.structureMl30 });
    t.equal(ml30.statusCode, 200);
    t.same(validateXml301(ml30.body), [], `${url}: SDMX-ML 3.0.1`);
    t.match(ml30.body, new RegExp(`<structure:DataConstraint [^>]*id="${WHOLE}"[^>]*validFrom="2021-06-01T08:00:00Z"[^>]*role="Actual"`), 'a DataConstraint, role Actual, valid from the newest release');
    const json10 = await get(url, { accept: MEDIA.structureJson10 });
    const doc10 = JSON.parse(json10.body);
    t.same(validateJson(doc10, JSON_SCHEMA.structure10), [], `${url}: SDMX-JSON 1.0`);
    t.ok(doc10.data.contentConstraints.some((c: { id: string; type: string }) => c.id === WHOLE && c.type === 'Actual'));
    const json20 = await get(url, { accept: MEDIA.structureJson20 });
    const doc20 = JSON.parse(json20.body);
    t.same(validateJson(doc20, JSON_SCHEMA.structure20), [], `${url}: SDMX-JSON 2.0`);
    t.ok(doc20.data.dataConstraints.some((c: { id: string; role: string }) => c.id === WHOLE && c.role === 'Actual'));
  }
});

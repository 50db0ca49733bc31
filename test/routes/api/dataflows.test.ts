/**
 * `GET /api/v1/dataflows` and `GET /api/v1/dataflows/{id}` on the real demo data, at an injected
 * instant: counts, periods and codes equal to what the SDMX availability API says of the same
 * visible data; themes from the categorisations; last and next release from the public
 * calendar; Spanish labels; the ICCS tree with levels and the ICCS's descriptions (English in
 * both languages); the held-back release counted from its instant on, not a millisecond
 * earlier; validators and 304; bad input as 4xx problems. Every answer is checked against the
 * route's declared response schema.
 */
import t, { type Test } from 'tap';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { DATAFLOW_DETAIL_RESPONSE, DATAFLOW_LIST_RESPONSE } from '../../../src/routes/api/dataflows.js';
import { assertProblem, demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT, schemaErrors, shifted } from '../../helpers/json-api-demo.js';

const { app, clock } = await demoApp();
t.teardown(() => app.close());

interface Summary {
  id: string;
  name: string;
  names: Record<string, string>;
  theme: { id: string; scheme: string; name: string } | null;
  categories: { id: string; scheme: string }[];
  dimensions: { id: string; name: string }[];
  series: number;
  observations: number;
  period: { first: string; last: string } | null;
  lastRelease: { code: string; title: string; announcedAt: string } | null;
  nextRelease: { code: string; announcedAt: string } | null;
  links: Record<string, string>;
}
interface CodeInfo {
  id: string;
  name: string;
  description: string | null;
  descriptionLang: string | null;
  parent: string | null;
  level: number;
  levelName: string | null;
  series: number;
  observations: number;
}
interface Node extends Omit<CodeInfo, 'parent'> {
  holdsData: boolean;
  children: Node[];
}
interface Detail {
  dataflow: Omit<Summary, 'dimensions'> & {
    dimensions: { id: string; codelist: string | null; hierarchical: boolean; codes: CodeInfo[]; tree?: Node[] }[];
    timeDimension: { id: string; first: string | null; last: string | null };
  };
}

async function list(t: Test, query = '', headers: Record<string, string> = {}): Promise<{ asOf: string; lang: string; dataflows: Summary[] }> {
  const res = await app.inject({ url: `/api/v1/dataflows${query}`, headers });
  t.equal(res.statusCode, 200, res.body.slice(0, 200));
  const body = JSON.parse(res.body);
  t.equal(schemaErrors(DATAFLOW_LIST_RESPONSE, body), null, 'valid against the declared list schema');
  return body;
}

async function detail(t: Test, id: string, query = ''): Promise<Detail> {
  const res = await app.inject({ url: `/api/v1/dataflows/${id}${query}` });
  t.equal(res.statusCode, 200, res.body.slice(0, 200));
  const body = JSON.parse(res.body);
  t.equal(schemaErrors(DATAFLOW_DETAIL_RESPONSE, body), null, 'valid against the declared detail schema');
  return body;
}

/** What the SDMX availability API says of a whole dataflow: series, observations, codes per dimension. */
async function availability(flow: string): Promise<{ series: number; observations: number; codes: Map<string, string[]> }> {
  const res = await app.inject({ url: `/sdmx/2.1/availableconstraint/UNODC,${flow},1.0`, headers: { accept: MEDIA.structureJson10 } });
  if (res.statusCode !== 200) return { series: 0, observations: 0, codes: new Map() };
  const constraint = JSON.parse(res.body).data.contentConstraints[0];
  const metric = (id: string) => Number(constraint.annotations?.find((a: { id: string }) => a.id === id)?.title ?? 0);
  const codes = new Map<string, string[]>(constraint.cubeRegions[0].keyValues.map((kv: { id: string; values: string[] }) => [kv.id, kv.values]));
  return { series: metric('series_count'), observations: metric('obs_count'), codes };
}

t.test('every dataflow with its counts, equal to the SDMX availability of the same data', async (t) => {
  const body = await list(t);
  t.equal(body.asOf, LOADED_AT);
  t.equal(body.dataflows.length, 10, 'the ten dataflows');
  for (const flow of body.dataflows) {
    const sdmx = await availability(flow.id);
    t.same([flow.series, flow.observations], [sdmx.series, sdmx.observations], `${flow.id}: ${flow.series} series, ${flow.observations} observations`);
    t.equal(flow.links.self, `/api/v1/dataflows/${flow.id}`);
    t.equal(flow.links.observations, `/api/v1/dataflows/${flow.id}/observations`);
    t.equal((await app.inject({ url: flow.links.sdmxStructure })).statusCode, 200, `${flow.id}: the SDMX structure link answers`);
    t.equal((await app.inject({ url: flow.links.self })).statusCode, 200, `${flow.id}: the self link answers`);
  }
  const homicide = body.dataflows.find((f) => f.id === 'DF_CTS_HOMICIDE')!;
  t.equal(homicide.name, 'Victims of intentional homicide');
  t.equal(homicide.names.es, 'Víctimas de homicidio intencional');
  t.same([homicide.theme?.id, homicide.theme?.scheme, homicide.theme?.name], ['HOMICIDE', 'UNODC:CAT_THEMES(1.0)', 'Intentional homicide'], 'the theme from the categorisation');
  t.ok(homicide.categories.some((c) => c.scheme.includes('CAT_SDG')), 'and its SDG category');
  t.same(homicide.period, { first: '2000', last: '2016' }, 'the GSH 2019 tables cover 2000–2016');
  t.same(homicide.lastRelease, { code: 'GSH-2019', title: homicide.lastRelease!.title, announcedAt: '2018-10-14T00:00:00.000Z' });
  t.equal(homicide.nextRelease, null);
  t.same(homicide.dimensions.map((d) => d.id), ['FREQ', 'REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'UNIT_MEASURE']);
  const offences = body.dataflows.find((f) => f.id === 'DF_CTS_OFFENCES')!;
  t.same([offences.nextRelease?.code, offences.nextRelease?.announcedAt], [HELD_BACK.code, HELD_BACK_AT], 'the next release, as the calendar announces it');
  t.equal(offences.lastRelease?.code, 'UNCTS-2024');

  const es = await list(t, '?lang=es');
  t.equal(es.dataflows.find((f) => f.id === 'DF_CTS_HOMICIDE')!.name, 'Víctimas de homicidio intencional', 'names in Spanish');
  t.equal(es.dataflows.find((f) => f.id === 'DF_CTS_HOMICIDE')!.theme?.name, 'Homicidio intencional');
  t.equal((await list(t, '', { 'accept-language': 'es-MX' })).lang, 'es', 'Accept-Language picks Spanish');
});

t.test('embargo: the held-back release counts from its instant, not a millisecond earlier', async (t) => {
  t.teardown(() => clock.set(LOADED_AT));
  const offences = async () => (await list(t)).dataflows.find((f) => f.id === 'DF_CTS_OFFENCES')!;
  clock.set(shifted(HELD_BACK_AT, -1));
  const before = await offences();
  const sdmxBefore = await availability('DF_CTS_OFFENCES');
  t.same([before.series, before.observations], [sdmxBefore.series, sdmxBefore.observations], 'T − 1 ms: the public counts');
  t.equal(before.nextRelease?.code, HELD_BACK.code);
  const beforeDetail = await detail(t, 'DF_CTS_OFFENCES');
  clock.set(HELD_BACK_AT);
  const at = await offences();
  const sdmxAt = await availability('DF_CTS_OFFENCES');
  t.ok(at.observations > before.observations, `T: the release counts (${before.observations} → ${at.observations})`);
  t.same([at.series, at.observations], [sdmxAt.series, sdmxAt.observations], 'T: equal to SDMX availability');
  t.equal(at.lastRelease?.code, HELD_BACK.code, 'T: the last release');
  t.equal(at.nextRelease, null, 'T: nothing more announced');
  const atDetail = await detail(t, 'DF_CTS_OFFENCES');
  const codes = (d: Detail) => d.dataflow.dimensions.find((x) => x.id === 'OFFENCE')!.codes.map((c) => c.id);
  t.ok(codes(atDetail).length > codes(beforeDetail).length, 'T: the offence codes of the release appear');
  clock.set(shifted(HELD_BACK_AT, 1));
  t.same((await offences()).observations, at.observations, 'T + 1 ms: the same');
});

t.test('one dataflow: the codes that hold data per dimension, equal to SDMX availability, with counts', async (t) => {
  const d = await detail(t, 'DF_CTS_OFFENCES');
  const sdmx = await availability('DF_CTS_OFFENCES');
  for (const dim of d.dataflow.dimensions) {
    t.same(new Set(dim.codes.map((c) => c.id)), new Set(sdmx.codes.get(dim.id)), `${dim.id}: the codes with data`);
    t.ok(dim.codes.every((c) => c.series > 0 && c.observations >= c.series), `${dim.id}: every code counts its series and observations`);
  }
  const area = d.dataflow.dimensions.find((x) => x.id === 'REF_AREA')!;
  t.equal(area.codes.reduce((n, c) => n + c.series, 0), d.dataflow.series, 'each series has one area: the counts add up');
  t.equal(area.codes.reduce((n, c) => n + c.observations, 0), d.dataflow.observations);
  const offence = d.dataflow.dimensions.find((x) => x.id === 'OFFENCE')!;
  t.equal(offence.codelist, 'UNODC:CL_OFFENCE(1.0)');
  t.ok(offence.hierarchical && offence.tree, 'the ICCS offences as a tree');
  const walk = (nodes: Node[], parentLevel: number, out: Node[]) => {
    for (const n of nodes) {
      t.equal(n.level, parentLevel + 1, `${n.id}: one level below its parent`);
      out.push(n);
      walk(n.children, n.level, out);
    }
    return out;
  };
  const nodes = walk(offence.tree!, 0, []);
  t.same(new Set(nodes.filter((n) => n.holdsData).map((n) => n.id)), new Set(offence.codes.map((c) => c.id)), 'the tree holds exactly the codes with data…');
  t.ok(nodes.filter((n) => !n.holdsData).every((n) => n.series === 0 && n.children.length > 0), '…and the ancestors that place them, without counts');
  const section = nodes.find((n) => n.id === '02');
  t.same([section?.level, section?.levelName], [1, 'Section'], 'ICCS 02 is a section');
  const division = offence.codes.find((c) => c.id.length === 4 && c.parent !== null)!;
  t.same([division.level, division.levelName], [2, 'Division'], `${division.id} is a division under ${division.parent}`);
  t.same(d.dataflow.timeDimension, { id: 'TIME_PERIOD', first: d.dataflow.period!.first, last: d.dataflow.period!.last });

  const es = await detail(t, 'DF_CTS_OFFENCES', '?lang=es');
  t.equal(es.dataflow.dimensions.find((x) => x.id === 'OFFENCE')!.tree!.find((n) => n.id === '02')?.levelName, 'Sección', 'level names in Spanish');
  const homicideEs = await detail(t, 'DF_CTS_HOMICIDE', '?lang=es');
  t.equal(homicideEs.dataflow.dimensions.find((x) => x.id === 'SEX')!.codes.find((c) => c.id === 'F')?.name, 'Mujeres', 'code labels in Spanish');

  // The ICCS's descriptions, from CL_ICCS (CL_OFFENCE leaves the notes to it), English in both languages.
  const iccs = (await app.inject({ url: '/api/v1/codelists/CL_ICCS' })).json() as { codes: { id: string; description: string | null }[] };
  const iccsDescription = new Map(iccs.codes.map((c) => [c.id, c.description]));
  for (const [answer, lang] of [[d, 'en'], [es, 'es']] as const) {
    const dim = answer.dataflow.dimensions.find((x) => x.id === 'OFFENCE')!;
    const all = [...dim.codes, ...walk(dim.tree!, 0, [])];
    const iccsCodes = all.filter((c) => iccsDescription.has(c.id));
    t.ok(iccsCodes.length > 10, `${lang}: ICCS codes with data`);
    t.same(
      iccsCodes.map((c) => [c.id, c.description, c.descriptionLang]),
      iccsCodes.map((c) => [c.id, iccsDescription.get(c.id), iccsDescription.get(c.id) === null ? null : 'en']),
      `${lang}: each ICCS code, in the list and the tree, has its ICCS description, in English`,
    );
  }
  const homicide = (await detail(t, 'DF_CTS_HOMICIDE', '?lang=es')).dataflow.dimensions.find((x) => x.id === 'OFFENCE')!.codes.find((c) => c.id === '0101')!;
  t.same([homicide.name, homicide.description, homicide.descriptionLang], ['Homicidio intencional', 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.', 'en']);
  const sex = homicideEs.dataflow.dimensions.find((x) => x.id === 'SEX')!;
  t.ok(sex.codes.every((c) => c.description === null && c.descriptionLang === null), 'codes the structures do not describe: null');

  const exact = await detail(t, encodeURIComponent('UNODC:DF_CTS_OFFENCES(1.0)'));
  t.same(exact.dataflow.dimensions.map((x) => x.codes.length), d.dataflow.dimensions.map((x) => x.codes.length), 'AGENCY:ID(VERSION) names the same dataflow');
  const params = await detail(t, 'DF_CTS_OFFENCES', '?agency=UNODC&version=1.0');
  t.equal(params.dataflow.series, d.dataflow.series, 'agency and version parameters too');
});

t.test('validators: ETag and 304, Cache-Control until the next release instant', async (t) => {
  for (const url of ['/api/v1/dataflows', '/api/v1/dataflows/DF_CTS_HOMICIDE']) {
    const first = await app.inject({ url });
    t.match(first.headers.etag, /^W\/"/);
    const maxAge = Number(/max-age=(\d+)/.exec(String(first.headers['cache-control']))?.[1]);
    t.ok(maxAge > 0 && maxAge <= 300, `${url}: public, max-age=${maxAge}`);
    t.equal((await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } })).statusCode, 304, `${url}: 304 for a current copy`);
  }
  t.teardown(() => clock.set(LOADED_AT));
  const url = '/api/v1/dataflows';
  clock.set(shifted(HELD_BACK_AT, -10_000));
  const before = await app.inject({ url });
  t.equal(before.headers['cache-control'], 'public, max-age=10', 'ten seconds before the instant: kept ten seconds at most');
  clock.set(HELD_BACK_AT);
  t.equal((await app.inject({ url, headers: { 'if-none-match': String(before.headers.etag) } })).statusCode, 200, 'at the instant the old copy is stale');
});

t.test('bad input: 4xx problems naming the parameter', async (t) => {
  assertProblem(t, await app.inject({ url: '/api/v1/dataflows/DF_NOPE' }), 404, undefined, 'an unknown dataflow');
  assertProblem(t, await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE?version=2.0' }), 404, undefined, 'an unknown version');
  assertProblem(t, await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE?agency=ESTAT' }), 404, undefined, 'another agency');
  assertProblem(t, await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE?version=x.y' }), 400, 'version', 'a malformed version');
  assertProblem(t, await app.inject({ url: `/api/v1/dataflows/${encodeURIComponent('ESTAT:DF_CTS_HOMICIDE(1.0)')}?agency=UNODC` }), 400, 'agency', 'contradicting agencies');
  assertProblem(t, await app.inject({ url: '/api/v1/dataflows/DF%20X' }), 400, 'id', 'a malformed id');
  const lang = assertProblem(t, await app.inject({ url: '/api/v1/dataflows?lang=de' }), 400, 'lang', 'a language we do not have');
  t.same(lang.allowed, ['en', 'es']);
  assertProblem(t, await app.inject({ url: '/api/v1/dataflows?sort=name' }), 400, 'sort', 'an unknown parameter');
  assertProblem(t, await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE?key=A' }), 400, 'key', 'an unknown parameter');
});

t.test('parameters read for people: given twice, unknown, another API’s; Content-Language and Vary', async (t) => {
  const twice = assertProblem(t, await app.inject({ url: '/api/v1/dataflows?lang=en&lang=es' }), 400, 'lang', 'lang twice');
  t.match(twice.detail, /"en" and "es"/, 'both values named');
  const sort = assertProblem(t, await app.inject({ url: '/api/v1/dataflows?sort=name' }), 400, 'sort');
  t.match(sort.detail, /Unknown parameter sort: Accepted are lang/);
  t.notMatch(sort.detail, /must NOT have additional properties/, 'no validator jargon');
  const key = assertProblem(t, await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE?key=A' }), 400, 'key');
  t.match(key.detail, /\/api\/v1\/data\//, 'key: the key-based API is named');
  const version = assertProblem(t, await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE?Version=1.0' }), 400, 'Version');
  t.match(version.detail, /did you mean version\?/);
  t.equal((await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE?version=1.0&agency=UNODC&lang=es' })).statusCode, 200);
  for (const [url, lang] of [
    ['/api/v1/dataflows', 'en'],
    ['/api/v1/dataflows?lang=es', 'es'],
    ['/api/v1/dataflows/DF_CTS_HOMICIDE?lang=es', 'es'],
  ] as const) {
    const res = await app.inject({ url });
    t.equal(res.headers['content-language'], lang, `${url}: Content-Language ${lang}`);
    t.match(res.headers.vary, /accept-language/, `${url}: Vary: Accept-Language`);
  }
  const byHeader = await app.inject({ url: '/api/v1/dataflows/DF_CTS_HOMICIDE', headers: { 'accept-language': 'es-MX, en;q=0.5' } });
  t.equal(byHeader.headers['content-language'], 'es', 'chosen by Accept-Language');
  const problem = await app.inject({ url: '/api/v1/dataflows/DF_NOPE?lang=es' });
  t.equal(problem.headers['content-language'], 'en', 'problems are worded in English, and say so');
});

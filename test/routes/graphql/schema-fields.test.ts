/**
 * Every type and field of the GraphQL schema (src/routes/graphql/schema.ts) asked over HTTP
 * (`POST /graphql` through `app.inject`, never a resolver called directly) on the real demo data
 * at a fixed instant, with the answers checked for content: counts, codes, periods and values
 * equal to what the JSON API and the SDMX API say of the same data; labels in English and
 * Spanish; the ICCS tree; series pages, a cursor walk over a whole dataflow, suppressed cells and
 * flags in words, the vintages of a revised value; the release calendar with its
 * disclosure-control summaries; the reference metadata; global ids that come back through
 * node(id:). The last subtest reads the schema by introspection and checks that every object
 * and interface field was asked by one of the documents this file sent (so a field added later
 * without a test fails here), and that types and fields are described.
 */
import t, { type Test } from 'tap';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  isInterfaceType,
  isObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type IntrospectionQuery,
} from 'graphql';
import { SCHEMA_SDL } from '../../../src/routes/graphql/schema.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { parseCsv } from '../../helpers/csv.js';
import { demoApp, HELD_BACK, HELD_BACK_AT, LOADED_AT } from '../../helpers/json-api-demo.js';

const { app } = await demoApp();
t.teardown(() => app.close());

// Answers are JSON of the shape each query asks for: read loosely, asserted precisely.
type Json = any;

/** Every document this file sent, for the coverage check at the end. */
const SENT: string[] = [];

/** Runs a document that must succeed: 200, JSON, no errors, a cost within the maximum. */
async function gql(t: Test, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Json> {
  SENT.push(query);
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables }, headers });
  t.equal(res.statusCode, 200, `200 (${res.body.slice(0, 300)})`);
  t.match(res.headers['content-type'], /^application\/json/);
  const body = JSON.parse(res.body) as Json;
  t.equal(body.errors, undefined, 'no errors');
  const cost = body.extensions?.cost;
  t.ok(typeof cost?.requested === 'number' && cost.requested <= cost.maximum, `extensions.cost ${JSON.stringify(cost)}: requested within the maximum`);
  return body.data;
}

/** Runs a document expected to carry errors; returns the whole body. */
async function gqlWithErrors(t: Test, query: string, variables?: Record<string, unknown>): Promise<Json> {
  SENT.push(query);
  const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
  t.equal(res.statusCode, 200, 'an execution error is a 200 with errors');
  return JSON.parse(res.body) as Json;
}

const json = async (url: string): Promise<Json> => {
  const res = await app.inject({ url });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body) as Json;
};

const DIMENSIONS = ['FREQ', 'REF_AREA', 'INDICATOR', 'OFFENCE', 'SEX', 'AGE', 'DISAGGREGATION', 'UNIT_MEASURE'];
const RELEASES_IN_ORDER = ['GSH-2019', 'UNCTS-2022', 'ESTAT-CRIM-2022', 'UNCTS-2023', 'ESTAT-CRIM-2024', 'UNCTS-2024', HELD_BACK.code];

const DATAFLOW_FIELDS = `
  id code agency version reference
  name nameEs: name(lang: ES) nameEn: name(lang: EN) names { lang text }
  description descriptionEs: description(lang: ES)
  theme { code scheme path name nameEs: name(lang: ES) names { lang text } }
  categories { code scheme path name }
  seriesCount observationCount
  period { first last }
  lastRelease { code state announcedAt }
  nextRelease { code state announcedAt publishedAt }
  releases { code }
  links { api observations sdmxStructure sdmxData sdmxCsv metadata }
`;

t.test('Query.dataflows: the ten dataflows with their counts, periods, themes and releases, as the JSON API lists them', async (t) => {
  const { dataflows } = await gql(t, `{ dataflows { ${DATAFLOW_FIELDS} } }`);
  const api = (await json('/api/v1/dataflows')).dataflows as Json[];
  t.equal(dataflows.length, 10, 'ten dataflows');
  t.same(
    dataflows.map((f: Json) => f.code),
    [...api.map((f: Json) => f.id)].sort(),
    'in id order, the same as the JSON API’s',
  );
  t.equal(new Set(dataflows.map((f: Json) => f.id)).size, 10, 'ten distinct global ids');
  for (const flow of dataflows) {
    const a = api.find((x: Json) => x.id === flow.code);
    t.ok(flow.seriesCount > 0 && flow.observationCount >= flow.seriesCount, `${flow.code}: ${flow.seriesCount} series, ${flow.observationCount} values`);
    t.same([flow.seriesCount, flow.observationCount, flow.period], [a.series, a.observations, a.period], `${flow.code}: the counts and period of the JSON API`);
    t.equal(flow.agency, 'UNODC');
    t.equal(flow.version, '1.0');
    t.equal(flow.reference, `UNODC:${flow.code}(1.0)`);
    t.equal(flow.name, a.names.en, `${flow.code}: English name by default`);
    t.equal(flow.nameEn, a.names.en);
    t.equal(flow.nameEs, a.names.es, `${flow.code}: name(lang: ES)`);
    t.same(flow.names, [{ lang: 'en', text: a.names.en }, { lang: 'es', text: a.names.es }], `${flow.code}: names in both languages`);
    t.equal(flow.theme?.code, a.theme?.id, `${flow.code}: theme ${flow.theme?.code}`);
    t.same(flow.categories.map((c: Json) => c.code), a.categories.map((c: Json) => c.id), `${flow.code}: categories`);
    t.equal(flow.lastRelease?.code, a.lastRelease?.code, `${flow.code}: last release ${flow.lastRelease?.code}`);
    t.equal(flow.lastRelease?.state, 'PUBLISHED');
    t.equal(flow.nextRelease?.code ?? null, a.nextRelease?.code ?? null, `${flow.code}: next release`);
    t.ok(flow.releases.some((r: Json) => r.code === flow.lastRelease.code), `${flow.code}: its releases include the last one`);
    t.same(flow.links, {
      api: `/api/v1/dataflows/${flow.code}`,
      observations: `/api/v1/dataflows/${flow.code}/observations`,
      sdmxStructure: `/sdmx/2.1/dataflow/UNODC/${flow.code}/1.0?references=all`,
      sdmxData: `/sdmx/2.1/data/UNODC,${flow.code},1.0/all`,
      sdmxCsv: `/sdmx/2.1/data/UNODC,${flow.code},1.0/all?format=csv`,
      metadata: `/api/v1/dataflows/${flow.code}/metadata`,
    });
  }
  const homicide = dataflows.find((f: Json) => f.code === 'DF_CTS_HOMICIDE');
  t.equal(homicide.name, 'Victims of intentional homicide');
  t.equal(homicide.nameEs, 'Víctimas de homicidio intencional');
  t.match(homicide.description, /^Victims of intentional homicide \(ICCS 0101\)/);
  t.match(homicide.descriptionEs, /^Víctimas de homicidio intencional \(ICCS 0101\)/, 'the description in Spanish');
  t.same(homicide.theme, {
    code: 'HOMICIDE',
    scheme: 'UNODC:CAT_THEMES(1.0)',
    path: [],
    name: 'Intentional homicide',
    nameEs: 'Homicidio intencional',
    names: [
      { lang: 'en', text: 'Intentional homicide' },
      { lang: 'es', text: 'Homicidio intencional' },
    ],
  });
  t.same(homicide.categories.map((c: Json) => [c.code, c.scheme]), [
    ['HOMICIDE', 'UNODC:CAT_THEMES(1.0)'],
    ['SDG_16_1', 'UNODC:CAT_SDG(1.0)'],
  ], 'its theme and its SDG target');
  t.match(homicide.categories[1].name, /^Target 16\.1/);
  t.same(homicide.period, { first: '2000', last: '2016' }, 'the GSH 2019 tables cover 2000–2016');
  t.same([homicide.seriesCount, homicide.observationCount], [1300, 11516]);
  t.same(homicide.lastRelease, { code: 'GSH-2019', state: 'PUBLISHED', announcedAt: '2018-10-14T00:00:00.000Z' });
  t.equal(homicide.nextRelease, null);

  // The held-back release: announced, not public, so the next release of the offences.
  const offences = dataflows.find((f: Json) => f.code === 'DF_CTS_OFFENCES');
  t.ok(Date.parse(LOADED_AT) < Date.parse(HELD_BACK_AT), 'the clock is before the held-back release');
  t.same(offences.nextRelease, { code: HELD_BACK.code, state: 'SCHEDULED', announcedAt: HELD_BACK_AT, publishedAt: null }, 'DF_CTS_OFFENCES: next release UNCTS-2024-CORRUPTION');
  t.equal(offences.lastRelease.code, 'UNCTS-2024');
  t.same(offences.releases.map((r: Json) => r.code), ['UNCTS-2024', HELD_BACK.code], 'every release of the calendar that covers it');
  t.same(
    dataflows.filter((f: Json) => f.nextRelease !== null).map((f: Json) => f.code),
    ['DF_CTS_OFFENCES'],
    'no other dataflow has a release announced',
  );
});

t.test('dataflow(id:): by its id, AGENCY:ID(VERSION) and global id, the same dataflow', async (t) => {
  const byId = (await gql(t, `{ dataflow(id: "DF_CTS_VICTIMS") { ${DATAFLOW_FIELDS} } }`)).dataflow;
  t.equal(byId.code, 'DF_CTS_VICTIMS');
  const byReference = (await gql(t, `{ dataflow(id: "UNODC:DF_CTS_VICTIMS(1.0)") { ${DATAFLOW_FIELDS} } }`)).dataflow;
  t.same(byReference, byId, 'AGENCY:ID(VERSION)');
  const byGlobal = (await gql(t, `query($id: ID!) { dataflow(id: $id) { ${DATAFLOW_FIELDS} } }`, { id: byId.id })).dataflow;
  t.same(byGlobal, byId, 'its global id');
  t.same([byId.seriesCount, byId.observationCount, byId.period], [1108, 6266, { first: '2013', last: '2022' }]);
});

t.test('dimensions: the codes that hold data with their counts, equal to the JSON API detail', async (t) => {
  const { dataflow } = await gql(
    t,
    `{ dataflow(id: "DF_CTS_HOMICIDE") {
      seriesCount observationCount
      dimensions {
        code position name nameEs: name(lang: ES) names { lang text }
        codelist { code reference }
        hierarchical
        codes { code name nameEs: name(lang: ES) level parent seriesCount observationCount entry { code level codelist { code } } }
      }
      sex: dimension(code: "sex") { code position codes { code seriesCount } }
      attributes { code name nameEs: name(lang: ES) codelist { code codeCount } }
    } }`,
  );
  const detail = (await json('/api/v1/dataflows/DF_CTS_HOMICIDE')).dataflow;
  t.same(dataflow.dimensions.map((d: Json) => d.code), DIMENSIONS, 'the dimensions in key order');
  t.same(dataflow.dimensions.map((d: Json) => d.position), [1, 2, 3, 4, 5, 6, 7, 8], 'positions from 1');
  for (const dim of dataflow.dimensions) {
    const a = detail.dimensions.find((x: Json) => x.id === dim.code);
    t.equal(dim.codelist?.reference, a.codelist, `${dim.code}: codelist ${a.codelist}`);
    t.equal(dim.hierarchical, a.hierarchical, `${dim.code}: hierarchical ${a.hierarchical}`);
    t.same(
      dim.codes.map((c: Json) => [c.code, c.seriesCount, c.observationCount, c.level, c.parent, c.name, c.nameEs]),
      a.codes.map((c: Json) => [c.id, c.series, c.observations, c.level, c.parent, c.names.en, c.names.es]),
      `${dim.code}: ${dim.codes.length} codes, each with the JSON API's series and observation counts, level, parent and names`,
    );
    t.ok(dim.codes.every((c: Json) => c.seriesCount > 0 && c.observationCount >= c.seriesCount), `${dim.code}: only codes that hold data`);
    t.ok(dim.codes.every((c: Json) => c.entry?.code === c.code && c.entry.level === c.level), `${dim.code}: each code's entry in its codelist`);
    t.same(dim.names.map((n: Json) => n.lang), ['en', 'es']);
  }
  const [freq, area, , offence, sex, , , unit] = dataflow.dimensions;
  t.same([freq.name, freq.nameEs], ['Frequency', 'Frecuencia']);
  t.same([area.name, area.nameEs, area.codelist.code, area.hierarchical], ['Reference area', 'Zona de referencia', 'CL_AREA', true]);
  t.equal(area.codes.length, 230, '230 areas hold homicide data');
  t.same(area.codes.find((c: Json) => c.code === 'MEX'), { code: 'MEX', name: 'Mexico', nameEs: 'México', level: 4, parent: '419', seriesCount: 6, observationCount: area.codes.find((c: Json) => c.code === 'MEX').observationCount, entry: { code: 'MEX', level: 4, codelist: { code: 'CL_AREA' } } });
  t.same(freq.codes.map((c: Json) => [c.code, c.seriesCount, c.observationCount]), [['A', 1300, 11516]], 'every series is annual: its counts are the dataflow’s');
  t.same(offence.codes.map((c: Json) => [c.code, c.level, c.parent, c.entry.codelist.code]), [['0101', 2, '01', 'CL_OFFENCE']], 'one offence: intentional homicide, a division under section 01');
  t.same(sex.codes.map((c: Json) => c.code).sort(), ['F', 'M', '_T']);
  t.equal(sex.codes.reduce((n: number, c: Json) => n + c.seriesCount, 0), dataflow.seriesCount, 'SEX splits the series: the counts add up to the dataflow’s');
  t.equal(unit.codes.reduce((n: number, c: Json) => n + c.observationCount, 0), dataflow.observationCount, 'so does UNIT_MEASURE for the values');
  t.same(dataflow.sex, { code: 'SEX', position: 5, codes: sex.codes.map((c: Json) => ({ code: c.code, seriesCount: c.seriesCount })) }, 'dimension(code:) in any letter case');

  t.same(
    dataflow.attributes.map((a: Json) => [a.code, a.name, a.nameEs, a.codelist?.code ?? null]),
    [
      ['OBS_STATUS', 'Observation status', 'Estado de la observación', 'CL_OBS_STATUS'],
      ['CONF_STATUS', 'Confidentiality status', 'Estado de confidencialidad', 'CL_CONF_STATUS'],
      ['SOURCE_DETAIL', 'Source detail', 'Detalle de la fuente', null],
      ['COMMENT_OBS', 'Observation comment', 'Comentario de la observación', null],
    ],
    'the attributes: two coded flags, two free texts',
  );
  t.equal(dataflow.attributes[0].codelist.codeCount, 17, 'CL_OBS_STATUS: 17 statuses');
});

t.test('links: every link of a dataflow and a codelist answers 200 on this host', async (t) => {
  const { dataflow, codelist } = await gql(t, `{ dataflow(id: "DF_CTS_COURTS") { links { api observations sdmxStructure sdmxData sdmxCsv metadata } } codelist(id: "CL_ICCS") { links { api sdmx } } }`);
  for (const [name, url] of [...Object.entries(dataflow.links), ...Object.entries(codelist.links)] as [string, string][]) {
    t.match(url, /^\//, `${name}: a path on this host`);
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, `${name}: ${url} answers 200`);
  }
  t.same(codelist.links, { api: '/api/v1/codelists/CL_ICCS', sdmx: '/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0' }, 'the codelist in both APIs');
});

t.test('codelist CL_ICCS: the ICCS as a tree of 320 codes in four named levels', async (t) => {
  const { codelist } = await gql(
    t,
    `{ codelist(id: "CL_ICCS") {
      id code agency version reference
      name nameEs: name(lang: ES) names { lang text }
      description descriptionEs: description(lang: ES)
      source hierarchical codeCount
      levels { level name nameEs: name(lang: ES) }
      codes { code level }
      sections: codes(level: 1) { code name nameEs: name(lang: ES) level levelName }
      classes: codes(level: 4) { code }
      roots { code }
      top: descendants(maxLevel: 2) { code level }
      all: descendants { code }
    } }`,
  );
  t.same([codelist.code, codelist.agency, codelist.version, codelist.reference], ['CL_ICCS', 'UNODC', '1.0', 'UNODC:CL_ICCS(1.0)']);
  t.match(codelist.name, /^International Classification of Crime for Statistical Purposes \(ICCS\)/);
  t.match(codelist.nameEs, /^Clasificación Internacional de Delitos con Fines Estadísticos/);
  t.same(codelist.names.map((n: Json) => n.lang), ['en', 'es']);
  t.match(codelist.description, /All 320 categories of the ICCS/);
  t.match(codelist.source, /International Classification of Crime for Statistical Purposes \(ICCS\), Version 1\.0, March 2015/);
  t.equal(codelist.hierarchical, true);
  t.equal(codelist.codeCount, 320);
  t.equal(codelist.codes.length, codelist.codeCount, 'codeCount is the number of codes');
  t.same(
    [1, 2, 3, 4].map((l) => codelist.codes.filter((c: Json) => c.level === l).length),
    [11, 63, 148, 98],
    '11 sections, 63 divisions, 148 groups, 98 classes (as the codelist’s description says)',
  );
  t.same(codelist.levels, [
    { level: 1, name: 'Section', nameEs: 'Sección' },
    { level: 2, name: 'Division', nameEs: 'División' },
    { level: 3, name: 'Group', nameEs: 'Grupo' },
    { level: 4, name: 'Class', nameEs: 'Clase' },
  ]);
  t.same(codelist.sections.map((c: Json) => c.code), ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'], 'codes(level: 1): the eleven ICCS sections');
  t.same(codelist.sections[0], { code: '01', name: 'Acts leading to death or intending to cause death', nameEs: codelist.sections[0].nameEs, level: 1, levelName: 'Section' });
  t.ok(codelist.sections.every((c: Json) => c.nameEs && c.nameEs !== c.name), 'every section has its Spanish label');
  t.equal(codelist.classes.length, 98);
  t.same(codelist.roots.map((c: Json) => c.code), codelist.sections.map((c: Json) => c.code), 'roots: the sections');
  t.same(
    codelist.top.map((c: Json) => c.code),
    codelist.codes.filter((c: Json) => c.level <= 2).map((c: Json) => c.code),
    'descendants(maxLevel: 2): sections and divisions, flat, in codelist order',
  );
  t.equal(codelist.top.length, 74);
  t.same(codelist.all.map((c: Json) => c.code), codelist.codes.map((c: Json) => c.code), 'descendants without maxLevel: every code');

  const byReference = (await gql(t, `{ codelist(id: "UNODC:CL_ICCS(1.0)") { id codeCount } }`)).codelist;
  t.same(byReference, { id: codelist.id, codeCount: 320 }, 'by AGENCY:ID(VERSION)');
  const byGlobal = (await gql(t, `query($id: ID!) { codelist(id: $id) { code codeCount } }`, { id: codelist.id })).codelist;
  t.same(byGlobal, { code: 'CL_ICCS', codeCount: 320 }, 'by its global id');
  const flat = (await gql(t, `{ codelist(id: "UNODC:CL_SEX(1.0)") { hierarchical codeCount levels { level } roots { code } } }`)).codelist;
  t.equal(flat.hierarchical, false, 'CL_SEX is flat');
  t.equal(flat.roots.length, flat.codeCount, 'a flat list: every code is a root');
});

t.test('entry(code:): a code with the ICCS notes, its parent, children, ancestors and descendants', async (t) => {
  const CODE = `code name nameEs: name(lang: ES) names { lang text } description inclusions exclusions notesLang notesSource level levelName levelNameEs: levelName(lang: ES)`;
  const { codelist } = await gql(
    t,
    `{ codelist(id: "CL_ICCS") {
      homicide: entry(code: "0101") { ${CODE} parent { code level } children { code } ancestors { code } descendants { code } codelist { code } }
      section: entry(code: "01") { ${CODE} children { code } descendants { code level } d2: descendants(maxLevel: 2) { code } d3: descendants(maxLevel: 3) { code } }
      klass: entry(code: "010321") { code level levelName parent { code } ancestors { code level } children { code } descendants { code } }
    } }`,
  );
  const h = codelist.homicide;
  t.same([h.code, h.name, h.nameEs, h.level, h.levelName, h.levelNameEs], ['0101', 'Intentional homicide', 'Homicidio intencional', 2, 'Division', 'División']);
  t.same(h.names, [{ lang: 'en', text: 'Intentional homicide' }, { lang: 'es', text: 'Homicidio intencional' }]);
  t.equal(h.description, 'Unlawful death inflicted upon a person with the intent to cause death or serious injury.', 'the ICCS description, verbatim');
  t.equal(h.inclusions.length, 10);
  t.same(h.inclusions.slice(0, 2), ['Murder', 'honour killing']);
  t.ok(h.exclusions.includes('attempted intentional homicide (0102)'), 'an exclusion naming where it goes');
  t.equal(h.notesLang, 'en', 'the notes are English, quoted from the English edition');
  t.equal(h.notesSource, 'ICCS v1.0 (UNODC 2015), Table I, p. 33');
  t.same(h.parent, { code: '01', level: 1 });
  t.same(h.children, [], '0101 has no groups');
  t.same(h.ancestors, [{ code: '01' }]);
  t.same(h.descendants, []);
  t.same(h.codelist, { code: 'CL_ICCS' }, 'Code.codelist');

  const s = codelist.section;
  t.same([s.level, s.levelName, s.levelNameEs], [1, 'Section', 'Sección']);
  t.same([s.description, s.inclusions, s.exclusions, s.notesLang, s.notesSource], [null, [], [], null, null], 'the ICCS gives no notes for the sections: null and empty, no language');
  t.same(s.children.map((c: Json) => c.code), ['0101', '0102', '0103', '0104', '0105', '0106', '0107', '0109'], 'its divisions');
  t.same(s.d2, s.children, 'descendants(maxLevel: 2) of a section: its divisions');
  t.same(s.descendants.map((c: Json) => c.code), ['0101', '0102', '0103', '01031', '01032', '010321', '010322', '0104', '01041', '01049', '0105', '0106', '0107', '0109'], 'every code under 01, flat, in codelist order');
  t.same(s.d3.map((c: Json) => c.code), s.descendants.filter((c: Json) => c.level <= 3).map((c: Json) => c.code), 'descendants(maxLevel: 3): down to the groups');

  const k = codelist.klass;
  t.same([k.level, k.levelName, k.parent.code], [4, 'Class', '01032']);
  t.same(k.ancestors, [{ code: '01032', level: 3 }, { code: '0103', level: 2 }, { code: '01', level: 1 }], 'ancestors: nearest first, up to the top');
  t.same([k.children, k.descendants], [[], []], 'a class is a leaf');
});

t.test('series: a page with edges, nodes, page info, the instant and the dataflow; series with their codes and values', async (t) => {
  const { series } = await gql(
    t,
    `{ series(dataflow: "DF_CTS_HOMICIDE", first: 4, filter: { dimensions: [{ dimension: "REF_AREA", codes: ["MEX"] }] }) {
      totalCount asOf hints
      dataflow { code }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { key } }
      nodes {
        id key dataflow { code }
        dimensions { dimension dimensionName dimensionNameEs: dimensionName(lang: ES) code name nameEs: name(lang: ES) level }
        area: dimension(code: "ref_area") { dimension code name }
        observations(last: 2) { period value suppressed flags { code } attributes { attribute name nameEs: name(lang: ES) value } release { code } }
        all: observations { period }
      }
    } }`,
  );
  t.equal(series.totalCount, 6, 'Mexico: count and rate for total, female and male victims');
  t.equal(series.asOf, LOADED_AT, 'the data public now');
  t.same(series.hints, [], 'nothing to hint: the filter holds data');
  t.same(series.dataflow, { code: 'DF_CTS_HOMICIDE' });
  t.equal(series.nodes.length, 4, 'first: 4');
  t.same(series.edges.map((e: Json) => e.node.key), series.nodes.map((n: Json) => n.key), 'edges and nodes: the same series');
  t.same(series.nodes.map((n: Json) => n.key), [...series.nodes.map((n: Json) => n.key)].sort(), 'in key order');
  t.equal(new Set(series.edges.map((e: Json) => e.cursor)).size, 4, 'a cursor per edge');
  t.same(series.pageInfo, { hasNextPage: true, hasPreviousPage: false, startCursor: series.edges[0].cursor, endCursor: series.edges[3].cursor });
  const [female] = series.nodes;
  t.equal(female.key, 'A.MEX.VIC_HOM.0101.F._T._T.NR');
  t.same(female.dataflow, { code: 'DF_CTS_HOMICIDE' });
  t.same(female.dimensions.map((d: Json) => d.code).join('.'), female.key, 'the key is the codes in dimension order');
  t.same(female.dimensions[1], { dimension: 'REF_AREA', dimensionName: 'Reference area', dimensionNameEs: 'Zona de referencia', code: 'MEX', name: 'Mexico', nameEs: 'México', level: 4 });
  t.same(female.dimensions[3], { dimension: 'OFFENCE', dimensionName: 'Offence (ICCS)', dimensionNameEs: 'Delito (ICCS)', code: '0101', name: 'Intentional homicide', nameEs: 'Homicidio intencional', level: 2 });
  t.same(female.dimensions[4].nameEs, 'Mujeres');
  t.same(female.area, { dimension: 'REF_AREA', code: 'MEX', name: 'Mexico' }, 'dimension(code:) in any letter case');
  t.same(female.observations.map((o: Json) => o.period), ['2015', '2016'], 'observations(last: 2): the last two periods');
  t.same(female.all.slice(-2).map((o: Json) => o.period), ['2015', '2016']);
  t.ok(female.all.length > 2, `${female.all.length} periods in all`);
  t.same(female.observations[1].attributes, [{ attribute: 'SOURCE_DETAIL', name: 'Source detail', nameEs: 'Detalle de la fuente', value: 'Sustainable Development Goals' }]);
  t.same([female.observations[1].suppressed, female.observations[1].flags, female.observations[1].release.code], [false, [], 'GSH-2019']);

  // The same values as the JSON API's rows for the same selection.
  const rows = (await json('/api/v1/dataflows/DF_CTS_HOMICIDE/observations?REF_AREA=MEX&SEX=F&from=2015&to=2016')).rows as Json[];
  t.same(
    female.observations.map((o: Json) => o.value),
    rows.map((r: Json) => r.values.count.value),
    `the values of the JSON API (${female.observations.map((o: Json) => o.value).join(', ')})`,
  );

  // The next page from endCursor: the remaining two series.
  const next = (await gql(t, `query($after: String) { series(dataflow: "DF_CTS_HOMICIDE", first: 4, after: $after, filter: { dimensions: [{ dimension: "REF_AREA", codes: ["MEX"] }] }) { totalCount asOf nodes { key } pageInfo { hasNextPage hasPreviousPage } } }`, { after: series.pageInfo.endCursor })).series;
  t.equal(next.totalCount, 6, 'totalCount whatever the page');
  t.same(next.nodes.map((n: Json) => n.key), ['A.MEX.VIC_HOM.0101._T._T._T.NR', 'A.MEX.VIC_HOM.0101._T._T._T.P_HTHAB'], 'the totals, after the female and male series');
  t.equal(next.nodes.length, 2, 'the last two');
  t.ok(next.nodes.every((n: Json) => n.key > series.nodes[3].key), 'after the first page');
  t.same(next.pageInfo, { hasNextPage: false, hasPreviousPage: true });
  t.equal(next.asOf, LOADED_AT);

  // Dataflow.series: the same connection.
  const nested = (await gql(t, `{ dataflow(id: "DF_CTS_HOMICIDE") { series(first: 4, filter: { dimensions: [{ dimension: "REF_AREA", codes: ["MEX"] }] }) { totalCount nodes { key } } } }`)).dataflow.series;
  t.same(nested, { totalCount: 6, nodes: series.nodes.map((n: Json) => ({ key: n.key })) }, 'Dataflow.series is Query.series with this dataflow');
});

t.test('filters: descendants, periods; hints for codes without data, in the request’s language', async (t) => {
  const data = await gql(
    t,
    `{
      star: series(dataflow: "DF_CTS_HOMICIDE", first: 1, filter: { dimensions: [{ dimension: "OFFENCE", codes: ["01*"] }, { dimension: "REF_AREA", codes: ["MEX"] }] }) { totalCount }
      desc: series(dataflow: "DF_CTS_HOMICIDE", first: 1, filter: { dimensions: [{ dimension: "OFFENCE", codes: ["01"], descendants: true }, { dimension: "REF_AREA", codes: ["MEX"] }] }) { totalCount }
      section: series(dataflow: "DF_CTS_HOMICIDE", first: 1, filter: { dimensions: [{ dimension: "OFFENCE", codes: ["01"] }] }) { totalCount hints }
      none: series(dataflow: "DF_CTS_HOMICIDE", first: 1, filter: { dimensions: [{ dimension: "OFFENCE", codes: ["0102"] }] }) { totalCount nodes { key } hints }
      period: series(dataflow: "DF_CTS_HOMICIDE", first: 1, filter: { from: "2015", to: "2015", dimensions: [{ dimension: "REF_AREA", codes: ["MEX"] }, { dimension: "SEX", codes: ["_T"] }] }) { totalCount nodes { observations { period } } }
    }`,
  );
  t.equal(data.star.totalCount, 6, 'OFFENCE 01*: the section with every code under it');
  t.equal(data.desc.totalCount, 6, 'descendants: true: the same');
  t.equal(data.section.totalCount, 0, 'the section itself holds no data');
  t.equal(data.section.hints.length, 1);
  t.match(data.section.hints[0], /OFFENCE=01 .*holds no data.*OFFENCE=01\*/, 'the hint says the codes under it do');
  t.same([data.none.totalCount, data.none.nodes], [0, []]);
  t.match(data.none.hints[0], /^No data for OFFENCE=0102 \(Attempted intentional homicide\) in DF_CTS_HOMICIDE/, 'a code without data gives a hint');
  t.equal(data.period.totalCount, 2, 'count and rate of the total');
  t.same(data.period.nodes[0].observations, [{ period: '2015' }], 'from and to: only 2015');

  const es = await gql(t, `{ series(dataflow: "DF_CTS_HOMICIDE", filter: { dimensions: [{ dimension: "OFFENCE", codes: ["0102"] }] }) { hints } }`, undefined, { 'accept-language': 'es' });
  t.match(es.series.hints[0], /^No hay datos para OFFENCE=0102 \(Tentativa de homicidio intencional\)/, 'Accept-Language: es, hints in Spanish');
  const en = await gql(t, `{ series(dataflow: "DF_CTS_HOMICIDE", filter: { dimensions: [{ dimension: "OFFENCE", codes: ["0102"] }] }) { hints } }`);
  t.match(en.series.hints[0], /^No data for/, 'without Accept-Language: English');
});

t.test('a suppressed cell: value null, suppressed, its flags in words, its vintage', async (t) => {
  // A cell disclosure control withheld, found in the SDMX-CSV answer (as observations.test.ts does).
  const csv = parseCsv((await app.inject({ url: '/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/all', headers: { accept: MEDIA.dataCsv10 } })).body);
  const hidden = csv.filter((r) => r.OBS_VALUE === '' && r.CONF_STATUS === 'A');
  t.equal(hidden.length, 359, '359 primary suppressions in the homicide data');
  const cell = hidden[0]!;
  const filter = DIMENSIONS.map((d) => `{ dimension: "${d}", codes: ["${cell[d]}"] }`).join(', ');
  const { series, dataflow } = await gql(
    t,
    `{
      series(dataflow: "DF_CTS_HOMICIDE", first: 1, filter: { from: "${cell.TIME_PERIOD}", to: "${cell.TIME_PERIOD}", dimensions: [${filter}] }) {
        totalCount
        nodes { key observations {
          period value suppressed
          flags { attribute code meaning meaningEn: meaning(lang: EN) meaningEs: meaning(lang: ES) }
          attributes { attribute name value }
          release { code }
          history { release { code } value suppressed withdrawn flags { attribute code meaning } }
        } }
      }
      dataflow(id: "DF_CTS_HOMICIDE") { attributes { code codelist { codes { code name nameEs: name(lang: ES) } } } }
    }`,
  );
  t.equal(series.totalCount, 1);
  const [o] = series.nodes[0].observations;
  t.equal(o.period, cell.TIME_PERIOD);
  t.same([o.value, o.suppressed], [null, true], 'withheld: no value, suppressed');
  const conf = o.flags.find((f: Json) => f.attribute === 'CONF_STATUS');
  t.same([conf.code, conf.meaning, conf.meaningEn], ['A', 'Primary confidentiality due to small counts', 'Primary confidentiality due to small counts'], 'the reason in words');
  const status = o.flags.find((f: Json) => f.attribute === 'OBS_STATUS');
  t.same([status.code, status.meaning], ['Q', 'Missing value; suppressed']);
  // The flag codelists carry English labels only: meaning(lang: ES) is their Spanish label, else English.
  for (const f of o.flags) {
    const label = dataflow.attributes.find((a: Json) => a.code === f.attribute).codelist.codes.find((c: Json) => c.code === f.code);
    t.equal(f.meaningEs, label.nameEs, `${f.attribute} ${f.code}: meaning(lang: ES) is the codelist's label in Spanish (${label.nameEs})`);
  }
  t.same(o.attributes, [{ attribute: 'SOURCE_DETAIL', name: 'Source detail', value: cell.SOURCE_DETAIL }], 'the source detail of the SDMX answer');
  t.equal(o.release.code, 'GSH-2019');
  t.same(o.history, [{ release: { code: 'GSH-2019' }, value: null, suppressed: true, withdrawn: false, flags: o.flags.map((f: Json) => ({ attribute: f.attribute, code: f.code, meaning: f.meaning })) }], 'one vintage, suppressed as well');

  // Every value of the dataflow: the cells withheld are exactly those the SDMX answer withholds,
  // and none of them carries its number (Observation.value reads the stored row).
  const withheld = csv.filter((r) => r.CONF_STATUS !== '' && r.CONF_STATUS !== 'F');
  t.equal(withheld.length, 941, 'primary, secondary and derived suppressions in the SDMX answer');
  let values = 0;
  let suppressed = 0;
  let leaked = 0;
  let after: string | null = null;
  for (let page = 0; page < 10; page += 1) {
    const s: Json = (await gql(t, `query($after: String) { series(dataflow: "DF_CTS_HOMICIDE", first: 500, after: $after) { pageInfo { hasNextPage endCursor } nodes { observations { value suppressed } } } }`, { after })).series;
    for (const node of s.nodes) {
      for (const obs of node.observations) {
        values += 1;
        if (obs.suppressed) suppressed += 1;
        if (obs.suppressed !== (obs.value === null)) leaked += 1;
      }
    }
    if (!s.pageInfo.hasNextPage) break;
    after = s.pageInfo.endCursor;
  }
  t.equal(values, 11516, 'every value of the dataflow');
  t.equal(suppressed, withheld.length, 'as many suppressed as the SDMX answer withholds');
  t.equal(leaked, 0, 'value null exactly when suppressed: no withheld number');
});

t.test('a revised value: its vintages oldest first; asOf and release give the data as they were', async (t) => {
  const FILTER = `filter: { from: "2018", to: "2018", dimensions: [{ dimension: "REF_AREA", codes: ["BEL"] }, { dimension: "OFFENCE", codes: ["0101"] }, { dimension: "UNIT_MEASURE", codes: ["NR"] }] }`;
  const data = await gql(
    t,
    `{
      now: series(dataflow: "DF_ESTAT_CRIM_OFF_CAT", first: 1, ${FILTER}) { asOf nodes { key observations {
        period value release { code state }
        history { release { code state publishedAt } value suppressed withdrawn flags { code } }
      } } }
      then: series(dataflow: "DF_ESTAT_CRIM_OFF_CAT", first: 1, asOf: "2023-01-01T00:00:00Z", ${FILTER}) { asOf nodes { observations { value release { code } } } }
      release: series(dataflow: "DF_ESTAT_CRIM_OFF_CAT", first: 1, release: "ESTAT-CRIM-2022", ${FILTER}) { asOf nodes { observations { value release { code } } } }
    }`,
  );
  const [o] = data.now.nodes[0].observations;
  t.equal(data.now.nodes[0].key, 'A.BEL.OFF.0101._T._T._T.NR');
  t.same([o.period, o.value, o.release], ['2018', 192, { code: 'ESTAT-CRIM-2024', state: 'PUBLISHED' }], 'now: the revised figure');
  t.same(
    o.history.map((v: Json) => [v.release.code, v.release.state, v.value, v.suppressed, v.withdrawn, v.flags]),
    [
      ['ESTAT-CRIM-2022', 'PUBLISHED', 190, false, false, []],
      ['ESTAT-CRIM-2024', 'PUBLISHED', 192, false, false, []],
    ],
    'history: 190, then 192 (Belgium, intentional homicide 2018)',
  );
  t.equal(o.history[0].release.publishedAt, '2022-06-08T09:00:00.000Z');
  t.same([data.then.asOf, data.then.nodes[0].observations[0]], ['2023-01-01T00:00:00.000Z', { value: 190, release: { code: 'ESTAT-CRIM-2022' } }], 'asOf 2023: before the revision');
  t.same([data.release.asOf, data.release.nodes[0].observations[0]], ['2022-06-08T09:00:00.000Z', { value: 190, release: { code: 'ESTAT-CRIM-2022' } }], 'release: right after ESTAT-CRIM-2022');
  const early = (await gql(t, `{ series(dataflow: "DF_CTS_HOMICIDE", first: 1, asOf: "2018-01-01") { totalCount asOf hints } }`)).series;
  t.same([early.totalCount, early.asOf], [0, '2018-01-01T00:00:00.000Z'], 'a date is midnight UTC; nothing was public then');
  t.match(early.hints[0], /No release of DF_CTS_HOMICIDE was public at asOf/, 'the hint says why');
});

t.test('cursor walk: every series of DF_CTS_VICTIMS exactly once, in key order, 50 at a time', async (t) => {
  const keys: string[] = [];
  let after: string | null = null;
  let totalCount = -1;
  let pages = 0;
  for (;;) {
    const page: Json = (await gql(t, `query($after: String) { series(dataflow: "DF_CTS_VICTIMS", first: 50, after: $after) { totalCount nodes { key } pageInfo { hasNextPage endCursor } } }`, { after })).series;
    pages += 1;
    if (totalCount < 0) totalCount = page.totalCount;
    t.equal(page.totalCount, totalCount, `page ${pages}: the same totalCount`);
    keys.push(...page.nodes.map((n: Json) => n.key));
    if (!page.pageInfo.hasNextPage) break;
    t.equal(page.nodes.length, 50, `page ${pages}: a full page`);
    after = page.pageInfo.endCursor;
    if (pages > 100) throw new Error('runaway walk');
  }
  t.equal(totalCount, 1108, 'the dataflow’s series count');
  t.equal(pages, Math.ceil(1108 / 50), `${pages} pages`);
  t.equal(keys.length, totalCount, 'as many series as totalCount');
  t.equal(new Set(keys).size, keys.length, 'each exactly once');
  t.same(keys, [...keys].sort(), 'in key order');
});

t.test('the release calendar: releases, release(code:), calendar(from, to, state, dataflow)', async (t) => {
  const RELEASE = `
    id code title note state dataflows { code } announcedAt firstAnnouncedAt publishedAt
    revises { code } postponements { at from to reason } cancellation { at reason }
    punctuality { announced actual delaySeconds onTime } updatedAt
    disclosureControl { dataflow method rules summary }`;
  const { releases } = await gql(t, `{ releases { ${RELEASE} } }`);
  const api = (await json('/api/v1/calendar')).releases as Json[];
  t.same(releases.map((r: Json) => r.code), RELEASES_IN_ORDER, 'every release, by announced instant');
  t.same(api.map((r: Json) => r.code), RELEASES_IN_ORDER, 'as the JSON calendar lists them');
  for (const r of releases) {
    const a = api.find((x: Json) => x.code === r.code);
    t.same(
      [r.title, r.note, r.state, r.announcedAt, r.firstAnnouncedAt, r.publishedAt, r.revises?.code ?? null, r.postponements, r.cancellation, r.punctuality, r.updatedAt],
      [a.title, a.note, a.state.toUpperCase(), a.announcedAt, a.firstAnnouncedAt, a.publishedAt, a.revises, a.postponements, a.cancellation, a.punctuality, a.updatedAt],
      `${r.code}: the JSON calendar’s entry`,
    );
    t.same(r.dataflows.map((f: Json) => `UNODC:${f.code}(1.0)`), a.dataflows, `${r.code}: its dataflows`);
  }
  const gsh = releases[0];
  t.same([gsh.state, gsh.publishedAt, gsh.punctuality], ['PUBLISHED', '2018-10-14T00:00:00.000Z', { announced: '2018-10-14T00:00:00.000Z', actual: '2018-10-14T00:00:00.000Z', delaySeconds: 0, onTime: true }]);
  t.equal(gsh.disclosureControl.length, 1, 'a published release: its disclosure control per dataflow');
  const dc = gsh.disclosureControl[0];
  t.equal(dc.dataflow, 'UNODC:DF_CTS_HOMICIDE(1.0)');
  t.match(dc.method, /^Threshold rule \(primary\)/);
  t.match(dc.rules, { threshold: 3, unitDimension: 'UNIT_MEASURE', countUnits: ['NR'] }, 'rules: a JSON record');
  t.match(dc.summary, { cells: 11516, primary: 359, audit: { passed: true, failed: 0 } }, 'summary: as many cells as the dataflow’s values, the 359 primary suppressions the SDMX answer flags');
  const estat2024 = releases.find((r: Json) => r.code === 'ESTAT-CRIM-2024');
  t.same(estat2024.revises, { code: 'ESTAT-CRIM-2022' }, 'the release it corrects');
  const held = releases.at(-1);
  t.same(
    [held.state, held.announcedAt, held.publishedAt, held.punctuality, held.disclosureControl, held.dataflows],
    ['SCHEDULED', HELD_BACK_AT, null, null, null, [{ code: 'DF_CTS_OFFENCES' }]],
    'the scheduled release: not published, no punctuality, no disclosure-control summary yet',
  );
  t.match(held.title, /held back by the demo/);
  t.same(releases.flatMap((r: Json) => [...r.postponements, ...(r.cancellation ? [r.cancellation] : [])]), [], 'the demo has no postponement or cancellation');

  const one = (await gql(t, `{ release(code: "UNCTS-2024") { ${RELEASE} } }`)).release;
  t.same(one, releases.find((r: Json) => r.code === 'UNCTS-2024'), 'release(code:) is the calendar’s entry');
  const scheduled = (await gql(t, `{ release(code: "${HELD_BACK.code}") { code state } }`)).release;
  t.same(scheduled, { code: HELD_BACK.code, state: 'SCHEDULED' }, 'a scheduled release is on the public calendar');

  const filtered = await gql(
    t,
    `{
      scheduled: releases(state: [SCHEDULED]) { code }
      publishedOffences: releases(state: [PUBLISHED], dataflow: "DF_CTS_OFFENCES") { code }
      cancelled: releases(state: [CANCELLED]) { code }
      year2024: calendar(from: "2024-01-01", to: "2024-12-31") { code }
      upcoming: calendar(from: "2026-12-01", state: [SCHEDULED], dataflow: "UNODC:DF_CTS_OFFENCES(1.0)") { code }
      early: calendar(to: "2019-01-01") { code }
      instant: calendar(from: "2022-06-08T09:00:00Z", to: "2022-06-08T09:00:00Z") { code }
      all: calendar { code }
    }`,
  );
  t.same(filtered.scheduled, [{ code: HELD_BACK.code }]);
  t.same(filtered.publishedOffences, [{ code: 'UNCTS-2024' }]);
  t.same(filtered.cancelled, []);
  t.same(filtered.year2024.map((r: Json) => r.code), ['ESTAT-CRIM-2024', 'UNCTS-2024'], 'the releases announced in 2024');
  t.same(filtered.upcoming, [{ code: HELD_BACK.code }]);
  t.same(filtered.early, [{ code: 'GSH-2019' }]);
  t.same(filtered.instant, [{ code: 'ESTAT-CRIM-2022' }], 'inclusive on the announced instant');
  t.same(filtered.all.map((r: Json) => r.code), RELEASES_IN_ORDER);
});

t.test('reference metadata: the report, an area’s country note, the quality indicators', async (t) => {
  const SET = `setId version name nameEs: name(lang: ES) release validFrom validTo attributes { concept name value text children { concept } }`;
  const { metadata } = await gql(
    t,
    `{ metadata(dataflow: "DF_CTS_HOMICIDE", area: "KAZ") {
      dataflow { code } area asOf
      report { ${SET}
        unit: attribute(concept: "CNT_UNIT") { concept name nameEs: name(lang: ES) text textEs: text(lang: ES) value children { concept } }
        nested: attribute(concept: "SERIES_BREAKS") { concept name text }
        missing: attribute(concept: "NO_SUCH_CONCEPT") { concept }
      }
      countryNote { ${SET} breaks: attribute(concept: "SERIES_BREAKS") { name nameEs: name(lang: ES) text textEs: text(lang: ES) } }
      indicators { at punctuality timeliness revisions completeness suppression }
    } }`,
  );
  t.same([metadata.dataflow.code, metadata.area, metadata.asOf], ['DF_CTS_HOMICIDE', 'KAZ', LOADED_AT]);
  const report = metadata.report;
  t.same(
    [report.setId, report.version, report.name, report.nameEs, report.release, report.validFrom, report.validTo],
    ['MS_DF_CTS_HOMICIDE', '1.0.0', 'Victims of intentional homicide: methodology and quality report', 'Víctimas de homicidio intencional: informe metodológico y de calidad', 'GSH-2019', '2018-10-14T00:00:00.000Z', null],
    'the report: its only version, not replaced (validTo null)',
  );
  const top = report.attributes.map((a: Json) => a.concept);
  for (const concept of ['CONTACT', 'STAT_PRES', 'COHERENCE_COMPAR']) t.ok(top.includes(concept), `${concept} at the top`);
  const stat = report.attributes.find((a: Json) => a.concept === 'STAT_PRES');
  t.same([stat.name, stat.text, stat.value], ['Statistical presentation', null, null], 'a grouping concept carries nothing of its own');
  t.ok(stat.children.some((c: Json) => c.concept === 'DATA_DESCR'), 'its children, nested as the structure nests them');
  t.same(report.unit, { concept: 'CNT_UNIT', name: 'Counting unit', nameEs: 'Unidad de cómputo', text: 'Victim', textEs: 'Víctima', value: 'VICTIM', children: [] }, 'attribute(concept:): a coded value, read as its label in either language');
  t.same([report.nested.concept, report.nested.name], ['SERIES_BREAKS', 'Breaks in series'], 'attribute(concept:) finds a concept nested anywhere');
  t.match(report.nested.text, /Kazakhstan, Philippines, Sri Lanka/);
  t.equal(report.missing, null, 'a concept the report lacks: null');
  const note = metadata.countryNote;
  t.same([note.setId, note.version, note.name, note.nameEs, note.release], ['MS_DF_CTS_HOMICIDE_KAZ', '1.0.0', 'Victims of intentional homicide: note on Kazakhstan', 'Víctimas de homicidio intencional: nota sobre Kazajistán', 'GSH-2019']);
  t.same([note.breaks.name, note.breaks.nameEs], ['Breaks in series', 'Rupturas de serie']);
  t.match(note.breaks.text, /break the time\s+series/);
  t.match(note.breaks.textEs, /^El Estado Miembro comunicó cambios de definiciones/);

  // The indicators are the JSON API's, of the area's data.
  const api = await json('/api/v1/dataflows/DF_CTS_HOMICIDE/metadata?area=KAZ');
  t.equal(api.indicators.area, 'KAZ');
  const ind = metadata.indicators;
  t.equal(ind.at, LOADED_AT);
  t.same(
    [ind.punctuality, ind.timeliness, ind.revisions, ind.completeness, ind.suppression],
    [api.indicators.punctuality, api.indicators.timeliness, api.indicators.revisions, api.indicators.completeness, api.indicators.suppression],
    'punctuality, timeliness, revisions, completeness and suppression equal to the JSON API’s',
  );
  t.match(ind.punctuality, { published: 1, onTime: 1 });

  const data = await gql(
    t,
    `{
      dataflow(id: "DF_CTS_HOMICIDE") { metadata { area report { setId } countryNote { setId } } kaz: metadata(area: "KAZ") { countryNote { setId } } }
      mex: metadata(dataflow: "DF_CTS_HOMICIDE", area: "MEX") { area countryNote { setId } report { setId } }
      estatThen: metadata(dataflow: "DF_ESTAT_CRIM_OFF_CAT", asOf: "2023-01-01T00:00:00Z") { asOf report { version release } }
      estatNow: metadata(dataflow: "DF_ESTAT_CRIM_OFF_CAT") { report { version release } }
      offences: metadata(dataflow: "DF_CTS_OFFENCES") { report { version release } }
    }`,
  );
  t.same(data.dataflow.metadata, { area: null, report: { setId: 'MS_DF_CTS_HOMICIDE' }, countryNote: null }, 'Dataflow.metadata: no area, no country note');
  t.same(data.dataflow.kaz.countryNote, { setId: 'MS_DF_CTS_HOMICIDE_KAZ' }, 'Dataflow.metadata(area:)');
  t.same(data.mex, { area: 'MEX', countryNote: null, report: { setId: 'MS_DF_CTS_HOMICIDE' } }, 'an area without a country note');
  t.same(data.estatThen, { asOf: '2023-01-01T00:00:00.000Z', report: { version: '1.0.0', release: 'ESTAT-CRIM-2022' } }, 'asOf: the version public then');
  t.same(data.estatNow.report, { version: '1.1.0', release: 'ESTAT-CRIM-2024' }, 'now: the later version');
  t.same(data.offences.report, { version: '1.0.0', release: 'UNCTS-2024' }, 'DF_CTS_OFFENCES: version 1.1.0 waits for the held-back release');
});

t.test('node(id:): a Dataflow, Codelist, Release and Series come back as what gave their id', async (t) => {
  const given = await gql(
    t,
    `{
      dataflow(id: "DF_CTS_PRISONS") { id code seriesCount }
      codelist(id: "UNODC:CL_SEX(1.0)") { id code codeCount }
      release(code: "UNCTS-2023") { id code state }
      series(dataflow: "DF_CTS_HOMICIDE", first: 1, filter: { from: "2016", dimensions: [{ dimension: "REF_AREA", codes: ["MEX"] }] }) { nodes { id key observations { period value } } }
    }`,
  );
  const series = given.series.nodes[0];
  const ids = [given.dataflow.id, given.codelist.id, given.release.id, series.id];
  t.equal(new Set(ids).size, 4, 'four distinct global ids');
  const back = await gql(
    t,
    `query($a: ID!, $b: ID!, $c: ID!, $d: ID!) {
      a: node(id: $a) { __typename id ... on Dataflow { code seriesCount } }
      b: node(id: $b) { __typename id ... on Codelist { code codeCount } }
      c: node(id: $c) { __typename id ... on Release { code state } }
      d: node(id: $d) { __typename id ... on Series { key observations { period value } } }
    }`,
    { a: ids[0], b: ids[1], c: ids[2], d: ids[3] },
  );
  t.same(back.a, { __typename: 'Dataflow', ...given.dataflow });
  t.same(back.b, { __typename: 'Codelist', ...given.codelist });
  t.same(back.c, { __typename: 'Release', ...given.release });
  // The series node holds every public value, not only those of the filter that gave its id.
  t.same([back.d.__typename, back.d.id, back.d.key], ['Series', series.id, series.key]);
  t.same(back.d.observations.slice(-1), series.observations.slice(-1), 'its latest value is the same');
  t.ok(back.d.observations.length >= series.observations.length);

  const wrongType = await gqlWithErrors(t, `query($id: ID!) { dataflow(id: $id) { code } }`, { id: given.codelist.id });
  t.same([wrongType.data.dataflow, wrongType.errors[0].extensions.code], [null, 'NOT_FOUND'], 'a codelist’s id is not a dataflow’s');
});

t.test('labels in the language of Accept-Language when no lang is asked', async (t) => {
  const es = await gql(
    t,
    `{ dataflow(id: "DF_CTS_HOMICIDE") { name theme { name } dimensions { name } }
       codelist(id: "CL_ICCS") { levels { name } entry(code: "0101") { name levelName description } } }`,
    undefined,
    { 'accept-language': 'es-MX, es;q=0.9' },
  );
  t.equal(es.dataflow.name, 'Víctimas de homicidio intencional');
  t.equal(es.dataflow.theme.name, 'Homicidio intencional');
  t.equal(es.dataflow.dimensions[4].name, 'Sexo');
  t.same(es.codelist.levels.map((l: Json) => l.name), ['Sección', 'División', 'Grupo', 'Clase']);
  t.same([es.codelist.entry.name, es.codelist.entry.levelName], ['Homicidio intencional', 'División']);
  t.match(es.codelist.entry.description, /^Unlawful death/, 'the ICCS notes stay English: they exist only in English');
});

/** Type.field names a document asks for, read against the schema. */
function fieldsAsked(schema: ReturnType<typeof buildClientSchema>, documents: readonly string[]): Set<string> {
  const asked = new Set<string>();
  for (const text of documents) {
    const typeInfo = new TypeInfo(schema);
    visit(
      parse(text),
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const parent = typeInfo.getParentType();
          if (parent && !node.name.value.startsWith('__')) asked.add(`${parent.name}.${node.name.value}`);
        },
      }),
    );
  }
  return asked;
}

/**
 * Types and fields that have no description in schema.ts today (reported; a documentation bug:
 * the schema's header says it is documented field by field). Kept here so that the check below
 * fails for any new undescribed field while these wait to be described.
 */
const KNOWN_UNDESCRIBED = new Set([
  'PeriodRange', 'CodelistLinks', 'Level', 'DimensionFilter', 'DimensionValue', 'Flag', 'AttributeValue', 'ReleaseState', 'Postponement', 'Cancellation', 'Punctuality', 'DisclosureControl', 'ReportedAttribute',
  'LocalisedText.text',
  'Dataflow.id', 'Dataflow.version', 'Dataflow.name', 'Dataflow.names', 'Dataflow.description', 'Dataflow.links',
  'Category.name', 'Category.names', 'PeriodRange.first', 'PeriodRange.last', 'Dimension.name', 'Dimension.names',
  'DimensionCode.code', 'DimensionCode.name', 'DimensionCode.seriesCount', 'DimensionCode.observationCount', 'Attribute.code', 'Attribute.name',
  'Codelist.id', 'Codelist.agency', 'Codelist.version', 'Codelist.name', 'Codelist.names', 'Codelist.description', 'Codelist.hierarchical', 'Codelist.codeCount', 'Codelist.links',
  'Level.level', 'Level.name', 'Code.name', 'Code.names', 'Code.levelName', 'Code.parent', 'Code.children', 'Code.codelist',
  'SeriesConnection.edges', 'SeriesConnection.pageInfo', 'SeriesConnection.dataflow', 'Series.id', 'Series.dataflow',
  'DimensionValue.dimensionName', 'DimensionValue.code', 'DimensionValue.name', 'Flag.code', 'AttributeValue.attribute', 'AttributeValue.name', 'AttributeValue.value',
  'Vintage.release', 'Vintage.value', 'Vintage.suppressed', 'Vintage.flags',
  'Release.id', 'Release.title', 'Release.note', 'Release.state', 'Release.firstAnnouncedAt', 'Release.postponements', 'Release.cancellation',
  'Postponement.at', 'Postponement.from', 'Postponement.to', 'Postponement.reason', 'Cancellation.at', 'Cancellation.reason',
  'Punctuality.announced', 'Punctuality.actual', 'Punctuality.onTime', 'DisclosureControl.method', 'DisclosureControl.rules', 'DisclosureControl.summary',
  'MetadataReport.dataflow', 'MetadataReport.area', 'MetadataSet.version', 'MetadataSet.name', 'MetadataSet.validFrom', 'ReportedAttribute.children', 'QualityIndicators.at',
]);

/**
 * Exempt from the description check: the Query root type (the schema's own description says
 * what it serves, and each of its fields is described) and the Relay connection plumbing,
 * SeriesEdge and PageInfo, whose meaning is the Relay specification's and whose fields'
 * names say all (cursor, node, hasNextPage, endCursor…).
 */
const EXEMPT = new Set(['Query', 'SeriesEdge', 'SeriesEdge.cursor', 'SeriesEdge.node', 'PageInfo', 'PageInfo.hasNextPage', 'PageInfo.hasPreviousPage', 'PageInfo.startCursor', 'PageInfo.endCursor']);

t.test('introspection: every field of every object type was asked above; types and fields are described', async (t) => {
  const light = await gql(t, `{ __schema { types { name kind description fields { name description } } } }`);
  const { __schema } = await gql(t, getIntrospectionQuery({ descriptions: true }));
  const schema = buildClientSchema({ __schema } as IntrospectionQuery);
  t.equal(light.__schema.types.length, __schema.types.length, 'the short introspection lists the same types');

  const own = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__'));
  const withFields = own.filter((type) => isObjectType(type) || isInterfaceType(type)) as { name: string; getFields(): Record<string, { name: string; description?: string | null }> }[];
  const every = withFields.flatMap((type) => Object.keys(type.getFields()).map((f) => `${type.name}.${f}`));
  // The schema served is the SDL of schema.ts, nothing more, nothing less.
  const sdl = buildSchema(SCHEMA_SDL);
  const sdlFields = Object.values(sdl.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && (isObjectType(type) || isInterfaceType(type)))
    .flatMap((type) => Object.keys((type as typeof withFields[number]).getFields()).map((f) => `${type.name}.${f}`));
  t.same([...every].sort(), [...sdlFields].sort(), `${every.length} fields in ${withFields.length} object and interface types: those of the SDL`);
  t.ok(withFields.some((type) => type.name === 'Node'), 'the Node interface is among them');

  const asked = fieldsAsked(schema, SENT);
  const notAsked = every.filter((f) => !asked.has(f));
  t.same(notAsked, [], 'every field of the schema is asked by a query of this file (a new field needs its test here)');

  const builtIn = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
  const undescribed: string[] = [];
  for (const type of own) {
    if (builtIn.has(type.name)) continue;
    if (!type.description?.trim()) undescribed.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.description?.trim()) undescribed.push(`${type.name}.${field.name}`);
    }
  }
  const missing = undescribed.filter((name) => !EXEMPT.has(name));
  t.same(missing.filter((name) => !KNOWN_UNDESCRIBED.has(name)), [], 'no type or field without a description beyond those already reported');
  t.same(missing, [], 'every type and field has a description');
  t.ok(schema.getQueryType()?.getFields().series?.description, 'Query.series is described');
});

/**
 * The structure API over the real structures in sdmx/: every message validates against the
 * official schema in every format, CL_ICCS equals the official ICCS list code by code, and
 * references/detail return exactly the specified sets.
 */
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { testApp } from '../../helpers/app.js';
import { validateJson, validateXml21, validateXml30 } from '../../helpers/validate.js';
import { JSON_SCHEMA, SHARED } from '../../helpers/shared.js';
import { parseCsv } from '../../helpers/csv.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import type { Codelist, Maintainable } from '../../../src/sdmx/model.js';

const app = await testApp();
t.teardown(() => app.close());
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });
const xml = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false, isArray: (name) => ['Code', 'Name'].includes(name) });

const FORMATS = [
  { accept: MEDIA.structureMl21, check: (b: string) => validateXml21(b) },
  { accept: MEDIA.structureMl30, check: (b: string) => validateXml30(b) },
  { accept: MEDIA.structureJson10, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure10) },
  { accept: MEDIA.structureJson20, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure20) },
];

const QUERIES = [
  'structure/all/all/all',
  'structure/all/all/all?detail=allstubs',
  'structure/all/all/all?detail=allcompletestubs',
  'dataflow/UNODC/DF_CTS_OFFENCES/1.0?references=all&detail=referencepartial',
  'datastructure/UNODC/DSD_CTS/1.0?references=children&detail=referencestubs',
  'codelist/UNODC/CL_ICCS/1.0/01+0101',
  'categoryscheme/UNODC/CAT_THEMES/1.0?references=parentsandsiblings',
  'hierarchicalcodelist/UNODC/HCL_ICCS/1.0?references=children',
];

t.test('every format validates against its official schema, on both APIs', async (t) => {
  for (const q of QUERIES) {
    for (const api of ['2.1', '3.0'] as const) {
      const p = api === '2.1' ? q : `structure/${q.replace(/^structure\//, '*/').replace('hierarchicalcodelist', 'hierarchy').replace(/\/all/g, '/*').replace('01+0101', '01,0101')}`;
      for (const f of FORMATS) {
        const res = await get(`/sdmx/${api}/${p}`, { accept: f.accept });
        t.equal(res.statusCode, 200, `${api} ${p} ${f.accept}`);
        t.equal(res.headers['content-type'], f.accept, 'exact media type, no charset');
        t.same(f.check(res.body), [], `${api} ${p} as ${f.accept} validates`);
      }
    }
  }
});

const officialIccs = parseCsv(readFileSync(path.join(SHARED, 'data/iccs/iccs-codelist.csv'), 'utf8'));

function assertIccs(t: Test, codes: { id: string; parent?: string; en?: string; es?: string }[], how: string) {
  t.equal(codes.length, 320, `${how}: 320 codes`);
  t.same(
    codes.map((c) => [c.id, c.parent ?? '', c.en, c.es]),
    officialIccs.map((r) => [r.code, r.parent, r.label_en, r.label_es]),
    `${how}: ids, parents and en/es names equal the official list, in order`,
  );
}

t.test('CL_ICCS equals the official ICCS codelist, in every format', async (t) => {
  const res21 = await get('/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0');
  const [cl] = readStructureMl21(res21.body) as Codelist[];
  assertIccs(t, (cl?.items ?? []).map((c) => ({ id: c.id, parent: c.parentID, en: c.name.en, es: c.name.es })), 'SDMX-ML 2.1');

  const res30 = await get('/sdmx/3.0/structure/codelist/UNODC/CL_ICCS/1.0', { accept: MEDIA.structureMl30 });
  const doc30 = xml.parse(res30.body);
  const codes30 = doc30.Structure.Structures.Codelists.Codelist.Code as any[];
  const name = (c: any, lang: string) => (c.Name as any[]).find((n) => (n['@_lang'] ?? n['@_xml:lang']) === lang)?.['#text'];
  assertIccs(t, codes30.map((c) => ({ id: c['@_id'], parent: c.Parent, en: name(c, 'en'), es: name(c, 'es') })), 'SDMX-ML 3.0');

  for (const [accept, label] of [[MEDIA.structureJson10, 'SDMX-JSON 1.0'], [MEDIA.structureJson20, 'SDMX-JSON 2.0']] as const) {
    const res = await get('/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0', { accept });
    const codes = JSON.parse(res.body).data.codelists[0].codes as any[];
    assertIccs(t, codes.map((c) => ({ id: c.id, parent: c.parent, en: c.names.en, es: c.names.es })), label);
  }
});

t.test('references and detail on the real structures', async (t) => {
  const artefacts = async (url: string): Promise<Maintainable[]> => readStructureMl21((await get(url)).body);
  const ids = (as: Maintainable[]) => as.map((a) => `${a.class}:${a.id}`).sort();

  const children = await artefacts('/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=children');
  t.same(ids(children), ['DataStructure:DSD_CTS', 'Dataflow:DF_CTS_HOMICIDE']);

  const parents = await artefacts('/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=parents');
  t.same(
    ids(parents),
    ['Categorisation:CAT_DF_CTS_HOMICIDE', 'ContentConstraint:CR_A_DF_CTS_HOMICIDE', 'Dataflow:DF_CTS_HOMICIDE', 'ProvisionAgreement:PA_DF_CTS_HOMICIDE_UNODC'],
  );

  const dsd = await artefacts('/sdmx/2.1/datastructure/UNODC/DSD_CTS/1.0?references=children');
  const dsdObj = dsd.find((a) => a.class === 'DataStructure');
  t.ok(dsdObj, 'the DSD itself');
  t.same(ids(dsd.filter((a) => a.class !== 'DataStructure')).every((x) => /^(Codelist|ConceptScheme):/.test(x)), true, 'children are codelists and concept schemes only');

  const partial = await artefacts('/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=descendants&detail=referencepartial');
  const indicators = partial.find((a) => a.id === 'CL_CJ_INDICATOR') as Codelist;
  t.equal(indicators.isPartial, true, 'the indicator codelist is cut down by the Allowed constraint');
  t.ok(indicators.items.some((c) => c.id === 'VIC_HOM'));
  t.notOk(indicators.items.some((c) => c.id === 'PER_CONVICT'), 'no code outside the constraint');

  const stubs = await get('/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0?detail=allstubs');
  t.notMatch(stubs.body, /<str(ucture)?:Code /, 'a stub has no codes');
  t.notMatch(stubs.body, /Description/, 'a stub has no description');
  const complete = await get('/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0?detail=allcompletestubs');
  t.match(complete.body, /Description/, 'a complete stub keeps its description');
  t.notMatch(complete.body, /<str(ucture)?:Code /);
});

t.test('every artefact is listed and addressable on its own (TCK S1–S7)', async (t) => {
  const all = readStructureMl21((await get('/sdmx/2.1/structure/all/all/all')).body);
  t.ok(all.length >= 30, `${all.length} artefacts`);
  const resourceOf: Record<string, string> = {
    AgencyScheme: 'agencyscheme', DataProviderScheme: 'dataproviderscheme', Codelist: 'codelist', HierarchicalCodelist: 'hierarchicalcodelist',
    ConceptScheme: 'conceptscheme', CategoryScheme: 'categoryscheme', DataStructure: 'datastructure', Dataflow: 'dataflow',
    Categorisation: 'categorisation', ContentConstraint: 'contentconstraint', ProvisionAgreement: 'provisionagreement',
  };
  for (const a of all) {
    const one = readStructureMl21((await get(`/sdmx/2.1/${resourceOf[a.class]}/${a.agencyID}/${a.id}/${a.version}`)).body);
    t.equal(one.length, 1, `${a.class} ${a.id}: exactly one`);
    const anyType = readStructureMl21((await get(`/sdmx/2.1/structure/${a.agencyID}/${a.id}/${a.version}`)).body);
    t.equal(anyType.length, 1, `${a.id}: (agency, id, version) is unique across types`);
  }
});

t.test('format= parameter and languages', async (t) => {
  const cases: [string, string][] = [
    ['?format=structure', MEDIA.structureMl21],
    ['?format=structure&formatVersion=3.0', MEDIA.structureMl30],
    ['?format=jsonstructure', MEDIA.structureJson10],
    ['?format=jsonstructure&formatVersion=2.0.0', MEDIA.structureJson20],
    ['?format=json', MEDIA.structureJson10],
    ['?format=xml', MEDIA.structureMl21],
  ];
  for (const [qs, type] of cases) {
    const res = await get(`/sdmx/2.1/codelist/UNODC/CL_SEX/1.0${qs}`, { accept: 'text/html' });
    t.equal(res.statusCode, 200, qs);
    t.equal(res.headers['content-type'], type, `${qs} wins over Accept`);
  }
  const es = await get('/sdmx/3.0/structure/codelist/UNODC/CL_ICCS/1.0', { 'accept-language': 'es-ES,es;q=0.9,en;q=0.5' });
  t.equal(JSON.parse(es.body).data.codelists[0].codes[1].name, 'Homicidio intencional', 'JSON name in the preferred language');
  const lang = await get('/sdmx/3.0/structure/codelist/UNODC/CL_ICCS/1.0?lang=en', { 'accept-language': 'es' });
  t.equal(JSON.parse(lang.body).data.codelists[0].codes[1].name, 'Intentional homicide', 'lang= wins');
});

t.test('HTTP caching, compression, Vary', async (t) => {
  const url = '/sdmx/2.1/codelist/UNODC/CL_ICCS/1.0';
  const first = await get(url);
  const second = await get(url);
  t.ok(first.headers.etag, 'ETag');
  t.equal(first.headers.etag, second.headers.etag, 'the ETag is stable while the structures do not change');
  t.ok(first.headers['last-modified'], 'Last-Modified');
  t.match(String(first.headers.vary), /accept\b/i);
  t.match(String(first.headers.vary), /accept-encoding/i);
  const other = await get(url, { accept: MEDIA.structureJson10 });
  t.not(other.headers.etag, first.headers.etag, 'each representation has its own ETag');

  t.equal((await get(url, { 'if-none-match': String(first.headers.etag) })).statusCode, 304, 'If-None-Match');
  t.equal((await get(url, { 'if-none-match': '"something-else"' })).statusCode, 200);
  t.equal((await get(url, { 'if-modified-since': String(first.headers['last-modified']) })).statusCode, 304, 'HTTP-date');
  t.equal((await get(url, { 'if-modified-since': new Date().toISOString() })).statusCode, 304, 'ISO-8601, as the TCK sends');
  t.equal((await get(url, { 'if-modified-since': '2000-01-01T00:00:00Z' })).statusCode, 200, 'older copy');
  t.equal((await get(url, { 'if-modified-since': 'garbage' })).statusCode, 200, 'unreadable date is ignored');

  const gz = await get('/sdmx/2.1/codelist/UNODC/CL_SEX/1.0?detail=allstubs', { 'accept-encoding': 'gzip,deflate' });
  t.equal(gz.headers['content-encoding'], 'gzip', 'gzip preferred, even for a tiny body');
  const br = await get('/sdmx/2.1/codelist/UNODC/CL_SEX/1.0', { 'accept-encoding': 'br;q=1, gzip;q=0.5' });
  t.equal(br.headers['content-encoding'], 'br', 'q-values honoured');
  const head = await app.inject({ method: 'HEAD', url });
  t.equal(head.statusCode, 200);
  t.equal(head.body, '');
  t.equal(first.headers['access-control-allow-origin'], '*', 'open data: CORS');
});

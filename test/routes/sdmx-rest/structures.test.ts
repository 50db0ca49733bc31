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
import { validateJson, validateXml21, validateXml30, validateXml301 } from '../../helpers/validate.js';
import { DATA, JSON_SCHEMA } from '../../helpers/shared.js';
import { parseCsv } from '../../helpers/csv.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import type { Codelist, HierarchicalCodelist, Maintainable } from '../../../src/sdmx/model.js';
import { declaredRelations } from '../../../src/sdmx/additivity.js';
import { buildStructures } from '../../../src/cli/structures/index.js';

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
  'hierarchicalcodelist/all/all/all',
  'hierarchicalcodelist/UNODC/HCL_DISAGGREGATION/1.0',
  'hierarchicalcodelist/UNODC/HCL_DISAGGREGATION/1.0?references=children&detail=referencestubs',
  'hierarchicalcodelist/UNODC/HCL_DISAGGREGATION/1.0?detail=allcompletestubs',
  'hierarchicalcodelist/UNODC/HCL_DISAGGREGATION/1.0/DISAGG_CYBER',
  'codelist/UNODC/CL_DISAGGREGATION/1.0?references=parents&detail=allstubs',
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
        if (f.accept === MEDIA.structureMl30 && /hierarch|HCL/.test(p)) {
          t.same(validateXml301(res.body), [], `${api} ${p} as SDMX-ML 3.0 validates against the official 3.0.1 XSD`);
        }
      }
    }
  }
});

const officialIccs = parseCsv(readFileSync(path.join(DATA.iccs, 'iccs-codelist.csv'), 'utf8'));

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
    [
      'AttachmentConstraint:AC_SDG_16_1_1',
      'Categorisation:CAT_DF_CTS_HOMICIDE',
      'Categorisation:CAT_SDG_DF_CTS_HOMICIDE',
      'ContentConstraint:CR_A_DF_CTS_HOMICIDE',
      'Dataflow:DF_CTS_HOMICIDE',
      'Process:PROC_PUBLICATION',
      'ProvisionAgreement:PA_DF_CTS_HOMICIDE_UNODC',
      'ReportingTaxonomy:RT_SDG',
      'ReportingTaxonomy:RT_UN_CTS',
      'VtlMappingScheme:VMS_CTS',
    ],
    'in SDMX-ML 2.1: SM_HOMICIDE_SDG, a parent too, has no 2.1 form',
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

// ---------------------------------------------------------------------------------------------
// The additive hierarchical codelists, HCL_DISAGGREGATION (eight hierarchies) above all

const DISAGG = [
  'DISAGG_CITIZENSHIP',
  'DISAGG_LEGAL_REPRESENTATION',
  'DISAGG_ENTRY_STATUS',
  'DISAGG_DETENTION_LENGTH',
  'DISAGG_DETENTION_UNDER_6M',
  'DISAGG_CAUSE_OF_DEATH',
  'DISAGG_RELATIONSHIP',
  'DISAGG_CYBER',
];
const KIND: Record<string, string> = { DISAGG_DETENTION_UNDER_6M: 'PARTS_AT_MOST_WHOLE', DISAGG_CYBER: 'PARTS_AT_MOST_WHOLE' };
const kindOf = (id: string) => KIND[id] ?? 'EXACT_SUM';
const xmlAll = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ['Hierarchy', 'HierarchicalCodelist', 'Annotation', 'AnnotationText', 'Codelist'].includes(name),
});
const ml30Hierarchies = (body: string) => (xmlAll.parse(body).Structure.Structures.Hierarchies?.Hierarchy ?? []) as any[];
const mlKinds = (el: any) =>
  ((el.Annotations?.Annotation ?? []) as any[]).filter((a) => a.AnnotationType === 'ADDITIVITY').map((a) => a.AnnotationTitle);
const jsonKinds = (o: any) => ((o.annotations ?? []) as any[]).filter((a) => a.type === 'ADDITIVITY').map((a) => a.title);
const ACCEPT = { ml21: MEDIA.structureMl21, ml30: MEDIA.structureMl30, json10: MEDIA.structureJson10, json20: MEDIA.structureJson20 };

t.test('HCL_DISAGGREGATION: all eight hierarchies with their kind, in every format, on both APIs', async (t) => {
  for (const api of ['2.1', '3.0'] as const) {
    const url = api === '2.1' ? '/sdmx/2.1/hierarchicalcodelist/UNODC/HCL_DISAGGREGATION/1.0' : '/sdmx/3.0/structure/hierarchy/UNODC/HCL_DISAGGREGATION/1.0';

    // SDMX-ML 2.1, read back by our reader: the relations as built.
    const [hcl] = readStructureMl21((await get(url, { accept: ACCEPT.ml21 })).body) as HierarchicalCodelist[];
    t.same(hcl.hierarchies.map((h) => h.id), DISAGG, `${api} ML 2.1: one HCL with the eight hierarchies`);
    const builtHcls = buildStructures().filter((a): a is HierarchicalCodelist => a.class === 'HierarchicalCodelist');
    const cl = hcl.includedCodelists[0].ref;
    t.same(declaredRelations([hcl], cl), declaredRelations(builtHcls, cl), `${api} ML 2.1: the served HCL declares the built relations`);

    // SDMX-JSON 1.0: one HCL, hierarchies inside.
    const j10 = JSON.parse((await get(url, { accept: ACCEPT.json10 })).body).data.hierarchicalCodelists as any[];
    t.same(j10.map((h) => h.id), ['HCL_DISAGGREGATION']);
    t.same(j10[0].hierarchies.map((h: any) => [h.id, jsonKinds(h)]), DISAGG.map((id) => [id, [kindOf(id)]]), `${api} JSON 1.0`);

    // SDMX-ML 3.0 and SDMX-JSON 2.0: eight Hierarchy artefacts, same ids and URNs in both.
    const h30 = ml30Hierarchies((await get(url, { accept: ACCEPT.ml30 })).body);
    t.same(h30.map((h) => [h['@_id'], h['@_agencyID'], h['@_version'], mlKinds(h)]), DISAGG.map((id) => [id, 'UNODC', '1.0', [kindOf(id)]]), `${api} ML 3.0`);
    const j20 = JSON.parse((await get(url, { accept: ACCEPT.json20 })).body).data.hierarchies as any[];
    t.same(j20.map((h) => [h.id, jsonKinds(h)]), DISAGG.map((id) => [id, [kindOf(id)]]), `${api} JSON 2.0`);
    t.same(j20.map((h) => h.links[0].urn), h30.map((h) => h['@_urn']), `${api}: the same URNs in JSON 2.0 and ML 3.0`);
  }
});

t.test('3.0: each Hierarchy of HCL_DISAGGREGATION is addressable by the id it is published under', async (t) => {
  for (const accept of [ACCEPT.ml30, ACCEPT.json20]) {
    const res = await get('/sdmx/3.0/structure/hierarchy/UNODC/DISAGG_CYBER/1.0', { accept });
    t.equal(res.statusCode, 200, accept);
    if (accept === ACCEPT.ml30) {
      t.same(validateXml301(res.body), []);
      const [h] = ml30Hierarchies(res.body);
      t.same([h['@_id'], h['@_urn'], mlKinds(h)], ['DISAGG_CYBER', 'urn:sdmx:org.sdmx.infomodel.codelist.Hierarchy=UNODC:DISAGG_CYBER(1.0)', ['PARTS_AT_MOST_WHOLE']]);
    } else {
      t.same(validateJson(JSON.parse(res.body), JSON_SCHEMA.structure20), []);
      t.same(JSON.parse(res.body).data.hierarchies.map((h: any) => h.id), ['DISAGG_CYBER']);
    }
  }
  // An item query keeps the published id, even with one hierarchy left.
  const item = ml30Hierarchies((await get('/sdmx/3.0/structure/hierarchy/UNODC/HCL_DISAGGREGATION/1.0/DISAGG_CYBER', { accept: ACCEPT.ml30 })).body);
  t.same(item.map((h) => h['@_id']), ['DISAGG_CYBER']);
  const both = ml30Hierarchies((await get('/sdmx/3.0/structure/hierarchy/UNODC/DISAGG_CITIZENSHIP,DISAGG_CYBER/1.0', { accept: ACCEPT.ml30 })).body);
  t.same(both.map((h) => h['@_id']), ['DISAGG_CITIZENSHIP', 'DISAGG_CYBER']);
  const children = await get('/sdmx/3.0/structure/hierarchy/UNODC/DISAGG_CYBER/1.0?references=children&detail=referencestubs', { accept: ACCEPT.ml30 });
  t.same(
    (xmlAll.parse(children.body).Structure.Structures.Codelists.Codelist as any[]).map((c) => [c['@_id'], c.Code]),
    [['CL_DISAGGREGATION', undefined]],
    'references=children: the codelist, as a stub',
  );
  t.equal((await get('/sdmx/2.1/hierarchicalcodelist/UNODC/DISAGG_CYBER/1.0')).statusCode, 404, '2.1 has no Hierarchy artefacts');
});

t.test('additive HCLs: references and detail on both APIs', async (t) => {
  // The codelist's parents are its HCL (and the concept scheme and DSD that use it).
  const parents21 = readStructureMl21((await get('/sdmx/2.1/codelist/UNODC/CL_DISAGGREGATION/1.0?references=parents')).body);
  t.same(
    parents21.map((a) => `${a.class}:${a.id}`).sort(),
    ['Codelist:CL_DISAGGREGATION', 'ConceptScheme:CS_CRIME_JUSTICE', 'DataStructure:DSD_CTS', 'HierarchicalCodelist:HCL_DISAGGREGATION'],
  );
  const parents30 = ml30Hierarchies((await get('/sdmx/3.0/structure/codelist/UNODC/CL_DISAGGREGATION/1.0?references=parents', { accept: ACCEPT.ml30 })).body);
  t.same(parents30.map((h) => h['@_id']), DISAGG, '3.0: the parents are the eight Hierarchies');

  // Complete stubs keep the ADDITIVITY annotations in 3.0 (on the Hierarchy artefact); stubs do not.
  const complete = ml30Hierarchies((await get('/sdmx/3.0/structure/hierarchy/UNODC/*/1.0?detail=allcompletestubs', { accept: ACCEPT.ml30 })).body);
  t.same(
    Object.fromEntries(complete.map((h) => [h['@_id'], mlKinds(h)])),
    {
      HCL_ICCS: [],
      HCL_AREA: ['PARTS_AT_MOST_WHOLE'],
      HCL_CJ_INDICATOR: ['EXACT_SUM'],
      HCL_OFFENCE: ['EXACT_SUM'],
      HCL_SEX: ['EXACT_SUM'],
      HCL_AGE: ['EXACT_SUM'],
      ...Object.fromEntries(DISAGG.map((id) => [id, [kindOf(id)]])),
    },
    'one 3.0 Hierarchy per single-hierarchy HCL (HCL id), one per hierarchy of HCL_DISAGGREGATION',
  );
  t.equal(complete.length, 14);
  const stubs = ml30Hierarchies((await get('/sdmx/3.0/structure/hierarchy/*/*/*?detail=allstubs', { accept: ACCEPT.ml30 })).body);
  t.equal(stubs.length, 14);
  t.ok(stubs.every((h) => mlKinds(h).length === 0 && h.Description === undefined), '3.0 stubs: name only');
  const stubs21 = xmlAll.parse((await get('/sdmx/2.1/hierarchicalcodelist/all/all/all?detail=allstubs')).body).Structure.Structures.HierarchicalCodelists
    .HierarchicalCodelist as any[];
  t.same(
    stubs21.map((h) => [h['@_id'], h.Hierarchy]).sort(),
    ['HCL_AGE', 'HCL_AREA', 'HCL_CJ_INDICATOR', 'HCL_DISAGGREGATION', 'HCL_ICCS', 'HCL_OFFENCE', 'HCL_SEX'].map((id) => [id, undefined]),
    '2.1: the seven HCLs, as stubs without hierarchies',
  );
  const json20 = JSON.parse((await get('/sdmx/3.0/structure/hierarchy/UNODC/HCL_SEX/1.0?detail=allcompletestubs')).body).data.hierarchies as any[];
  t.same(json20.map((h) => [h.id, jsonKinds(h), 'hierarchicalCodes' in h]), [['HCL_SEX', ['EXACT_SUM'], false]], 'JSON 2.0 complete stub');
});

t.test('every artefact is listed and addressable on its own (TCK S1–S7)', async (t) => {
  const all = readStructureMl21((await get('/sdmx/2.1/structure/all/all/all')).body);
  t.ok(all.length >= 30, `${all.length} artefacts`);
  const resourceOf: Record<string, string> = {
    AgencyScheme: 'agencyscheme', DataProviderScheme: 'dataproviderscheme', Codelist: 'codelist', HierarchicalCodelist: 'hierarchicalcodelist',
    ConceptScheme: 'conceptscheme', CategoryScheme: 'categoryscheme', DataStructure: 'datastructure', Dataflow: 'dataflow',
    Categorisation: 'categorisation', ContentConstraint: 'contentconstraint', ProvisionAgreement: 'provisionagreement',
    OrganisationUnitScheme: 'organisationunitscheme', DataConsumerScheme: 'dataconsumerscheme', ReportingTaxonomy: 'reportingtaxonomy',
    Process: 'process', AttachmentConstraint: 'attachmentconstraint', RepresentationMap: 'structureset',
    ConceptSchemeMap: 'structureset', CategorySchemeMap: 'structureset', OrganisationSchemeMap: 'structureset', ReportingTaxonomyMap: 'structureset',
    TransformationScheme: 'transformationscheme', RulesetScheme: 'rulesetscheme', UserDefinedOperatorScheme: 'userdefinedoperatorscheme',
    CustomTypeScheme: 'customtypescheme', NamePersonalisationScheme: 'namepersonalisationscheme', VtlMappingScheme: 'vtlmappingscheme',
    MetadataStructure: 'metadatastructure', Metadataflow: 'metadataflow',
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

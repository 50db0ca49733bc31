/**
 * The VTL resources on both structure APIs, over the real structures in sdmx/: each answers
 * (no 501) in every format that can express it with a valid message, and 406 naming the formats
 * that can in SDMX-JSON 1.0; the conformance kit's checks walked for them (allstubs root, exact id
 * and latest queries, item queries in scheme order flagged partial, stubs and complete stubs,
 * references by relation and by type); namealiasscheme is the VtlMappingScheme.
 */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { testApp } from '../../helpers/app.js';
import { validateJson, validateXml21, validateXml301 } from '../../helpers/validate.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import type { Maintainable, VtlScheme } from '../../../src/sdmx/model.js';

const app = await testApp();
t.teardown(() => app.close());
const get = (url: string, accept = '*/*') => app.inject({ url, headers: { accept } });
const xml = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false, isArray: (name) => name.endsWith('Scheme') || ['Transformation', 'Ruleset', 'VtlMapping', 'CustomType', 'NamePersonalisation', 'UserDefinedOperator'].includes(name) });

const read = (body: string) => readStructureMl21(body);
const ids = (body: string) => read(body).map((a: Maintainable) => `${a.class}:${a.id}`).sort();
async function artefacts21(path: string): Promise<string[]> {
  const res = await get(`/sdmx/2.1/${path}`);
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return ids(res.body);
}

/** resource → the one artefact it holds, its class and its SDMX-ML 2.1 container. */
const RESOURCES = {
  transformationscheme: { id: 'TS_CTS', cls: 'TransformationScheme', container: 'Transformations', item: 'Transformation', json: 'transformationSchemes' },
  rulesetscheme: { id: 'RS_CTS', cls: 'RulesetScheme', container: 'Rulesets', item: 'Ruleset', json: 'rulesetSchemes' },
  userdefinedoperatorscheme: { id: 'UDO_CTS', cls: 'UserDefinedOperatorScheme', container: 'UserDefinedOperators', item: 'UserDefinedOperator', json: 'userDefinedOperatorSchemes' },
  customtypescheme: { id: 'CT_CTS', cls: 'CustomTypeScheme', container: 'CustomTypes', item: 'CustomType', json: 'customTypeSchemes' },
  namepersonalisationscheme: { id: 'NP_CTS', cls: 'NamePersonalisationScheme', container: 'NamePersonalisations', item: 'NamePersonalisation', json: 'namePersonalisationSchemes' },
  vtlmappingscheme: { id: 'VMS_CTS', cls: 'VtlMappingScheme', container: 'VtlMappings', item: 'VtlMapping', json: 'vtlMappingSchemes' },
} as const;
type Resource = keyof typeof RESOURCES;
const NAMES = Object.keys(RESOURCES) as Resource[];

const FORMATS = [
  { accept: MEDIA.structureMl21, check: (b: string) => validateXml21(b) },
  { accept: MEDIA.structureMl30, check: (b: string) => validateXml301(b) },
  { accept: MEDIA.structureJson20, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure20) },
];

t.test('every VTL resource answers on both APIs in SDMX-ML 2.1, 3.0 and SDMX-JSON 2.0', async (t) => {
  for (const r of NAMES) {
    for (const prefix of [`/sdmx/2.1/${r}`, `/sdmx/3.0/structure/${r}`]) {
      for (const query of [prefix.includes('2.1') ? '/all/all/all?detail=allstubs' : '/*/*/*?detail=allstubs', '', '?references=all', '?detail=allcompletestubs&references=children']) {
        for (const f of FORMATS) {
          const res = await get(prefix + query, f.accept);
          t.equal(res.statusCode, 200, `${prefix}${query} (${f.accept})`);
          t.equal(res.headers['content-type'], f.accept);
          t.same(f.check(res.body), [], `${prefix}${query} validates (${f.accept})`);
        }
      }
    }
  }
  // Defaults: SDMX-ML 2.1 on 2.1, SDMX-JSON 2.0 on 3.0.
  t.equal((await get('/sdmx/2.1/rulesetscheme')).headers['content-type'], MEDIA.structureMl21);
  const json = JSON.parse((await get('/sdmx/3.0/structure/rulesetscheme/UNODC/RS_CTS/~')).body);
  t.equal(json.data.rulesetSchemes[0].vtlVersion, '2.0');
  t.ok(json.data.rulesetSchemes[0].rulesets.length > 10);
});

t.test('SDMX-JSON 1.0 cannot express them: 406 naming the formats that can', async (t) => {
  for (const r of NAMES) {
    for (const url of [`/sdmx/2.1/${r}`, `/sdmx/3.0/structure/${r}`]) {
      const res = await get(url, MEDIA.structureJson10);
      t.equal(res.statusCode, 406, url);
      t.match(res.body, 'SDMX-ML 2.1, SDMX-ML 3.0 or SDMX-JSON 2.0', `${url} names the formats`);
      t.match(res.body, RESOURCES[r].cls);
    }
  }
  // Asked with what JSON 1.0 can express, the VTL schemes are left out and the rest written.
  const res = await get('/sdmx/2.1/rulesetscheme/UNODC/RS_CTS/1.0?references=descendants', MEDIA.structureJson10);
  t.equal(res.statusCode, 200);
  t.same(validateJson(JSON.parse(res.body), JSON_SCHEMA.structure10), []);
  t.notOk('rulesetSchemes' in JSON.parse(res.body).data);
  t.ok(JSON.parse(res.body).data.dataflows.length > 0, 'the mapped dataflows are there');
});

t.test('S1–S7: root, exact id, latest, agency and version queries; the structure resource', async (t) => {
  for (const r of NAMES) {
    const { id, cls } = RESOURCES[r];
    t.same(await artefacts21(`${r}/all/all/all?detail=allstubs`), [`${cls}:${id}`], `${r} root`);
    t.same(await artefacts21(`${r}/UNODC/${id}/1.0`), [`${cls}:${id}`], `${r} S2`);
    t.same(await artefacts21(`${r}/all/${id}/1.0`), [`${cls}:${id}`], `${r} S3`);
    t.same(await artefacts21(`${r}/UNODC/all/1.0`), [`${cls}:${id}`], `${r} S4`);
    t.same(await artefacts21(`${r}/UNODC/${id}/all`), [`${cls}:${id}`], `${r} S5`);
    t.same(await artefacts21(`${r}/UNODC/${id}`), [`${cls}:${id}`], `${r} S6 latest`);
    t.same(await artefacts21(`${r}/UNODC`), [`${cls}:${id}`], `${r} S7`);
    t.same(await artefacts21(`structure/UNODC/${id}/1.0`), [`${cls}:${id}`], `structure/UNODC/${id}: exactly one artefact`);
    const res30 = JSON.parse((await get(`/sdmx/3.0/structure/*/UNODC/${id}/1.0`)).body);
    t.same(Object.keys(res30.data), [RESOURCES[r].json], `3.0 * finds ${id}`);
    t.equal((await get(`/sdmx/2.1/${r}/UNODC/NOPE`)).statusCode, 404);
  }
});

t.test('S12/S14: stubs carry Name only, complete stubs Description too, no items; vtlVersion stays', async (t) => {
  for (const r of NAMES) {
    const { container, item, cls } = RESOURCES[r];
    const stub = await get(`/sdmx/2.1/${r}/all/all/all?detail=allstubs`);
    t.notMatch(stub.body, new RegExp(`<common:Description|<common:Annotations|<structure:${item}[ >]`), `${r} stubs are stubs`);
    const complete = await get(`/sdmx/2.1/${r}/all/all/all?detail=allcompletestubs`);
    t.match(complete.body, /<common:Description/);
    t.notMatch(complete.body, new RegExp(`<structure:${item}[ >]`));
    const full = xml.parse((await get(`/sdmx/2.1/${r}`)).body).Structure.Structures[container][cls][0];
    t.ok(Array.isArray(full[item]) && full[item].length > 0, `${r} full has items`);
    if (r !== 'vtlmappingscheme') {
      t.equal(xml.parse(stub.body).Structure.Structures[container][cls][0]['@_vtlVersion'], '2.0', `${r} stub keeps vtlVersion`);
    }
  }
});

t.test('S8: item queries give exactly the requested items, in scheme order, flagged partial', async (t) => {
  for (const r of NAMES) {
    const { id } = RESOURCES[r];
    const full = read((await get(`/sdmx/2.1/${r}/UNODC/${id}/1.0`)).body)[0] as VtlScheme;
    const items = full.items.map((i) => i.id);
    if (items.length < 2) {
      const one = read((await get(`/sdmx/2.1/${r}/UNODC/${id}/1.0/${items[0]}`)).body)[0] as VtlScheme;
      t.same(one.items.map((i) => i.id), items, `${r}: the one item`);
      t.notOk(one.isPartial, 'all of it: not partial');
      continue;
    }
    const [a, b] = items;
    const two = read((await get(`/sdmx/2.1/${r}/UNODC/${id}/1.0/${b}+${a}`)).body)[0] as VtlScheme;
    t.same(two.items.map((i) => i.id), [a, b], `${r}: the first two, in scheme order`);
    t.equal(two.isPartial, true);
    const body = (await get(`/sdmx/2.1/${r}/UNODC/${id}/1.0/${a}+${b}`)).body;
    t.same(validateXml21(body), []);
    t.match(body, 'isPartial="true"');
    const json = JSON.parse((await get(`/sdmx/3.0/structure/${r}/UNODC/${id}/1.0/${a},${b}`)).body);
    t.same(validateJson(json, JSON_SCHEMA.structure20), []);
    t.equal(json.data[RESOURCES[r].json][0].isPartial, true);
    t.same(validateXml301((await get(`/sdmx/3.0/structure/${r}/UNODC/${id}/1.0/${a},${b}`, MEDIA.structureMl30)).body), []);
    t.equal((await get(`/sdmx/2.1/${r}/UNODC/${id}/1.0/NOPE`)).statusCode, 404, 'an unknown item: nothing matches');
  }
  const rs = read((await get('/sdmx/2.1/rulesetscheme/UNODC/RS_CTS/1.0/HR_SEX_TOTAL+DPR_CTS_VALUES')).body)[0] as VtlScheme;
  t.same(rs.items.map((i) => i.id), ['HR_SEX_TOTAL', 'DPR_CTS_VALUES']);
});

t.test('S10: references by relation and by type', async (t) => {
  const ts = 'transformationscheme/UNODC/TS_CTS/1.0';
  t.same(await artefacts21(`${ts}?references=children`), [
    'CustomTypeScheme:CT_CTS',
    'NamePersonalisationScheme:NP_CTS',
    'RulesetScheme:RS_CTS',
    'TransformationScheme:TS_CTS',
    'UserDefinedOperatorScheme:UDO_CTS',
    'VtlMappingScheme:VMS_CTS',
  ]);
  t.same(await artefacts21(`${ts}?references=parents`), ['TransformationScheme:TS_CTS'], 'nothing references the transformations');
  const descendants = await artefacts21(`${ts}?references=descendants`);
  for (const d of ['Dataflow:DF_CTS_HOMICIDE', 'Dataflow:DF_CTS_PRISONS', 'DataStructure:DSD_CTS', 'ConceptScheme:CS_CRIME_JUSTICE', 'Codelist:CL_OFFENCE']) {
    t.ok(descendants.includes(d), `descendants include ${d}`);
  }
  t.same(await artefacts21(`${ts}?references=rulesetscheme`), ['RulesetScheme:RS_CTS', 'TransformationScheme:TS_CTS']);
  t.same(await artefacts21(`${ts}?references=namealiasscheme`), ['TransformationScheme:TS_CTS', 'VtlMappingScheme:VMS_CTS'], 'namealiasscheme = the VTL mapping scheme');
  t.same(await artefacts21('rulesetscheme/UNODC/RS_CTS/1.0?references=children'), ['RulesetScheme:RS_CTS', 'VtlMappingScheme:VMS_CTS']);
  t.same(await artefacts21('rulesetscheme/UNODC/RS_CTS/1.0?references=parents'), ['RulesetScheme:RS_CTS', 'TransformationScheme:TS_CTS']);
  const rsSiblings = await artefacts21('rulesetscheme/UNODC/RS_CTS/1.0?references=parentsandsiblings');
  t.ok(rsSiblings.includes('UserDefinedOperatorScheme:UDO_CTS') && rsSiblings.includes('CustomTypeScheme:CT_CTS'), 'siblings: the other schemes TS_CTS uses');
  const vmsChildren = await artefacts21('vtlmappingscheme/UNODC/VMS_CTS/1.0?references=children');
  t.equal(vmsChildren.filter((a) => a.startsWith('Dataflow:')).length, 10, 'every dataflow');
  t.ok(vmsChildren.includes('ConceptScheme:CS_CRIME_JUSTICE'), 'the concepts the rulesets use');
  t.same((await artefacts21('vtlmappingscheme/UNODC/VMS_CTS/1.0?references=parents')).sort(), [
    'RulesetScheme:RS_CTS',
    'TransformationScheme:TS_CTS',
    'VtlMappingScheme:VMS_CTS',
  ]);
  t.ok((await artefacts21('dataflow/UNODC/DF_CTS_PRISONS/1.0?references=vtlmappingscheme')).includes('VtlMappingScheme:VMS_CTS'), 'a dataflow is a child of the mapping scheme');
  t.same(await artefacts21('dataflow/UNODC/DF_CTS_PRISONS/1.0?references=namealiasscheme'), ['Dataflow:DF_CTS_PRISONS', 'VtlMappingScheme:VMS_CTS']);
  // referencestubs: the children come as stubs, the scheme itself full.
  const stubs = await get(`/sdmx/2.1/${ts}?references=children&detail=referencestubs`);
  t.notMatch(stubs.body, /<structure:Ruleset /, 'the children are stubs');
  t.match(stubs.body, /<structure:Transformation /, 'the scheme itself is full');
  // 3.0: references by 3.0 names, and namealiasscheme as a references value.
  const json = JSON.parse((await get(`/sdmx/3.0/structure/${ts.replace('/1.0', '/1.0')}?references=rulesetscheme,userdefinedoperatorscheme`)).body);
  t.same(Object.keys(json.data).sort(), ['rulesetSchemes', 'transformationSchemes', 'userDefinedOperatorSchemes']);
  const alias30 = JSON.parse((await get(`/sdmx/3.0/structure/${ts}?references=namealiasscheme`)).body);
  t.same(Object.keys(alias30.data).sort(), ['transformationSchemes', 'vtlMappingSchemes']);
  t.same(validateJson(alias30, JSON_SCHEMA.structure20), []);
});

t.test('namealiasscheme serves the VtlMappingScheme on the 2.1 API', async (t) => {
  t.same(await artefacts21('namealiasscheme'), ['VtlMappingScheme:VMS_CTS']);
  t.same(await artefacts21('namealiasscheme/UNODC/VMS_CTS/1.0'), ['VtlMappingScheme:VMS_CTS']);
  const items = read((await get('/sdmx/2.1/namealiasscheme/UNODC/VMS_CTS/1.0/DF_CTS_HOMICIDE+DF_CTS_PRISONS')).body)[0] as VtlScheme;
  t.same(items.items.map((i) => i.id), ['DF_CTS_HOMICIDE', 'DF_CTS_PRISONS']);
  const parsed = xml.parse((await get('/sdmx/2.1/namealiasscheme/UNODC/VMS_CTS/1.0/DF_CTS_HOMICIDE')).body);
  const mapping = parsed.Structure.Structures.VtlMappings.VtlMappingScheme[0].VtlMapping[0];
  t.equal(mapping['@_alias'], 'CTS_HOMICIDE');
  t.same(mapping.Dataflow.Ref, { '@_agencyID': 'UNODC', '@_id': 'DF_CTS_HOMICIDE', '@_version': '1.0', '@_class': 'Dataflow', '@_package': 'datastructure' });
  t.equal((await get('/sdmx/3.0/structure/namealiasscheme')).statusCode, 400, 'REST 2.0 has no namealiasscheme resource (vtlmappingscheme)');
});

/**
 * The SDMX 3.0 map resources on the demo (structuremap, conceptschememap, categoryschememap,
 * organisationschememap, reportingtaxonomymap), answered in both 3.0 formats, valid against the
 * official schemas, with references both ways and stubs; the item scheme maps also as 2.1
 * structure sets, the StructureMap not (406 naming the formats that can). And the StructureMap
 * does what it says: applied, as a reader of the map would, to the SDMX-CSV answer of
 * DF_CTS_HOMICIDE, every observation of a mapped area becomes an observation whose every key
 * value is a code of the SDG DSD's codelists, with the same value.
 */
import t, { type Test } from 'tap';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { testApp } from '../../helpers/app.js';
import { idsOf, structureJson20 } from '../../helpers/structure-json20.js';
import { parseCsv } from '../../helpers/csv.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { validateJson, validateXml21, validateXml301 } from '../../helpers/validate.js';

const app = await testApp({ env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());
const get = (url: string, accept: string = MEDIA.structureJson20) => app.inject({ url, headers: { accept } });

type Artefact = { id: string; agencyID: string; [k: string]: unknown };
type Data = Record<string, Artefact[]>;
const json20 = structureJson20(app) as (t: Test, url: string) => Promise<Data>;
const ids = (d: Data, member: string) => idsOf(d, member);
const API = '/sdmx/3.0/structure';

const RESOURCES = [
  ['structuremap', 'structureMaps', 'SM_HOMICIDE_SDG'],
  ['conceptschememap', 'conceptSchemeMaps', 'CSM_CTS_SDG'],
  ['categoryschememap', 'categorySchemeMaps', 'CATM_THEMES_SDG'],
  ['organisationschememap', 'organisationSchemeMaps', 'OSM_PROVIDERS_CONSUMERS'],
  ['reportingtaxonomymap', 'reportingTaxonomyMaps', 'RTM_UN_CTS_SDG'],
] as const;

t.test('each map resource: all, by agency, id and version, latest, stubs, in both 3.0 formats', async (t) => {
  for (const [resource, member, id] of RESOURCES) {
    const all = await json20(t, `${API}/${resource}`);
    t.same(Object.keys(all), [member], `${resource}: only its type`);
    t.same(ids(all, member), [id]);
    for (const path of [`/UNODC/${id}/1.0`, `/UNODC/${id}/~`, `/*/${id}/+`, '/UNODC']) t.same(ids(await json20(t, `${API}/${resource}${path}`), member), [id], `${resource}${path}`);
    for (const q of ['', '?detail=allstubs', '?detail=allcompletestubs', '?references=all']) {
      const res = await get(`${API}/${resource}/UNODC/${id}/1.0${q}`, MEDIA.structureMl30);
      t.equal(res.statusCode, 200);
      t.same(validateXml301(res.body), [], `${resource} ${q}: SDMX-ML 3.0.1`);
    }
    t.equal((await get(`${API}/${resource}/UNODC/NO_SUCH_MAP`)).statusCode, 404);
    t.equal((await get(`${API}/${resource}/UNODC/${id}/1.0/ITEM`)).statusCode, 400, 'maps have no items to select');
  }
  const star = await json20(t, `${API}/*/UNODC/*/~?detail=allstubs`);
  for (const [, member] of RESOURCES) t.ok(star[member], `the 3.0 * resource includes ${member}`);
});

t.test('references: what a map joins, and the maps that join an artefact', async (t) => {
  const children = await json20(t, `${API}/structuremap/UNODC/SM_HOMICIDE_SDG/1.0?references=children`);
  t.same(ids(children, 'dataflows'), ['DF_CTS_HOMICIDE']);
  t.same(ids(children, 'dataStructures'), ['SDG']);
  t.same(ids(children, 'representationMaps'), ['RM_AGE_SDG', 'RM_AREA_REPORTING_TYPE', 'RM_AREA_SDG', 'RM_FREQ_SDG', 'RM_HOMICIDE_SERIES_SDG', 'RM_OBS_STATUS_SDG', 'RM_SEX_SDG', 'RM_UNIT_SDG']);
  const descendants = await json20(t, `${API}/structuremap/UNODC/SM_HOMICIDE_SDG/1.0?references=descendants&detail=referencestubs`);
  t.ok(ids(descendants, 'codelists').includes('CL_SERIES'), 'down to the SDG codelists');
  const flowParents = await json20(t, `${API}/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=structuremap`);
  t.same(ids(flowParents, 'structureMaps'), ['SM_HOMICIDE_SDG']);
  const csParents = await json20(t, `${API}/conceptscheme/UNODC/CS_CRIME_JUSTICE/1.0?references=parents`);
  t.ok(ids(csParents, 'conceptSchemeMaps').includes('CSM_CTS_SDG'));
  const rtParents = await json20(t, `${API}/reportingtaxonomy/UNODC/RT_SDG/1.0?references=reportingtaxonomymap`);
  t.same(ids(rtParents, 'reportingTaxonomyMaps'), ['RTM_UN_CTS_SDG']);
  const dcParents = await json20(t, `${API}/dataconsumerscheme/UNODC/DATA_CONSUMERS/1.0?references=organisationschememap`);
  t.same(ids(dcParents, 'organisationSchemeMaps'), ['OSM_PROVIDERS_CONSUMERS']);
  const catParents = await json20(t, `${API}/categoryscheme/UNODC/CAT_SDG/1.0?references=parents`);
  t.same(ids(catParents, 'categorySchemeMaps'), ['CATM_THEMES_SDG']);
  t.same(ids(catParents, 'categorisations'), ['CAT_SDG_DF_CTS_HOMICIDE', 'CAT_SDG_DF_CTS_PRISONS']);
});

t.test('SDMX 2.1: the item scheme maps are structure sets, the StructureMap has no 2.1 form', async (t) => {
  const sets = await get('/sdmx/2.1/structureset/UNODC/all/latest', MEDIA.structureMl21);
  t.equal(sets.statusCode, 200);
  t.same(validateXml21(sets.body), []);
  for (const el of ['ConceptSchemeMap', 'CategorySchemeMap', 'OrganisationSchemeMap', 'ReportingTaxonomyMap', 'CodelistMap']) t.match(sets.body, new RegExp(`<structure:${el} `), el);
  t.notMatch(sets.body, /SM_HOMICIDE_SDG/);
  const json10 = await get('/sdmx/2.1/structureset/UNODC/CSM_CTS_SDG/1.0', MEDIA.structureJson10);
  t.equal(json10.statusCode, 200);
  t.same(validateJson(json10.json(), JSON_SCHEMA.structure10), []);
  t.equal(json10.json().data.structureSets[0].conceptSchemeMaps[0].conceptMaps.length, 13);
  for (const accept of [MEDIA.structureMl21, MEDIA.structureJson10]) {
    const res = await get('/sdmx/2.1/structureset/UNODC/SM_HOMICIDE_SDG/1.0', accept);
    t.equal(res.statusCode, 406, `${accept}: 406`);
    t.match(res.body, /SDMX-ML 3\.0 or SDMX-JSON 2\.0/);
    t.equal((await get(`${API}/structuremap`, accept)).statusCode, 406);
  }
  const ml30 = await get('/sdmx/2.1/structureset/UNODC/SM_HOMICIDE_SDG/1.0', MEDIA.structureMl30);
  t.equal(ml30.statusCode, 200, 'the 2.1 API serves it in a 3.0 format');
});

t.test('SM_HOMICIDE_SDG applied to the published homicide data gives valid SDG observations', async (t) => {
  const map = (await json20(t, `${API}/structuremap/UNODC/SM_HOMICIDE_SDG/1.0?references=all&detail=full`)) as Data;
  type ComponentMap = { source: string[]; target: string[]; representationMap?: string };
  const sm = map.structureMaps![0]! as unknown as { componentMaps: ComponentMap[]; fixedValueMaps: { target: string; values: string[] }[] };
  const rms = new Map(
    (map.representationMaps as unknown as { id: string; representationMappings: { sourceValues: { value: string }[]; targetValues: string[] }[] }[]).map((r) => [
      `urn:sdmx:org.sdmx.infomodel.structuremapping.RepresentationMap=UNODC:${r.id}(1.0)`,
      new Map(r.representationMappings.map((m) => [m.sourceValues[0]!.value, m.targetValues[0]!])),
    ]),
  );
  const sdgDsd = (await json20(t, `${API}/datastructure/IAEG-SDGs/SDG/1.4?references=codelist`)) as Data;
  const codelists = new Map((sdgDsd.codelists as unknown as { id: string; codes: { id: string }[] }[]).map((c) => [c.id, new Set(c.codes.map((x) => x.id))]));
  const dsd = sdgDsd.dataStructures![0] as unknown as { dataStructureComponents: { dimensionList: { dimensions: { id: string; localRepresentation?: { enumeration?: string } }[] } } };
  const dimensionCodes = new Map(
    dsd.dataStructureComponents.dimensionList.dimensions.map((d) => [d.id, codelists.get(/:(\w+)\(/.exec(d.localRepresentation?.enumeration ?? '')?.[1] ?? '')]),
  );

  const csv = await get('/sdmx/2.1/data/UNODC,DF_CTS_HOMICIDE,1.0/all', MEDIA.dataCsv10);
  t.equal(csv.statusCode, 200);
  const rows = parseCsv(csv.body);
  let mapped = 0;
  const dropped = new Set<string>();
  const notSdgCodes: string[] = [];
  const valueChanged: string[] = [];
  const seen = new Map<string, string>();
  for (const row of rows) {
    const out: Record<string, string> = {};
    let complete = true;
    for (const cm of sm.componentMaps) {
      const value = row[cm.source[0]!] ?? '';
      if (value === '' && !cm.representationMap) continue; // an absent value stays absent
      const v = cm.representationMap ? rms.get(cm.representationMap)!.get(value) : value;
      if (v === undefined) complete = false;
      else out[cm.target[0]!] = v;
    }
    for (const f of sm.fixedValueMaps) out[f.target] = f.values[0]!;
    if (!complete) {
      dropped.add(/^(GBR_|IRQ_)/.test(row.REF_AREA!) ? 'sub-national area' : `AGE=${row.AGE}`);
      continue;
    }
    mapped++;
    for (const [dim, codes] of dimensionCodes) if (codes && !codes.has(out[dim] ?? '')) notSdgCodes.push(`${dim}=${out[dim]}`);
    if ((out.OBS_VALUE ?? '') !== row.OBS_VALUE) valueChanged.push(JSON.stringify(row));
    const key = ['SERIES', 'REF_AREA', 'SEX', 'AGE', 'TIME_PERIOD'].map((d) => out[d]).join('.');
    if (seen.has(key)) t.fail(`two observations for the SDG key ${key}`);
    seen.set(key, out.OBS_VALUE ?? '');
  }
  t.same(notSdgCodes, [], 'every key value is a code of the SDG DSD');
  t.same(valueChanged, [], 'values pass unchanged');
  t.ok([...dropped].every((d) => d === 'sub-national area' || d === 'AGE=Y30T44'), `only sub-national areas and the unmapped age band drop out: ${[...dropped].join(', ')}`);
  t.ok(mapped > 1000, `${mapped} observations mapped`);
  const mexico2015 = rows.find((r) => r.REF_AREA === 'MEX' && r.TIME_PERIOD === '2015' && r.SEX === '_T' && r.AGE === '_T' && r.UNIT_MEASURE === 'P_HTHAB');
  t.ok(mexico2015, 'Mexico 2015 rate in the demo');
  t.equal(seen.get('VC_IHR_PSRC.484._T._T.2015'), mexico2015!.OBS_VALUE, 'Mexico 2015 is the SDG series VC_IHR_PSRC for area 484');
});

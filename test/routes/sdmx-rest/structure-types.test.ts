/**
 * The structure types added for issue 13 on both structure APIs, over the real structures in
 * sdmx/: each resource answers (no 501, no 404) in every format with valid messages; the
 * conformance kit's checks are walked for them (allstubs root, exact id queries, item queries,
 * stubs, references by relation and by type per the kit's reference table).
 */
import t from 'tap';
import { XMLParser } from 'fast-xml-parser';
import { testApp } from '../../helpers/app.js';
import { validateJson, validateXml21, validateXml301 } from '../../helpers/validate.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import type { Maintainable } from '../../../src/sdmx/model.js';

const app = await testApp();
t.teardown(() => app.close());
const get = (url: string, accept = '*/*') => app.inject({ url, headers: { accept } });
const xml = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false });

const FORMATS = [
  { accept: MEDIA.structureMl21, check: (b: string) => validateXml21(b) },
  { accept: MEDIA.structureMl30, check: (b: string) => validateXml301(b) },
  { accept: MEDIA.structureJson10, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure10) },
  { accept: MEDIA.structureJson20, check: (b: string) => validateJson(JSON.parse(b), JSON_SCHEMA.structure20) },
];

/** The artefacts of a 2.1 answer, as `Class:ID`. */
async function artefacts21(path: string): Promise<string[]> {
  const res = await get(`/sdmx/2.1/${path}`);
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return ids(res.body);
}
const ids = (body: string) => readStructureMl21(body).map((a: Maintainable) => `${a.class}:${a.id}`).sort();

const RESOURCES_21 = ['organisationunitscheme', 'dataconsumerscheme', 'reportingtaxonomy', 'process', 'structureset', 'attachmentconstraint', 'organisationscheme', 'contentconstraint'];
const RESOURCES_30 = ['organisationunitscheme', 'dataconsumerscheme', 'reportingtaxonomy', 'process', 'representationmap', 'dataconstraint'];

t.test('every new resource answers in every format with a valid message', async (t) => {
  for (const [api, resources] of [['2.1', RESOURCES_21], ['3.0', RESOURCES_30]] as const) {
    for (const r of resources) {
      const prefix = api === '2.1' ? `/sdmx/2.1/${r}` : `/sdmx/3.0/structure/${r}`;
      for (const query of [api === '2.1' ? '/all/all/all?detail=allstubs' : '/*/*/*?detail=allstubs', '', '?references=all']) {
        for (const f of FORMATS) {
          // SDMX 3.0 has no AttachmentConstraint: the 3.0 formats are not asked for it.
          if (r === 'attachmentconstraint' && (f.accept === MEDIA.structureMl30 || f.accept === MEDIA.structureJson20)) continue;
          const res = await get(prefix + query, f.accept);
          t.equal(res.statusCode, 200, `${prefix}${query} (${f.accept})`);
          t.same(f.check(res.body), [], `${prefix}${query} validates (${f.accept})`);
        }
      }
    }
  }
});

t.test('S2/S6: one artefact per agency, id and version; isFinal and stubs', async (t) => {
  t.same(await artefacts21('organisationunitscheme/UNODC/OU_CJ_INSTITUTIONS/1.0'), ['OrganisationUnitScheme:OU_CJ_INSTITUTIONS']);
  t.same(await artefacts21('dataconsumerscheme/UNODC/DATA_CONSUMERS'), ['DataConsumerScheme:DATA_CONSUMERS']);
  t.same(await artefacts21('reportingtaxonomy/UNODC/RT_UN_CTS/1.0'), ['ReportingTaxonomy:RT_UN_CTS']);
  t.same(await artefacts21('process/UNODC/PROC_PUBLICATION/latest'), ['Process:PROC_PUBLICATION']);
  t.same(await artefacts21('structureset/UNODC/RM_CTS_ICCS/1.0'), ['RepresentationMap:RM_CTS_ICCS']);
  t.same(await artefacts21('attachmentconstraint/UNODC/all/1.0'), ['AttachmentConstraint:AC_SDG_16_1_1', 'AttachmentConstraint:AC_SDG_16_3_2']);
  t.same(await artefacts21('structure/UNODC/PROC_PUBLICATION/1.0'), ['Process:PROC_PUBLICATION'], 'structure: exactly one artefact');
  const orgs = await artefacts21('organisationscheme');
  for (const id of ['AgencyScheme:AGENCIES', 'DataProviderScheme:DATA_PROVIDERS', 'DataConsumerScheme:DATA_CONSUMERS', 'OrganisationUnitScheme:OU_CJ_INSTITUTIONS']) t.ok(orgs.includes(id), `organisationscheme holds ${id}`);

  // allstubs: Name only, no items or steps (conformance kit S12).
  for (const r of ['organisationunitscheme', 'dataconsumerscheme', 'reportingtaxonomy', 'process', 'attachmentconstraint']) {
    const body = (await get(`/sdmx/2.1/${r}/all/all/all?detail=allstubs`)).body;
    t.notMatch(body, /<common:Description|<common:Annotations|<structure:(OrganisationUnit|DataConsumer|ReportingCategory|ProcessStep|DataKeySet)[ >]/, `${r} stubs are stubs`);
    const complete = (await get(`/sdmx/2.1/${r}/all/all/all?detail=allcompletestubs`)).body;
    t.match(complete, /<common:Description/, `${r} complete stubs carry a description`);
  }
});

t.test('S8: item queries return exactly the requested items, flagged partial', async (t) => {
  const ou = xml.parse((await get('/sdmx/2.1/organisationunitscheme/UNODC/OU_CJ_INSTITUTIONS/1.0/CJ_STAT_SYSTEM+NSO')).body).Structure.Structures.OrganisationSchemes.OrganisationUnitScheme;
  t.equal(ou['@_isPartial'], 'true');
  t.same(ou.OrganisationUnit.map((u: { '@_id': string }) => u['@_id']), ['CJ_STAT_SYSTEM', 'NSO']);
  const dc = xml.parse((await get('/sdmx/2.1/dataconsumerscheme/UNODC/DATA_CONSUMERS/1.0/UNODC+ESTAT')).body).Structure.Structures.OrganisationSchemes.DataConsumerScheme;
  t.same(dc.DataConsumer.map((u: { '@_id': string }) => u['@_id']), ['UNODC', 'ESTAT']);
  // The first two reporting categories depth-first are a stage and its first table.
  const rt = xml.parse((await get('/sdmx/2.1/reportingtaxonomy/UNODC/RT_UN_CTS/1.0/POLICE+OFFENCES')).body).Structure.Structures.ReportingTaxonomies.ReportingTaxonomy;
  t.equal(rt['@_isPartial'], 'true');
  t.equal(rt.ReportingCategory['@_id'], 'POLICE');
  t.equal(rt.ReportingCategory.ReportingCategory['@_id'], 'OFFENCES');
  // A nested id brings its ancestors; on 3.0, commas separate items.
  const nested = readStructureMl21((await get('/sdmx/2.1/reportingtaxonomy/UNODC/RT_UN_CTS/1.0/COURTS.CONVICTED')).body)[0] as unknown as { items: { id: string }[] };
  t.same(nested.items.map((i) => i.id), ['COURTS', 'CONVICTED']);
  const res30 = JSON.parse((await get('/sdmx/3.0/structure/reportingtaxonomy/UNODC/RT_UN_CTS/1.0.0/PROSECUTED,PRISONERS'.replace('1.0.0', '1.0'))).body);
  t.same(res30.data.reportingTaxonomies[0].reportingCategories.map((c: { id: string }) => c.id), ['PROSECUTION', 'PRISONS']);
  t.equal((await get('/sdmx/2.1/process/UNODC/PROC_PUBLICATION/1.0/UPLOAD')).statusCode, 400, 'a process has no items to select');
});

t.test('S10: references per the conformance kit table', async (t) => {
  const flow = 'dataflow/UNODC/DF_CTS_HOMICIDE/1.0';
  const parents = await artefacts21(`${flow}?references=parents`);
  for (const p of [
    'ReportingTaxonomy:RT_UN_CTS',
    'Process:PROC_PUBLICATION',
    'AttachmentConstraint:AC_SDG_16_1_1',
    'ContentConstraint:CR_A_DF_CTS_HOMICIDE',
    'ProvisionAgreement:PA_DF_CTS_HOMICIDE_UNODC',
    'Categorisation:CAT_DF_CTS_HOMICIDE',
  ]) {
    t.ok(parents.includes(p), `dataflow parents include ${p}`);
  }
  t.same(await artefacts21(`${flow}?references=reportingtaxonomy`), ['Dataflow:DF_CTS_HOMICIDE', 'ReportingTaxonomy:RT_SDG', 'ReportingTaxonomy:RT_UN_CTS']);
  t.same(await artefacts21(`${flow}?references=process`), ['Dataflow:DF_CTS_HOMICIDE', 'Process:PROC_PUBLICATION']);
  t.same(await artefacts21(`${flow}?references=attachmentconstraint`), ['AttachmentConstraint:AC_SDG_16_1_1', 'Dataflow:DF_CTS_HOMICIDE']);
  t.same(await artefacts21(`${flow}?references=contentconstraint`), ['ContentConstraint:CR_A_DF_CTS_HOMICIDE', 'Dataflow:DF_CTS_HOMICIDE']);

  const dsd = await artefacts21('datastructure/UNODC/DSD_CTS/1.0?references=contentconstraint');
  t.same(dsd, ['ContentConstraint:CR_A_DSD_CTS', 'DataStructure:DSD_CTS'], 'the DSD constraint is a parent of the DSD');
  t.same(await artefacts21('provisionagreement/UNODC/PA_DF_ESTAT_CRIM_OFF_CAT_ESTAT/1.0?references=contentconstraint'), [
    'ContentConstraint:CR_A_PA_DF_ESTAT_CRIM_OFF_CAT_ESTAT',
    'ProvisionAgreement:PA_DF_ESTAT_CRIM_OFF_CAT_ESTAT',
  ]);

  const rtChildren = await artefacts21('reportingtaxonomy/UNODC/RT_UN_CTS/1.0?references=children');
  t.equal(rtChildren.filter((a) => a.startsWith('Dataflow:')).length, 10, 'taxonomy children: every dataflow');
  t.same(rtChildren.filter((a) => !a.startsWith('Dataflow:')), ['ReportingTaxonomy:RT_UN_CTS']);
  t.ok((await artefacts21('reportingtaxonomy/UNODC/RT_UN_CTS/1.0?references=descendants')).includes('DataStructure:DSD_CTS'), 'descendants go through the flows');
  t.same(await artefacts21('reportingtaxonomy/UNODC/RT_UN_CTS/1.0?references=parents'), ['ReportingTaxonomy:RT_UN_CTS', 'ReportingTaxonomyMap:RTM_UN_CTS_SDG'], 'only the map to the SDG indicators references the taxonomy');

  const procChildren = await artefacts21('process/UNODC/PROC_PUBLICATION/1.0?references=children');
  for (const c of ['DataStructure:DSD_CTS', 'HierarchicalCodelist:HCL_OFFENCE', 'Codelist:CL_CONF_STATUS', 'ProvisionAgreement:PA_DF_CTS_HOMICIDE_UNODC', 'Dataflow:DF_CTS_PRISONS']) {
    t.ok(procChildren.includes(c), `process children include ${c}`);
  }
  t.same(await artefacts21('attachmentconstraint/UNODC/AC_SDG_16_3_2/1.0?references=children'), ['AttachmentConstraint:AC_SDG_16_3_2', 'Dataflow:DF_CTS_PRISONS']);

  const mapChildren = await artefacts21('structureset/UNODC/RM_CTS_ICCS/1.0?references=children');
  t.same(mapChildren, ['Codelist:CL_CTS_CATEGORY', 'Codelist:CL_ICCS', 'RepresentationMap:RM_CTS_ICCS']);
  t.ok((await artefacts21('codelist/UNODC/CL_ICCS/1.0?references=structureset')).includes('RepresentationMap:RM_CTS_ICCS'), 'the map is a parent of CL_ICCS');

  // referencestubs: the children are stubs.
  const stubs = await get('/sdmx/2.1/reportingtaxonomy/UNODC/RT_UN_CTS/1.0?references=children&detail=referencestubs');
  t.notMatch(stubs.body, /<structure:Structure>/, 'the dataflows come as stubs');
  t.match(stubs.body, /<structure:ReportingCategory/, 'the taxonomy itself is full');

  // 3.0: representationmap and references by 3.0 names.
  const map30 = JSON.parse((await get('/sdmx/3.0/structure/representationmap/UNODC/RM_CTS_ICCS/1.0?references=children')).body);
  t.equal(map30.data.representationMaps[0].representationMappings.length, 46);
  t.same(map30.data.codelists.map((c: { id: string }) => c.id).sort(), ['CL_CTS_CATEGORY', 'CL_ICCS']);
  const flow30 = JSON.parse((await get('/sdmx/3.0/structure/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=reportingtaxonomy,process')).body);
  t.same(Object.keys(flow30.data).sort(), ['dataflows', 'processes', 'reportingTaxonomies']);
});

t.test('referencepartial follows constraints along each chain: agreement, flow, DSD', async (t) => {
  const codes = async (url: string, codelist: string) => {
    const list = readStructureMl21((await get(url)).body).find((a) => a.id === codelist) as unknown as { items: { id: string }[]; isPartial?: boolean };
    return { ids: new Set(list.items.map((i) => i.id)), isPartial: list.isPartial };
  };
  const estat = await codes('/sdmx/2.1/provisionagreement/UNODC/PA_DF_ESTAT_CRIM_PRIS_AGE_ESTAT/1.0?references=descendants&detail=referencepartial', 'CL_AREA');
  t.equal(estat.isPartial, true);
  t.ok(estat.ids.has('AUT') && estat.ids.has('GBR_S'), 'European areas');
  t.notOk(estat.ids.has('BRA'), 'not Brazil');
  const unodc = await codes('/sdmx/2.1/provisionagreement/UNODC/PA_DF_CTS_HOMICIDE_UNODC/1.0?references=descendants&detail=referencepartial', 'CL_AREA');
  t.ok(unodc.ids.has('BRA'));
  t.notOk(unodc.ids.has('150') || unodc.ids.has('001'), 'no regional aggregate');
  // A dataflow's codelists are still cut by the flow's own constraint, not by the DSD's union.
  const flow = await codes('/sdmx/2.1/dataflow/UNODC/DF_CTS_HOMICIDE/1.0?references=descendants&detail=referencepartial', 'CL_CJ_INDICATOR');
  t.same([...flow.ids], ['VIC_HOM']);
  const dsd = await codes('/sdmx/2.1/datastructure/UNODC/DSD_CTS/1.0?references=children&detail=referencepartial', 'CL_CJ_INDICATOR');
  t.ok(dsd.ids.has('VIC_HOM') && dsd.ids.has('PRIS_HELD'), 'the DSD constraint allows every flow\'s indicators');
});

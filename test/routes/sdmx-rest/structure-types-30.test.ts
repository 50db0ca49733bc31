/**
 * The SDMX 3.0-only structure resources on the demo: `hierarchyassociation` answers 200 in both
 * SDMX 3.0 formats (all, by agency/id/version, latest), valid against the official schemas;
 * `references` works both ways (an association's children are its hierarchy and the DSD; the
 * DSD's and a hierarchy's parents include the associations); a 2.1 format answers 406. The
 * same for `valuelist`, with item queries, and the list of SOURCE_DETAIL values equals the
 * distinct SOURCE_DETAIL values of every dataflow's SDMX-CSV answer.
 */
import t, { type Test } from 'tap';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { DATAFLOW_IDS } from '../../../src/cli/structures/common.js';
import { testApp } from '../../helpers/app.js';
import { idsOf, structureJson20 } from '../../helpers/structure-json20.js';
import { parseCsv } from '../../helpers/csv.js';
import { validateXml301 } from '../../helpers/validate.js';

const app = await testApp({ env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());
const get = (url: string, accept: string = MEDIA.structureJson20) => app.inject({ url, headers: { accept } });

type Data = Record<string, { id: string; agencyID: string; linkedHierarchy?: string; linkedObject?: string; contextObject?: string }[]>;
const json20 = structureJson20(app) as (t: Test, url: string) => Promise<Data>;
const ids = (d: Data, member: string) => idsOf(d, member);
const HA = '/sdmx/3.0/structure/hierarchyassociation';

t.test('hierarchy associations: all, by agency, id and version, latest, in both 3.0 formats', async (t) => {
  const all = await json20(t, HA);
  t.equal(ids(all, 'hierarchyAssociations').length, 13);
  t.same(Object.keys(all), ['hierarchyAssociations'], 'nothing else without references');
  for (const url of [`${HA}/UNODC/HA_OFFENCE_ICCS_SUMS/1.0`, `${HA}/UNODC/HA_OFFENCE_ICCS_SUMS/~`, `${HA}/UNODC/HA_OFFENCE_ICCS_SUMS`, `${HA}/*/HA_OFFENCE_ICCS_SUMS/+`]) {
    const d = await json20(t, url);
    t.same(d.hierarchyAssociations, [
      {
        ...d.hierarchyAssociations![0],
        id: 'HA_OFFENCE_ICCS_SUMS',
        linkedHierarchy: 'urn:sdmx:org.sdmx.infomodel.codelist.Hierarchy=UNODC:HCL_OFFENCE(1.0)',
        linkedObject: 'urn:sdmx:org.sdmx.infomodel.datastructure.Dimension=UNODC:DSD_CTS(1.0).OFFENCE',
        contextObject: 'urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=UNODC:DSD_CTS(1.0)',
      },
    ]);
  }
  const byAgency = await json20(t, `${HA}/UNODC`);
  t.equal(byAgency.hierarchyAssociations!.length, 13);
  for (const detail of ['full', 'allstubs', 'allcompletestubs']) {
    const res = await get(`${HA}?detail=${detail}&references=children`, MEDIA.structureMl30);
    t.equal(res.statusCode, 200);
    t.same(validateXml301(res.body), [], `SDMX-ML 3.0.1, detail=${detail}`);
  }
  t.equal((await get(`${HA}/UNODC/HA_NONE`)).statusCode, 404);
});

t.test('references: children of an association, parents of the DSD and of a hierarchy', async (t) => {
  const children = await json20(t, `${HA}/UNODC/HA_DISAGG_CYBER/1.0?references=children`);
  t.same(ids(children, 'hierarchyAssociations'), ['HA_DISAGG_CYBER']);
  t.same(ids(children, 'dataStructures'), ['DSD_CTS']);
  t.ok(ids(children, 'hierarchies').includes('DISAGG_CYBER'), 'the linked Hierarchy, as published');
  t.same(Object.keys(children).sort(), ['dataStructures', 'hierarchies', 'hierarchyAssociations']);
  const typed = await json20(t, `${HA}/UNODC/HA_SEX_TOTAL/1.0?references=hierarchy`);
  t.same(ids(typed, 'hierarchies'), ['HCL_SEX']);
  t.notOk(typed.dataStructures);

  const dsdParents = await json20(t, '/sdmx/3.0/structure/datastructure/UNODC/DSD_CTS/1.0?references=parents');
  t.equal(ids(dsdParents, 'hierarchyAssociations').length, 13, 'the DSD is the context of all 13');
  const dsdTyped = await json20(t, '/sdmx/3.0/structure/datastructure/UNODC/DSD_CTS/1.0?references=hierarchyassociation');
  t.same(Object.keys(dsdTyped).sort(), ['dataStructures', 'hierarchyAssociations']);
  const hclParents = await json20(t, '/sdmx/3.0/structure/hierarchy/UNODC/HCL_SEX/1.0?references=parents');
  t.same(ids(hclParents, 'hierarchyAssociations'), ['HA_SEX_TOTAL']);
  const disagg = await json20(t, '/sdmx/3.0/structure/hierarchy/UNODC/DISAGG_CITIZENSHIP/1.0?references=hierarchyassociation');
  t.ok(ids(disagg, 'hierarchyAssociations').includes('HA_DISAGG_CITIZENSHIP'));
});

t.test('a 2.1 format asked for them answers 406; the 2.1 API does not list them', async (t) => {
  for (const accept of [MEDIA.structureMl21, MEDIA.structureJson10]) {
    const res = await get(HA, accept);
    t.equal(res.statusCode, 406, accept);
    t.match(res.body, /HierarchyAssociation/);
  }
  const all21 = await get('/sdmx/2.1/structure/all/all/all', MEDIA.structureMl21);
  t.equal(all21.statusCode, 200);
  t.notMatch(all21.body, /HierarchyAssociation/);
  // Parents in a 2.1 format: the associations are left out, the rest is served.
  const parents21 = await get('/sdmx/3.0/structure/hierarchy/UNODC/HCL_SEX/1.0?references=parents', MEDIA.structureMl21);
  t.equal(parents21.statusCode, 200);
  t.notMatch(parents21.body, /HierarchyAssociation/);
});

const VL = '/sdmx/3.0/structure/valuelist';
type ValueListJson = { id: string; valueItems?: { id: string; name?: string }[] };
const valueLists = (d: Data) => d.valueLists as unknown as ValueListJson[];

t.test('value lists: all, by agency, id and version, latest, items, in both 3.0 formats', async (t) => {
  const all = valueLists(await json20(t, VL));
  t.same(all.map((v) => v.id), ['VL_SOURCE_DETAIL']);
  const count = all[0]!.valueItems!.length;
  for (const url of [`${VL}/UNODC/VL_SOURCE_DETAIL/1.0`, `${VL}/UNODC/VL_SOURCE_DETAIL/~`, `${VL}/*/VL_SOURCE_DETAIL`, `${VL}/UNODC`]) {
    t.equal(valueLists(await json20(t, url))[0]!.valueItems!.length, count, url);
  }
  const items = valueLists(await json20(t, `${VL}/UNODC/VL_SOURCE_DETAIL/1.0/CTS,NSO`))[0]!;
  t.same(items.valueItems!.map((v) => v.id), ['CTS', 'NSO'], 'item query: those values only');
  t.equal((await get(`${VL}/UNODC/VL_SOURCE_DETAIL/1.0/NO_SUCH_VALUE`)).statusCode, 404);
  for (const q of ['', '?detail=allstubs', '?detail=allcompletestubs', '?references=all']) {
    const res = await get(`${VL}/UNODC/VL_SOURCE_DETAIL/1.0${q}`, MEDIA.structureMl30);
    t.equal(res.statusCode, 200);
    t.same(validateXml301(res.body), [], `SDMX-ML 3.0.1 ${q}`);
  }
  const stub = valueLists(await json20(t, `${VL}?detail=allstubs`))[0]!;
  t.notOk(stub.valueItems, 'a stub has no values');
  for (const accept of [MEDIA.structureMl21, MEDIA.structureJson10]) t.equal((await get(VL, accept)).statusCode, 406, `${accept}: 406`);
  const star = await json20(t, '/sdmx/3.0/structure/*/UNODC/*/~?detail=allstubs');
  t.ok(star.valueLists && star.hierarchyAssociations, 'the 3.0 `*` resource includes both types');
});

t.test('VL_SOURCE_DETAIL equals the SOURCE_DETAIL values the demo data are served with', async (t) => {
  const served = new Set<string>();
  for (const flow of DATAFLOW_IDS) {
    const res = await get(`/sdmx/2.1/data/UNODC,${flow},1.0/all`, MEDIA.dataCsv10);
    if (res.statusCode === 404) continue; // a flow without visible data
    t.equal(res.statusCode, 200, flow);
    for (const row of parseCsv(res.body)) if (row.SOURCE_DETAIL) served.add(row.SOURCE_DETAIL);
  }
  const list = valueLists(await json20(t, `${VL}/UNODC/VL_SOURCE_DETAIL/1.0`))[0]!;
  t.same(list.valueItems!.map((v) => v.id).sort(), [...served].sort());
  t.ok(list.valueItems!.every((v) => typeof v.name === 'string' && v.name.length > 0), 'each value has its English text');
});

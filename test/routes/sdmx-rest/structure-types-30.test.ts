/**
 * The SDMX 3.0-only structure resources on the demo: `hierarchyassociation` answers 200 in both
 * SDMX 3.0 formats (all, by agency/id/version, latest), valid against the official schemas;
 * `references` works both ways (an association's children are its hierarchy and the DSD; the
 * DSD's and a hierarchy's parents include the associations); a 2.1 format answers 406.
 */
import t, { type Test } from 'tap';
import { MEDIA } from '../../../src/sdmx/media-types.js';
import { testApp } from '../../helpers/app.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';
import { validateJson, validateXml301 } from '../../helpers/validate.js';

const app = await testApp({ env: { DEMO_DATA: 'on' } });
t.teardown(() => app.close());
const get = (url: string, accept: string = MEDIA.structureJson20) => app.inject({ url, headers: { accept } });

type Data = Record<string, { id: string; agencyID: string; linkedHierarchy?: string; linkedObject?: string; contextObject?: string }[]>;
async function json20(t: Test, url: string): Promise<Data> {
  const res = await get(url);
  t.equal(res.statusCode, 200, `${url}: 200`);
  const doc = res.json();
  t.same(validateJson(doc, JSON_SCHEMA.structure20), [], `${url}: SDMX-JSON 2.0.0`);
  return doc.data;
}
const ids = (d: Data, member: string) => (d[member] ?? []).map((a) => a.id).sort();
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

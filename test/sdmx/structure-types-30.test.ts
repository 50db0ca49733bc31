/**
 * The SDMX 3.0-only structure types (no SDMX 2.1 form), as the build produces them: the
 * hierarchy associations and the value list of SOURCE_DETAIL. Each validates against the official SDMX-ML 3.0.1 XSD and the
 * SDMX-JSON 2.0.0 schema, full and as stubs; the committed JSON files equal the build and read
 * back; and the content is checked against the hierarchies and the DSD it links.
 */
import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buildStructures, SDMX_DIR } from '../../src/cli/structures/index.js';
import { buildSdmx30OnlyStructures } from '../../src/cli/structures/sdmx30-only.js';
import { renderStructureFiles, structureFileOf } from '../../src/cli/structures/files.js';
import { writeStructureMl30 } from '../../src/sdmx/ml30/structure-writer.js';
import { writeStructureJson20 } from '../../src/sdmx/json20/structure-writer.js';
import { writeStructureMl21 } from '../../src/sdmx/ml21/structure-writer.js';
import { readArtefactJson } from '../../src/sdmx/model-json.js';
import { additivityOf } from '../../src/sdmx/additivity.js';
import { hierarchies30 } from '../../src/sdmx/hierarchies30.js';
import type { Codelist, DataStructure, HierarchicalCode, HierarchicalCodelist, HierarchyAssociation, Maintainable, ValueList } from '../../src/sdmx/model.js';
import { DEMO_DIR, demoAttributeValues, sourceText } from '../../src/cli/structures/value-lists.js';
import type { StructureMessage } from '../../src/sdmx/message.js';
import { StructureRegistry } from '../../src/sdmx/structure-query/registry.js';
import { itemReferenceProblems } from '../../src/sdmx/structure-query/integrity.js';
import { JSON_SCHEMA } from '../helpers/shared.js';
import { validateJson, validateXml301 } from '../helpers/validate.js';

const base = buildStructures();
const only30 = buildSdmx30OnlyStructures(base);
const all = [...base, ...only30];
const associations = only30.filter((a): a is HierarchyAssociation => a.class === 'HierarchyAssociation');
const header: StructureMessage['header'] = { id: 'TEST', test: true, prepared: '2026-01-01T00:00:00Z', sender: { id: 'UNODC' } };
const registry = new StructureRegistry(all);

t.test('the structures stay consistent with the SDMX 3.0-only artefacts', async (t) => {
  t.same(registry.danglingReferences(), []);
  t.same(itemReferenceProblems(registry), []);
});

t.test('hierarchy associations validate as SDMX-ML 3.0.1 and SDMX-JSON 2.0.0, full and as stubs', async (t) => {
  for (const presentation of ['full', 'stub', 'completestub'] as const) {
    const artefacts = associations.map((a): Maintainable => (presentation === 'full' ? a : { ...a, presentation }));
    const msg: StructureMessage = { header, artefacts };
    const xml = writeStructureMl30(msg);
    t.same(validateXml301(xml), [], `SDMX-ML 3.0.1 (${presentation})`);
    t.equal(xml.match(/<structure:HierarchyAssociation /g)?.length, associations.length, `every association written (${presentation})`);
    const json = writeStructureJson20(msg) as { data: { hierarchyAssociations: object[] } };
    t.same(validateJson(json, JSON_SCHEMA.structure20), [], `SDMX-JSON 2.0.0 (${presentation})`);
    t.equal(json.data.hierarchyAssociations.length, associations.length);
  }
  // With what they link, in one message, as `references=children` answers.
  const withLinked = [...associations, ...base.filter((a) => a.class === 'HierarchicalCodelist' || a.class === 'DataStructure')];
  t.same(validateXml301(writeStructureMl30({ header, artefacts: withLinked })), [], 'with hierarchies and DSD');
  t.same(validateJson(writeStructureJson20({ header, artefacts: withLinked }), JSON_SCHEMA.structure20), []);
});

const valueList = only30.find((a): a is ValueList => a.class === 'ValueList')!;

t.test('the value list validates as SDMX-ML 3.0.1 and SDMX-JSON 2.0.0, full, partial and as stubs', async (t) => {
  const partial: ValueList = { ...valueList, items: valueList.items.slice(0, 2), isPartial: true };
  for (const v of [valueList, partial, { ...valueList, presentation: 'stub' as const }, { ...valueList, presentation: 'completestub' as const }]) {
    const msg: StructureMessage = { header, artefacts: [v] };
    const label = `${v.presentation ?? 'full'}${v.isPartial ? ', partial' : ''}`;
    const xml = writeStructureMl30(msg);
    t.same(validateXml301(xml), [], `SDMX-ML 3.0.1 (${label})`);
    t.equal(xml.match(/<structure:ValueItem /g)?.length ?? 0, v.presentation ? 0 : v.items.length);
    const json = writeStructureJson20(msg) as { data: { valueLists: { valueItems?: unknown[] }[] } };
    t.same(validateJson(json, JSON_SCHEMA.structure20), [], `SDMX-JSON 2.0.0 (${label})`);
    t.equal(json.data.valueLists[0]!.valueItems?.length ?? 0, v.presentation ? 0 : v.items.length);
  }
});

t.test('the value list holds the SOURCE_DETAIL values the demo loader publishes, each with its English text', async (t) => {
  t.equal(valueList.id, 'VL_SOURCE_DETAIL');
  const values = demoAttributeValues(DEMO_DIR, 'SOURCE_DETAIL');
  t.ok(values.length > 100);
  t.same(valueList.items.map((v) => v.id), values);
  t.match(valueList.description, { en: new RegExp(`SOURCE_DETAIL of DSD_CTS.*${values.length} values`), es: /SOURCE_DETAIL/ });
  const dsd = base.find((a): a is DataStructure => a.class === 'DataStructure' && a.id === 'DSD_CTS')!;
  t.notOk(dsd.attributes.find((a) => a.id === 'SOURCE_DETAIL')!.localRepresentation?.enumeration, 'an uncoded component');
  const byId = new Map(valueList.items.map((v) => [v.id, v.name?.en]));
  t.equal(byId.get('CTS/MoI'), 'United Nations Surveys on Crime Trends and the Operations of Criminal Justice Systems (UN-CTS); Ministry of Interior');
  t.equal(byId.get('CTS/WPB-ICPR'), 'United Nations Surveys on Crime Trends and the Operations of Criminal Justice Systems (UN-CTS); WPB-ICPR', 'no label: as written');
  t.equal(byId.get('National Police'), 'National Police', 'GSH values are their own text');
  t.equal(sourceText('Computed', new Map()), 'Computed');
});

t.test('SDMX-ML 2.1 leaves them out', async (t) => {
  t.notMatch(writeStructureMl21({ header, artefacts: [...associations, valueList] }), /HierarchyAssociation|ValueList/);
});

t.test('one association per additive hierarchy and dimension, each linking what exists and matches', async (t) => {
  const hcls = base.filter((a): a is HierarchicalCodelist => a.class === 'HierarchicalCodelist');
  const additive = hcls.flatMap((hcl) => hcl.hierarchies.filter((h) => additivityOf(h) !== undefined).map((h) => h.id));
  t.equal(additive.length, 13, 'the 13 additive hierarchies');
  t.same(associations.map((a) => a.id).sort(), additive.map((id) => `HA_${id}`).sort(), 'one association each (HCL_ICCS is no additive hierarchy)');
  const ha = associations.find((a) => a.id === 'HA_OFFENCE_ICCS_SUMS')!;
  t.same(ha.linkedHierarchy, { hcl: { class: 'HierarchicalCodelist', agencyID: 'UNODC', id: 'HCL_OFFENCE', version: '1.0' } });
  t.same([ha.context.id, ha.linkedComponent.id], ['DSD_CTS', 'OFFENCE']);
  const expectDim: Record<string, string> = { HCL_AREA: 'REF_AREA', HCL_CJ_INDICATOR: 'INDICATOR', HCL_OFFENCE: 'OFFENCE', HCL_SEX: 'SEX', HCL_AGE: 'AGE', HCL_DISAGGREGATION: 'DISAGGREGATION' };
  const codesOf = (cs: readonly HierarchicalCode[]): HierarchicalCode[] => cs.flatMap((c) => [c, ...codesOf(c.children)]);
  for (const a of associations) {
    const hcl = registry.get(a.linkedHierarchy.hcl) as HierarchicalCodelist;
    const dsd = registry.get(a.context) as DataStructure;
    t.ok(hcl && dsd, `${a.id}: hierarchy and DSD exist`);
    t.equal(a.linkedComponent.id, expectDim[hcl.id], `${a.id}: the dimension of ${hcl.id}`);
    // The 3.0 Hierarchy the association names is one that the 3.0 API publishes.
    const published = hierarchies30(hcl);
    const id30 = a.linkedHierarchy.hierarchyID ?? hcl.id;
    const h = published.find((p) => p.identity.id === id30);
    t.ok(h, `${a.id}: Hierarchy ${id30} is published`);
    t.equal(`HA_${h!.hierarchy.id}`, a.id);
    const dim = dsd.dimensions.find((d) => d.id === a.linkedComponent.id)!;
    const cl = registry.get(dim.localRepresentation!.enumeration!) as Codelist;
    const codes = codesOf(h!.hierarchy.hierarchicalCodes);
    t.ok(codes.length > 1);
    t.ok(codes.every((c) => c.code.scheme.id === cl.id && cl.items.some((i) => i.id === c.code.id)), `${a.id}: every code is in ${cl.id}`);
    t.match(a.name, { en: String, es: String });
    t.match(a.description, { en: new RegExp(`dimension ${dim.id} of DSD_CTS`), es: new RegExp(`dimensión ${dim.id} de DSD_CTS`) });
  }
});

t.test('the committed JSON files equal the build and read back', async (t) => {
  const files = renderStructureFiles(only30);
  for (const folder of ['hierarchyassociations', 'valuelists']) {
    const committed = readdirSync(path.join(SDMX_DIR, folder)).map((n) => `${folder}/${n}`).sort();
    t.same(committed, [...files.keys()].filter((f) => f.startsWith(`${folder}/`)), `${folder}: same set of files`);
  }
  for (const a of only30) {
    const rel = structureFileOf(a);
    const text = readFileSync(path.join(SDMX_DIR, rel), 'utf8');
    t.ok(text === files.get(rel), `sdmx/${rel} is up to date`);
    t.same(readArtefactJson(text), a, `${a.id} reads back`);
  }
  t.throws(() => readArtefactJson('{"class":"HierarchyAssociation","agencyID":"UNODC","id":"X","version":"1.0","isFinal":true,"name":{"en":"x"}}'), /linkedHierarchy/);
  t.throws(() => readArtefactJson('{"class":"Codelist"}'), /not one of/);
});

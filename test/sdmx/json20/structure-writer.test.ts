/**
 * SDMX-JSON 2.0.0 structure writer: schema validity (full, stubs, partial schemes, variants) and
 * content, especially where SDMX 3.0 differs from 2.1 (hierarchies, data constraints, measures,
 * usage, attribute relationships, no isFinal).
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeStructureJson20 } from '../../../src/sdmx/json20/structure-writer.js';
import type {
  Codelist,
  ConceptScheme,
  ContentConstraint,
  DataStructure,
  HierarchicalCodelist,
  Maintainable,
  Presentation,
} from '../../../src/sdmx/model.js';
import type { StructureMessage } from '../../../src/sdmx/message.js';
import {
  allowedConstraint,
  clOffence,
  conceptScheme,
  dsd,
  hcl,
  sampleHeader,
  sampleMessage,
} from '../../fixtures/sample-structures.js';
import { validateJson } from '../../helpers/validate.js';
import { JSON_SCHEMA, SDMX_SAMPLES } from '../../helpers/shared.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const write = (msg: StructureMessage) => writeStructureJson20(msg) as J;
const valid = (doc: unknown) => validateJson(doc, JSON_SCHEMA.structure20);
const msgOf = (artefacts: readonly Maintainable[], languages?: string[]): StructureMessage => ({
  header: { ...sampleHeader, languages },
  artefacts,
});
const find = (doc: J, key: string, id: string): J => doc.data[key].find((a: J) => a.id === id);
const URN = 'urn:sdmx:org.sdmx.infomodel.';

t.test('the validator accepts a published 2.0.0 sample and is not vacuous', async (t) => {
  const file = path.join(SDMX_SAMPLES, 'khaeru-sdmx-test-data/v3/json/structure/constructed-sample.json');
  t.same(valid(JSON.parse(readFileSync(file, 'utf8'))), []);
  const doc = write(sampleMessage);
  doc.data.dataStructures[0].dataStructureComponents.dimensionList.id = 'Dimensions';
  doc.data.dataflows[0].structure = 'urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_FREQ(1.0)';
  t.ok(valid(doc).length >= 2);
});

t.test('the full sample validates and has one array per class, named as in the schema', async (t) => {
  const doc = write(sampleMessage);
  t.same(valid(doc), []);
  t.same(Object.keys(doc.data).sort(), [
    'agencySchemes',
    'categorisations',
    'categorySchemes',
    'codelists',
    'conceptSchemes',
    'dataConstraints',
    'dataProviderSchemes',
    'dataStructures',
    'dataflows',
    'hierarchies',
    'provisionAgreements',
  ]);
  t.match(doc.meta.schema, /2\.0\.0\/sdmx-json-structure-schema\.json$/);
  t.same(doc.meta.contentLanguages, ['en', 'es']);
  t.same(doc.meta.sender, { id: 'TEST', name: 'Test sender', names: { en: 'Test sender' } });
  for (const list of Object.values(doc.data as Record<string, J[]>)) {
    for (const a of list) t.notOk('isFinal' in a, `no isFinal in SDMX 3.0 (${a.id})`);
  }
});

t.test('codes, concepts and categories', async (t) => {
  const cs: ConceptScheme = {
    ...conceptScheme,
    items: [...conceptScheme.items, { id: 'OBS_STATUS_SUB', parentID: 'OBS_STATUS', name: { en: 'Sub status' } }],
  };
  const doc = write(msgOf([...sampleMessage.artefacts.filter((a) => a.class !== 'ConceptScheme'), cs]));
  t.same(valid(doc), []);
  const cl = find(doc, 'codelists', 'CL_OFFENCE');
  t.equal(cl.codes.length, 5);
  t.equal(cl.isPartial, false);
  t.equal(cl.codes.find((c: J) => c.id === '01031').parent, '0103');
  t.same(cl.codes[0].names, {
    en: 'Acts leading to death or intending to cause death',
    es: 'Actos que causan la muerte o que tienen la intención de causar la muerte',
  });
  t.equal(cl.codes[0].links[0].urn, `${URN}codelist.Code=TEST:CL_OFFENCE(1.0).01`);
  const concepts = find(doc, 'conceptSchemes', 'CS_TEST').concepts;
  t.equal(concepts[7].parent, 'OBS_STATUS', 'a concept parent is an id in 2.0.0');
  t.same(concepts[0].coreRepresentation, { enumeration: `${URN}codelist.Codelist=TEST:CL_FREQ(1.0)` });
  const cats = find(doc, 'categorySchemes', 'CAT_THEMES').categories;
  t.same(
    cats.map((c: J) => c.id),
    ['CRIME', 'JUSTICE'],
  );
  t.equal(cats[1].categories[0].id, 'COURTS');
  t.equal(cats[1].categories[0].links[0].urn, `${URN}categoryscheme.Category=TEST:CAT_THEMES(1.0).JUSTICE.COURTS`);
});

t.test('name follows the preferred languages', async (t) => {
  const doc = write(msgOf([clOffence], ['es']));
  t.same(valid(doc), []);
  const cl = doc.data.codelists[0];
  t.equal(cl.name, 'Delito');
  t.same(cl.names, { en: 'Offence', es: 'Delito' });
  t.equal(cl.description, 'A slice of ICCS with a hierarchy');
  t.equal(cl.codes[2].name, 'Homicidio no intencional');
  t.same(doc.meta.contentLanguages, ['es', 'en']);
});

t.test('data structure components', async (t) => {
  const ds = find(write(sampleMessage), 'dataStructures', 'DSD_TEST');
  t.equal(ds.links[0].urn, `${URN}datastructure.DataStructure=TEST:DSD_TEST(1.0)`);
  const comps = ds.dataStructureComponents;
  const dl = comps.dimensionList;
  t.equal(dl.id, 'DimensionDescriptor');
  t.same(
    dl.dimensions.map((d: J) => [d.id, d.position]),
    [
      ['FREQ', 0],
      ['REF_AREA', 1],
      ['OFFENCE', 2],
    ],
    'positions start at 0 (2.0.0 field guide)',
  );
  t.same(dl.dimensions[1].localRepresentation, { enumeration: `${URN}codelist.Codelist=TEST:CL_AREA(1.0)` });
  t.same(dl.timeDimension, {
    id: 'TIME_PERIOD',
    conceptIdentity: `${URN}conceptscheme.Concept=TEST:CS_TEST(1.0).TIME_PERIOD`,
    localRepresentation: { format: { dataType: 'ObservationalTimePeriod' } },
  });
  const [obsStatus, comment] = comps.attributeList.attributes;
  t.equal(comps.attributeList.id, 'AttributeDescriptor');
  t.equal(obsStatus.usage, 'mandatory');
  t.same(obsStatus.attributeRelationship, { observation: {} });
  t.equal(comment.usage, 'optional');
  t.same(comment.attributeRelationship, { dimensions: ['FREQ', 'REF_AREA', 'OFFENCE'] });
  t.same(comment.localRepresentation, { format: { dataType: 'String', maxLength: 1050 } });
  t.same(comps.measureList, {
    id: 'MeasureDescriptor',
    measures: [
      {
        id: 'OBS_VALUE',
        usage: 'optional',
        conceptIdentity: `${URN}conceptscheme.Concept=TEST:CS_TEST(1.0).OBS_VALUE`,
        localRepresentation: { format: { dataType: 'Double' } },
      },
    ],
  });
});

t.test('groups and data set / group attributes', async (t) => {
  const d: DataStructure = {
    ...dsd,
    groups: [{ id: 'SIBLING', dimensions: ['REF_AREA', 'OFFENCE'] }],
    attributes: [
      { ...dsd.attributes[1], id: 'UNIT_MULT', relationship: { kind: 'DataSet' } },
      { ...dsd.attributes[1], id: 'TITLE', relationship: { kind: 'Group', group: 'SIBLING' } },
    ],
  };
  const doc = write(msgOf([d]));
  t.same(valid(doc), []);
  const comps = doc.data.dataStructures[0].dataStructureComponents;
  t.same(comps.groups, [{ id: 'SIBLING', groupDimensions: ['REF_AREA', 'OFFENCE'] }]);
  t.same(comps.attributeList.attributes[0].attributeRelationship, { dataflow: {} });
  t.same(comps.attributeList.attributes[1].attributeRelationship, { group: 'SIBLING' });
  const bare = write(msgOf([{ ...dsd, attributes: [] }]));
  t.same(valid(bare), []);
  t.notOk('attributeList' in bare.data.dataStructures[0].dataStructureComponents, 'no empty attribute list');
});

t.test('references between artefacts are URNs', async (t) => {
  const doc = write(sampleMessage);
  t.equal(find(doc, 'dataflows', 'DF_TEST').structure, `${URN}datastructure.DataStructure=TEST:DSD_TEST(1.0)`);
  const cat = find(doc, 'categorisations', 'CAT_DF_TEST_CRIME');
  t.equal(cat.source, `${URN}datastructure.Dataflow=TEST:DF_TEST(1.0)`);
  t.equal(cat.target, `${URN}categoryscheme.Category=TEST:CAT_THEMES(1.0).CRIME`);
  const pa = find(doc, 'provisionAgreements', 'PA_DF_TEST_P1');
  t.equal(pa.dataflow, `${URN}datastructure.Dataflow=TEST:DF_TEST(1.0)`);
  t.equal(pa.dataProvider, `${URN}base.DataProvider=TEST:DATA_PROVIDERS(1.0).P1`);
  t.notOk('structureUsage' in pa);
});

t.test('content constraints become data constraints', async (t) => {
  const dc = find(write(sampleMessage), 'dataConstraints', 'CR_A_DF_TEST');
  t.equal(dc.role, 'Allowed');
  t.equal(dc.links[0].urn, `${URN}registry.DataConstraint=TEST:CR_A_DF_TEST(1.0)`);
  t.same(dc.constraintAttachment, { dataflows: [`${URN}datastructure.Dataflow=TEST:DF_TEST(1.0)`] });
  t.same(dc.cubeRegions, [
    {
      include: true,
      keyValues: [
        { id: 'FREQ', values: ['A'] },
        { id: 'OFFENCE', values: ['0101', '0103'] },
      ],
    },
  ]);
  const actual: ContentConstraint = {
    ...allowedConstraint,
    constraintType: 'Actual',
    referencePeriod: { startTime: '2010-01-01T00:00:00Z', endTime: '2020-12-31T23:59:59Z' },
    cubeRegions: [{ include: true, keyValues: [{ id: 'FREQ', values: ['A'] }, { id: 'REF_AREA', values: [] }] }],
  };
  const doc = write(msgOf([actual]));
  t.same(valid(doc), []);
  t.equal(doc.data.dataConstraints[0].role, 'Actual');
  t.notOk('referencePeriod' in doc.data.dataConstraints[0], 'SDMX 3.0 has no reference period');
  t.same(doc.data.dataConstraints[0].cubeRegions[0].keyValues, [{ id: 'FREQ', values: ['A'] }], 'empty selections dropped');
});

t.test('a hierarchical codelist with one hierarchy becomes one Hierarchy with its id', async (t) => {
  const doc = write(sampleMessage);
  t.equal(doc.data.hierarchies.length, 1);
  const h = doc.data.hierarchies[0];
  t.equal(h.id, 'HCL_OFFENCE');
  t.equal(h.name, 'Offence tree');
  t.equal(h.agencyID, 'TEST');
  t.equal(h.version, '1.0');
  t.equal(h.links[0].urn, `${URN}codelist.Hierarchy=TEST:HCL_OFFENCE(1.0)`);
  t.equal(h.hasFormalLevels, true);
  t.equal(h.level.id, 'SECTION');
  t.equal(h.level.level.id, 'DIVISION');
  const top = h.hierarchicalCodes[0];
  t.same(top, {
    id: '01',
    code: `${URN}codelist.Code=TEST:CL_OFFENCE(1.0).01`,
    codeID: '01',
    level: 'SECTION',
    hierarchicalCodes: [{ id: '0101', code: `${URN}codelist.Code=TEST:CL_OFFENCE(1.0).0101`, codeID: '0101', level: 'DIVISION' }],
  });
});

t.test('a hierarchical codelist with several hierarchies becomes one Hierarchy each', async (t) => {
  const two: HierarchicalCodelist = {
    ...hcl,
    hierarchies: [
      hcl.hierarchies[0],
      {
        id: 'FLAT',
        name: { en: 'Flat list', es: 'Lista plana' },
        hierarchicalCodes: [{ id: '0103', code: { ...hcl.hierarchies[0].hierarchicalCodes[0].code, id: '0103' }, children: [] }],
      },
    ],
  };
  const doc = write(msgOf([two]));
  t.same(valid(doc), []);
  const [a, b] = doc.data.hierarchies;
  // The hierarchy's own id, as SDMX-ML 3.0 writes it (src/sdmx/hierarchies30.ts).
  t.equal(a.id, 'TREE');
  t.equal(a.name, 'Offence hierarchy');
  t.equal(b.id, 'FLAT');
  t.same(b.names, { en: 'Flat list', es: 'Lista plana' });
  t.equal(b.hasFormalLevels, false);
  t.notOk('level' in b);
  t.equal(b.links[0].urn, `${URN}codelist.Hierarchy=TEST:FLAT(1.0)`);
  const none = write(msgOf([{ ...hcl, hierarchies: [] }]));
  t.same(valid(none), []);
  t.same(
    none.data.hierarchies.map((h: J) => h.id),
    ['HCL_OFFENCE'],
    'an HCL without hierarchies is not lost',
  );
});

const withPresentation = (p: Presentation) => msgOf(sampleMessage.artefacts.map((a) => ({ ...a, presentation: p }) as Maintainable));

t.test('stubs: id, agency, version and names only', async (t) => {
  const doc = write(withPresentation('stub'));
  t.same(valid(doc), []);
  for (const [key, list] of Object.entries(doc.data as Record<string, J[]>)) {
    for (const a of list) t.same(Object.keys(a).sort(), ['agencyID', 'id', 'name', 'names', 'version'], `${key} ${a.id}`);
  }
});

t.test('complete stubs add description and annotations, still no content', async (t) => {
  const doc = write(withPresentation('completestub'));
  t.same(valid(doc), []);
  t.same(Object.keys(find(doc, 'codelists', 'CL_OFFENCE')).sort(), [
    'agencyID',
    'annotations',
    'description',
    'descriptions',
    'id',
    'name',
    'names',
    'version',
  ]);
  t.notOk('dataStructureComponents' in find(doc, 'dataStructures', 'DSD_TEST'));
  t.notOk('hierarchicalCodes' in find(doc, 'hierarchies', 'HCL_OFFENCE'));
  t.notOk('dataflow' in find(doc, 'provisionAgreements', 'PA_DF_TEST_P1'));
});

t.test('partial item schemes', async (t) => {
  const partial: Codelist = { ...clOffence, isPartial: true, items: clOffence.items.slice(3) };
  const doc = write(msgOf([partial]));
  t.same(valid(doc), []);
  t.equal(doc.data.codelists[0].isPartial, true);
  t.equal(doc.data.codelists[0].codes.length, 2);
  const empty = write(msgOf([{ ...clOffence, isPartial: true, items: [] }]));
  t.same(valid(empty), [], 'no empty codes array (minItems 1)');
});

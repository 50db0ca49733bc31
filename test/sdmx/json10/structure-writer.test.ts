/**
 * SDMX-JSON 1.0 structure writer: schema validity (full, stubs, partial schemes, variants) and
 * content (items, parents, languages, URN references, DSD components, constraints, HCLs).
 */
import t from 'tap';
import { writeStructureJson10 } from '../../../src/sdmx/json10/structure-writer.js';
import type { Maintainable, Presentation, DataStructure, ConceptScheme, Codelist } from '../../../src/sdmx/model.js';
import type { StructureMessage } from '../../../src/sdmx/message.js';
import { sampleMessage, sampleHeader, dsd, conceptScheme, clOffence } from '../../fixtures/sample-structures.js';
import { validateJson } from '../../helpers/validate.js';
import { JSON_SCHEMA } from '../../helpers/shared.js';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const write = (msg: StructureMessage) => writeStructureJson10(msg) as J;
const valid = (doc: unknown) => validateJson(doc, JSON_SCHEMA.structure10);
const msgOf = (artefacts: readonly Maintainable[], languages?: string[]): StructureMessage => ({
  header: { ...sampleHeader, languages },
  artefacts,
});
const find = (doc: J, key: string, id: string): J => doc.data[key].find((a: J) => a.id === id);
const URN = 'urn:sdmx:org.sdmx.infomodel.';

t.test('the full sample validates and has one array per class, named as in the schema', async (t) => {
  const doc = write(sampleMessage);
  t.same(valid(doc), []);
  t.same(Object.keys(doc.data).sort(), [
    'agencySchemes',
    'categorisations',
    'categorySchemes',
    'codelists',
    'conceptSchemes',
    'contentConstraints',
    'dataProviderSchemes',
    'dataStructures',
    'dataflows',
    'hierarchicalCodelists',
    'provisionAgreements',
  ]);
  t.equal(doc.data.codelists.length, 4);
  t.same(
    doc.data.codelists.map((c: J) => c.id),
    ['CL_FREQ', 'CL_OFFENCE', 'CL_AREA', 'CL_OBS_STATUS'],
    'message order kept within a class',
  );
  t.notOk('errors' in doc, 'data and errors never coexist');
});

t.test('the validator is not vacuous', async (t) => {
  const doc = write(sampleMessage);
  delete doc.data.dataStructures[0].dataStructureComponents.dimensionList.dimensions[0].conceptIdentity;
  doc.data.codelists[0].codes[0].parent = 'not an id!';
  t.ok(valid(doc).length >= 2);
});

t.test('meta', async (t) => {
  const doc = write(sampleMessage);
  t.equal(doc.meta.id, 'IREF000001');
  t.equal(doc.meta.test, false);
  t.equal(doc.meta.prepared, '2026-11-21T05:30:01Z');
  t.same(doc.meta.sender, { id: 'TEST', name: 'Test sender', names: { en: 'Test sender' } });
  t.same(doc.meta.contentLanguages, ['en', 'es']);
  t.match(doc.meta.schema, /1\.0\/sdmx-json-structure-schema\.json$/);
});

t.test('maintainable properties and self URN', async (t) => {
  const cl = find(write(sampleMessage), 'codelists', 'CL_OFFENCE');
  t.equal(cl.agencyID, 'TEST');
  t.equal(cl.version, '1.0');
  t.equal(cl.isFinal, true);
  t.equal(cl.isPartial, false);
  t.same(cl.links, [{ rel: 'self', urn: `${URN}codelist.Codelist=TEST:CL_OFFENCE(1.0)` }]);
  t.same(cl.annotations, [{ id: 'SOURCE', title: 'ICCS v1.0', type: 'NOTE', text: 'Subset for tests', texts: { en: 'Subset for tests' } }]);
});

t.test('codes: count, parents by id, names per language, item URNs', async (t) => {
  const cl = find(write(sampleMessage), 'codelists', 'CL_OFFENCE');
  t.equal(cl.codes.length, 5);
  const code = (id: string) => cl.codes.find((c: J) => c.id === id);
  t.notOk('parent' in code('01'));
  t.equal(code('0101').parent, '01');
  t.equal(code('010321').parent, '01031');
  t.same(code('0101').names, { en: 'Intentional homicide', es: 'Homicidio intencional' });
  t.equal(code('0101').name, 'Intentional homicide');
  t.equal(code('010321').description, 'Escaping test: & < > " \'');
  t.same(code('0101').links, [{ rel: 'self', urn: `${URN}codelist.Code=TEST:CL_OFFENCE(1.0).0101` }]);
  t.same(cl.names, { en: 'Offence', es: 'Delito' });
});

t.test('name follows the preferred languages, with English then any language as fallback', async (t) => {
  const onlyFr: Codelist = { ...clOffence, id: 'CL_FR', name: { fr: 'Infraction' }, items: [] };
  const doc = write(msgOf([clOffence, onlyFr, conceptScheme], ['es-MX', 'fr']));
  t.same(valid(doc), []);
  const cl = find(doc, 'codelists', 'CL_OFFENCE');
  t.equal(cl.name, 'Delito', 'es-MX falls back to es (RFC 4647 lookup)');
  t.equal(cl.description, 'A slice of ICCS with a hierarchy', 'no Spanish description: English');
  t.equal(cl.codes[1].name, 'Homicidio intencional');
  t.same(cl.names, { en: 'Offence', es: 'Delito' }, 'names keep every language');
  t.equal(find(doc, 'codelists', 'CL_FR').name, 'Infraction');
  t.notOk('codes' in find(doc, 'codelists', 'CL_FR'), 'no empty item arrays');
  t.equal(find(doc, 'conceptSchemes', 'CS_TEST').name, 'Test concepts');
  t.same(doc.meta.contentLanguages, ['es', 'en', 'fr']);
  const other = write(msgOf([{ ...onlyFr, name: { fr: 'Infraction', de: 'Straftat' } }], ['it']));
  t.equal(other.data.codelists[0].name, 'Infraction', 'no English: the first language');
});

t.test('concepts: core representation and parent as URN', async (t) => {
  const cs: ConceptScheme = {
    ...conceptScheme,
    items: [...conceptScheme.items, { id: 'OBS_STATUS_SUB', parentID: 'OBS_STATUS', name: { en: 'Sub status' } }],
  };
  const doc = write(msgOf([cs]));
  t.same(valid(doc), []);
  const concepts = doc.data.conceptSchemes[0].concepts;
  t.equal(concepts.length, 8);
  t.same(concepts[0].coreRepresentation, { enumeration: `${URN}codelist.Codelist=TEST:CL_FREQ(1.0)` });
  t.equal(concepts[7].parent, `${URN}conceptscheme.Concept=TEST:CS_TEST(1.0).OBS_STATUS`);
});

t.test('categories are nested, with path URNs', async (t) => {
  const cs = find(write(sampleMessage), 'categorySchemes', 'CAT_THEMES');
  t.same(
    cs.categories.map((c: J) => c.id),
    ['CRIME', 'JUSTICE'],
  );
  t.notOk('categories' in cs.categories[0]);
  const courts = cs.categories[1].categories;
  t.equal(courts.length, 1);
  t.equal(courts[0].id, 'COURTS');
  t.notOk('parent' in courts[0]);
  t.equal(courts[0].links[0].urn, `${URN}categoryscheme.Category=TEST:CAT_THEMES(1.0).JUSTICE.COURTS`);
});

t.test('agencies and data providers', async (t) => {
  const doc = write(sampleMessage);
  const ag = find(doc, 'agencySchemes', 'AGENCIES');
  t.equal(ag.agencyID, 'SDMX');
  t.same(ag.agencies[0].names, { en: 'Test agency', es: 'Agencia de prueba' });
  t.equal(ag.agencies[0].links[0].urn, `${URN}base.Agency=SDMX:AGENCIES(1.0).TEST`);
  t.same(
    find(doc, 'dataProviderSchemes', 'DATA_PROVIDERS').dataProviders.map((p: J) => p.id),
    ['P1', 'P2'],
  );
});

t.test('data structure components', async (t) => {
  const comps = find(write(sampleMessage), 'dataStructures', 'DSD_TEST').dataStructureComponents;
  const dl = comps.dimensionList;
  t.same(
    dl.dimensions.map((d: J) => [d.id, d.position, d.type]),
    [
      ['FREQ', 0, 'Dimension'],
      ['REF_AREA', 1, 'Dimension'],
      ['OFFENCE', 2, 'Dimension'],
    ],
    'positions start at 0 (1.0 field guide)',
  );
  t.equal(dl.dimensions[0].conceptIdentity, `${URN}conceptscheme.Concept=TEST:CS_TEST(1.0).FREQ`);
  t.same(dl.dimensions[2].localRepresentation, { enumeration: `${URN}codelist.Codelist=TEST:CL_OFFENCE(1.0)` });
  t.same(dl.timeDimensions, [
    {
      id: 'TIME_PERIOD',
      position: 3,
      type: 'TimeDimension',
      conceptIdentity: `${URN}conceptscheme.Concept=TEST:CS_TEST(1.0).TIME_PERIOD`,
      localRepresentation: { textFormat: { textType: 'ObservationalTimePeriod' } },
    },
  ]);
  const [obsStatus, comment] = comps.attributeList.attributes;
  t.equal(obsStatus.assignmentStatus, 'Mandatory');
  t.same(obsStatus.attributeRelationship, { primaryMeasure: 'OBS_VALUE' });
  t.equal(comment.assignmentStatus, 'Conditional');
  t.same(comment.attributeRelationship, { dimensions: ['FREQ', 'REF_AREA', 'OFFENCE'] });
  t.same(comment.localRepresentation, { textFormat: { textType: 'String', maxLength: 1050 } });
  t.same(comps.measureList.primaryMeasure, {
    id: 'OBS_VALUE',
    conceptIdentity: `${URN}conceptscheme.Concept=TEST:CS_TEST(1.0).OBS_VALUE`,
    localRepresentation: { textFormat: { textType: 'Double' } },
  });
});

t.test('groups, data set and group attributes, concept roles', async (t) => {
  const role = { class: 'Concept' as const, scheme: dsd.dimensions[0].conceptIdentity.scheme, id: 'FREQ' };
  const d: DataStructure = {
    ...dsd,
    dimensions: [{ ...dsd.dimensions[0], conceptRoles: [role] }, ...dsd.dimensions.slice(1)],
    groups: [{ id: 'SIBLING', dimensions: ['REF_AREA', 'OFFENCE'] }],
    attributes: [
      ...dsd.attributes,
      { ...dsd.attributes[1], id: 'UNIT_MULT', relationship: { kind: 'DataSet' } },
      { ...dsd.attributes[1], id: 'TITLE', relationship: { kind: 'Group', group: 'SIBLING' } },
    ],
  };
  const doc = write(msgOf([d]));
  t.same(valid(doc), []);
  const comps = doc.data.dataStructures[0].dataStructureComponents;
  t.same(comps.groups, [{ id: 'SIBLING', groupDimensions: ['REF_AREA', 'OFFENCE'] }]);
  t.same(comps.attributeList.attributes[2].attributeRelationship, { none: {} });
  t.same(comps.attributeList.attributes[3].attributeRelationship, { group: 'SIBLING' });
  t.same(comps.dimensionList.dimensions[0].conceptRoles, [`${URN}conceptscheme.Concept=TEST:CS_TEST(1.0).FREQ`]);
});

t.test('references between artefacts are URNs', async (t) => {
  const doc = write(sampleMessage);
  t.equal(find(doc, 'dataflows', 'DF_TEST').structure, `${URN}datastructure.DataStructure=TEST:DSD_TEST(1.0)`);
  const cat = find(doc, 'categorisations', 'CAT_DF_TEST_CRIME');
  t.equal(cat.source, `${URN}datastructure.Dataflow=TEST:DF_TEST(1.0)`);
  t.equal(cat.target, `${URN}categoryscheme.Category=TEST:CAT_THEMES(1.0).CRIME`);
  const pa = find(doc, 'provisionAgreements', 'PA_DF_TEST_P1');
  t.equal(pa.structureUsage, `${URN}datastructure.Dataflow=TEST:DF_TEST(1.0)`);
  t.equal(pa.dataProvider, `${URN}base.DataProvider=TEST:DATA_PROVIDERS(1.0).P1`);
});

t.test('content constraints', async (t) => {
  const cc = find(write(sampleMessage), 'contentConstraints', 'CR_A_DF_TEST');
  t.equal(cc.type, 'Allowed');
  t.same(cc.constraintAttachment, { dataflows: [`${URN}datastructure.Dataflow=TEST:DF_TEST(1.0)`] });
  t.same(cc.cubeRegions, [
    {
      isIncluded: true,
      keyValues: [
        { id: 'FREQ', values: ['A'] },
        { id: 'OFFENCE', values: ['0101', '0103'] },
      ],
    },
  ]);
  t.equal(cc.links[0].urn, `${URN}registry.ContentConstraint=TEST:CR_A_DF_TEST(1.0)`);
  const actual = write(
    msgOf([
      {
        ...sampleMessage.artefacts.find((a) => a.class === 'ContentConstraint')!,
        constraintType: 'Actual',
        referencePeriod: { startTime: '2010-01-01T00:00:00Z', endTime: '2020-12-31T23:59:59Z' },
      } as Maintainable,
    ]),
  );
  t.same(valid(actual), []);
  t.same(actual.data.contentConstraints[0].referencePeriod, { startTime: '2010-01-01T00:00:00Z', endTime: '2020-12-31T23:59:59Z' });
});

t.test('hierarchical codelists', async (t) => {
  const h = find(write(sampleMessage), 'hierarchicalCodelists', 'HCL_OFFENCE');
  t.same(h.includedCodelists, { OFF: `${URN}codelist.Codelist=TEST:CL_OFFENCE(1.0)` });
  t.equal(h.hierarchies.length, 1);
  const hy = h.hierarchies[0];
  t.equal(hy.id, 'TREE');
  t.equal(hy.leveled, true);
  t.equal(hy.level.id, 'SECTION');
  t.equal(hy.level.level.id, 'DIVISION');
  const top = hy.hierarchicalCodes[0];
  t.equal(top.code, `${URN}codelist.Code=TEST:CL_OFFENCE(1.0).01`);
  t.equal(top.level, `${URN}codelist.Level=TEST:HCL_OFFENCE(1.0).TREE.SECTION`);
  t.equal(top.hierarchicalCodes[0].code, `${URN}codelist.Code=TEST:CL_OFFENCE(1.0).0101`);
  t.equal(top.hierarchicalCodes[0].codeID, '0101', 'the code id besides the URN');
  t.equal(top.hierarchicalCodes[0].codelistAliasRef, 'OFF', "and the alias of the code's codelist");
  t.equal(top.hierarchicalCodes[0].level, `${URN}codelist.Level=TEST:HCL_OFFENCE(1.0).TREE.SECTION.DIVISION`);
  t.notOk('hierarchicalCodes' in top.hierarchicalCodes[0]);
});

const withPresentation = (p: Presentation) => msgOf(sampleMessage.artefacts.map((a) => ({ ...a, presentation: p }) as Maintainable));

t.test('stubs: id, agency, version and names only', async (t) => {
  const doc = write(withPresentation('stub'));
  t.same(valid(doc), []);
  for (const [key, list] of Object.entries(doc.data as Record<string, J[]>)) {
    for (const a of list) {
      // ProvisionAgreementType requires its two references, so the stub keeps them.
      const extra = key === 'provisionAgreements' ? ['dataProvider', 'structureUsage'] : [];
      t.same(Object.keys(a).sort(), ['agencyID', 'id', 'name', 'names', 'version', ...extra].sort(), `${key} ${a.id}`);
    }
  }
});

t.test('complete stubs add description, annotations and isFinal, still no content', async (t) => {
  const doc = write(withPresentation('completestub'));
  t.same(valid(doc), []);
  const cl = find(doc, 'codelists', 'CL_OFFENCE');
  t.same(Object.keys(cl).sort(), ['agencyID', 'annotations', 'description', 'descriptions', 'id', 'isFinal', 'name', 'names', 'version']);
  const ds = find(doc, 'dataStructures', 'DSD_TEST');
  t.notOk('dataStructureComponents' in ds);
  t.equal(ds.isFinal, true);
  t.notOk('structure' in find(doc, 'dataflows', 'DF_TEST'));
  t.notOk('hierarchies' in find(doc, 'hierarchicalCodelists', 'HCL_OFFENCE'));
});

t.test('partial item schemes', async (t) => {
  const partial: Codelist = { ...clOffence, isPartial: true, items: clOffence.items.filter((c) => c.id.startsWith('0103')) };
  const doc = write(msgOf([partial]));
  t.same(valid(doc), []);
  const cl = doc.data.codelists[0];
  t.equal(cl.isPartial, true);
  t.equal(cl.codes.length, 3);
  t.equal(cl.codes[0].parent, '01', 'a parent outside the subset is still named');
});

t.test('an empty message still validates', async (t) => {
  const doc = write(msgOf([]));
  t.same(valid(doc), []);
  t.same(doc.data, {});
  t.same(doc.meta.contentLanguages, ['en'], 'the sender name is the only text');
});

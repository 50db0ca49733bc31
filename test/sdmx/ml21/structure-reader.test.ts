/**
 * SDMX-ML 2.1 structure reader: round trips through the writer (every sample artefact and a set
 * of extra artefacts covering the optional model fields), clear errors on malformed or
 * incomplete input, and reading real third-party 2.1 messages.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readStructureMl21 } from '../../../src/sdmx/ml21/structure-reader.js';
import { writeStructureMl21 } from '../../../src/sdmx/ml21/structure-writer.js';
import {
  refKey,
  refOf,
  type Categorisation,
  type Codelist,
  type ConceptScheme,
  type ContentConstraint,
  type DataStructure,
  type ItemRef,
  type Maintainable,
} from '../../../src/sdmx/model.js';
import { sampleArtefacts, sampleHeader } from '../../fixtures/sample-structures.js';
import { SDMX_SAMPLES } from '../../helpers/shared.js';
import { validateXml21 } from '../../helpers/validate.js';

// ---------------------------------------------------------------------------------------------
// Extra artefacts: what the shared sample does not exercise (groups, every attribute
// relationship, concept roles, component annotations, text-format facets, enumeration plus
// format, concept parents, a partial codelist, validity dates, annotation URLs, reference
// periods, excluded regions, a categorisation to a nested category).

const cs = { class: 'ConceptScheme', agencyID: 'TEST', id: 'CS_EXTRA', version: '2.0' } as const;
const concept = (id: string): ItemRef => ({ class: 'Concept', scheme: cs, id });

const extraConcepts: ConceptScheme = {
  class: 'ConceptScheme',
  agencyID: 'TEST',
  id: 'CS_EXTRA',
  version: '2.0',
  isFinal: false,
  validFrom: '2020-01-01T00:00:00Z',
  validTo: '2030-12-31T23:59:59Z',
  name: { en: 'Extra concepts', fr: 'Concepts supplémentaires' },
  annotations: [{ title: 'only a title' }, { id: 'LINK', url: 'https://example.org/a?b=1&c=2', text: { en: 'see', fr: 'voir' } }],
  items: [
    { id: 'FREQ', name: { en: 'Frequency' }, coreRepresentation: { textFormat: { textType: 'String', minLength: 1, maxLength: 3, pattern: '[A-Z]+' } } },
    { id: 'SUB_FREQ', parentID: 'FREQ', name: { en: 'Sub-frequency' }, description: { en: 'Child concept' } },
    { id: 'REF_AREA', name: { en: 'Area' } },
    { id: 'TIME_PERIOD', name: { en: 'Time' } },
    { id: 'OBS_VALUE', name: { en: 'Value' }, coreRepresentation: { textFormat: { textType: 'Decimal', minValue: -1.5, maxValue: 1e6 } } },
    { id: 'UNIT', name: { en: 'Unit' } },
    { id: 'TITLE', name: { en: 'Title' } },
    { id: 'CONF', name: { en: 'Confidentiality' } },
  ],
};

const extraDsd: DataStructure = {
  class: 'DataStructure',
  agencyID: 'TEST',
  id: 'DSD_EXTRA',
  version: '2.0',
  isFinal: false,
  name: { en: 'Extra DSD' },
  dimensions: [
    {
      id: 'FREQ',
      position: 1,
      conceptIdentity: concept('FREQ'),
      localRepresentation: { enumeration: { class: 'Codelist', agencyID: 'TEST', id: 'CL_FREQ', version: '1.0' }, textFormat: { maxLength: 1 } },
      conceptRoles: [concept('SUB_FREQ')],
      annotations: [{ type: 'NOTE', text: { en: 'dimension note' } }],
    },
    { id: 'REF_AREA', position: 2, conceptIdentity: concept('REF_AREA') },
  ],
  timeDimension: { id: 'TIME_PERIOD', position: 3, conceptIdentity: concept('TIME_PERIOD'), localRepresentation: { textFormat: { textType: 'GregorianYear' } } },
  groups: [{ id: 'SIBLING', dimensions: ['REF_AREA'], annotations: [{ id: 'G' }] }],
  attributes: [
    { id: 'TITLE', conceptIdentity: concept('TITLE'), assignmentStatus: 'Conditional', relationship: { kind: 'DataSet' } },
    {
      id: 'UNIT',
      conceptIdentity: concept('UNIT'),
      assignmentStatus: 'Mandatory',
      relationship: { kind: 'Group', group: 'SIBLING' },
      conceptRoles: [concept('UNIT')],
    },
    { id: 'CONF', conceptIdentity: concept('CONF'), assignmentStatus: 'Conditional', relationship: { kind: 'Dimensions', dimensions: ['FREQ'] } },
  ],
  primaryMeasure: { id: 'OBS_VALUE', conceptIdentity: concept('OBS_VALUE'), annotations: [{ title: 'measure' }] },
};

const partialCodelist: Codelist = {
  class: 'Codelist',
  agencyID: 'TEST',
  id: 'CL_PARTIAL',
  version: '1.0',
  isFinal: true,
  isPartial: true,
  name: { en: 'Partial: child without its parent' },
  items: [{ id: '0101', parentID: '01', name: { en: 'Intentional homicide' } }],
};

const nestedCategorisation: Categorisation = {
  class: 'Categorisation',
  agencyID: 'TEST',
  id: 'CAT_NESTED',
  version: '1.0',
  isFinal: true,
  name: { en: 'DSD in courts' },
  source: { class: 'DataStructure', agencyID: 'TEST', id: 'DSD_EXTRA', version: '2.0' },
  target: { class: 'Category', scheme: { class: 'CategoryScheme', agencyID: 'TEST', id: 'CAT_THEMES', version: '1.0' }, id: 'JUSTICE.COURTS' },
};

const actualConstraint: ContentConstraint = {
  class: 'ContentConstraint',
  agencyID: 'TEST',
  id: 'CR_ACTUAL',
  version: '1.0',
  isFinal: false,
  name: { en: 'Actual content' },
  constraintType: 'Actual',
  constraintAttachment: [
    { class: 'DataStructure', agencyID: 'TEST', id: 'DSD_EXTRA', version: '2.0' },
    { class: 'DataStructure', agencyID: 'TEST', id: 'DSD_TEST', version: '1.0' },
  ],
  cubeRegions: [
    { include: true, keyValues: [{ id: 'FREQ', values: ['A', 'M'] }] },
    { include: false, keyValues: [{ id: 'REF_AREA', values: ['ISL'] }] },
  ],
  referencePeriod: { startTime: '2010-01-01T00:00:00', endTime: '2020-12-31T23:59:59' },
};

const extraArtefacts: readonly Maintainable[] = [extraConcepts, extraDsd, partialCodelist, nestedCategorisation, actualConstraint];

// ---------------------------------------------------------------------------------------------

const write = (artefacts: readonly Maintainable[]) => writeStructureMl21({ header: sampleHeader, artefacts });

t.test('round trip: read(write(x)) deep-equals x for every sample artefact, alone and together', async (tt) => {
  for (const a of sampleArtefacts) {
    tt.strictSame(readStructureMl21(write([a])), [a], `${a.class} ${a.id}`);
  }
  const all = readStructureMl21(write(sampleArtefacts));
  tt.equal(all.length, sampleArtefacts.length);
  const byKey = new Map(all.map((a) => [refKey(refOf(a)), a]));
  for (const a of sampleArtefacts) tt.strictSame(byKey.get(refKey(refOf(a))), a, `${a.class} ${a.id} in the full message`);
});

t.test('round trip of the extra artefacts, which also validate', async (tt) => {
  const xml = write(extraArtefacts);
  tt.same(validateXml21(xml), [], 'extra artefacts validate against the SDMX-ML 2.1 XSD (diff shows xmllint errors)');
  for (const a of extraArtefacts) tt.strictSame(readStructureMl21(write([a])), [a], `${a.class} ${a.id}`);
  tt.match(xml, 'id="JUSTICE.COURTS" class="Category"', 'nested category referenced by its path');
  tt.match(xml, '<structure:EnumerationFormat maxLength="1"/>');
  tt.match(xml, '<structure:AttributeRelationship><structure:None/></structure:AttributeRelationship>');
  tt.match(xml, '<structure:AttributeRelationship><structure:Group><Ref id="SIBLING"/></structure:Group></structure:AttributeRelationship>');
});

t.test('codes like 01 stay strings; entities and character references are decoded', async (tt) => {
  const [cl] = readStructureMl21(write([sampleArtefacts.find((a) => a.id === 'CL_OFFENCE') as Maintainable]));
  tt.same((cl as Codelist).items.map((i) => i.id), ['01', '0101', '0103', '01031', '010321']);
  const xml = write([partialCodelist]).replace('Intentional homicide', 'Homicide &#233;&#x41; &amp;');
  const [p] = readStructureMl21(xml);
  tt.equal((p as Codelist).items[0].name.en, 'Homicide éA &');
  tt.equal((p as Codelist).isPartial, true);
});

// ---------------------------------------------------------------------------------------------
// Errors

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:structure="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure">
<message:Header><message:ID>X</message:ID><message:Test>false</message:Test><message:Prepared>2026-01-01T00:00:00Z</message:Prepared><message:Sender id="S"/></message:Header>
<message:Structures>`;
const TAIL = '</message:Structures></message:Structure>';
const doc = (body: string) => HEAD + body + TAIL;
const codelist = (codes: string, attrs = 'agencyID="UNODC" id="CL_X" version="1.0"') =>
  doc(`<structure:Codelists><structure:Codelist ${attrs}><common:Name xml:lang="en">X</common:Name>${codes}</structure:Codelist></structure:Codelists>`);

t.test('the error helpers produce a valid baseline', async (tt) => {
  const [cl] = readStructureMl21(codelist('<structure:Code id="0101"><common:Name xml:lang="en">A</common:Name></structure:Code>'));
  tt.strictSame(cl, { class: 'Codelist', agencyID: 'UNODC', id: 'CL_X', version: '1.0', isFinal: false, name: { en: 'X' }, items: [{ id: '0101', name: { en: 'A' } }] });
});

t.test('malformed XML is rejected with line and column', async (tt) => {
  tt.throws(() => readStructureMl21(HEAD + '<structure:Codelists></structure:Codelist>' + TAIL), /not well-formed XML at line 4, column \d+: .*Codelist/);
  tt.throws(() => readStructureMl21('not xml at all'), /not well-formed XML/);
  tt.throws(() => readStructureMl21(''), /not well-formed XML/);
  tt.throws(() => readStructureMl21('<a x="1" x="2"/>'), /not well-formed XML at line 1.*repeated/);
});

t.test('a code without a Name is rejected, naming the codelist and the code', async (tt) => {
  tt.throws(() => readStructureMl21(codelist('<structure:Code id="0101"></structure:Code>')), {
    message: 'Codelist UNODC:CL_X(1.0): code 0101 has no Name',
  });
  tt.throws(() => readStructureMl21(codelist('', 'agencyID="UNODC" id="CL_X" version="1.0"').replace('<common:Name xml:lang="en">X</common:Name>', '')), {
    message: 'Codelist UNODC:CL_X(1.0): no Name',
  });
});

t.test('other broken input gets a message that says what and where', async (tt) => {
  const cases: [string, string | RegExp][] = [
    [codelist('', 'id="CL_X" version="1.0"'), 'Codelist ?:CL_X(1.0): no agencyID attribute'],
    [codelist('', 'agencyID="UNODC" id="CL_X" isFinal="yes"'), 'Codelist UNODC:CL_X(1.0): isFinal is "yes", expected true or false'],
    [codelist('<structure:Code><common:Name>A</common:Name></structure:Code>'), 'Codelist UNODC:CL_X(1.0): code without an id'],
    [
      codelist('<structure:Code id="A"><common:Name>A</common:Name></structure:Code><structure:Code id="A"><common:Name>B</common:Name></structure:Code>'),
      'Codelist UNODC:CL_X(1.0): code A appears twice',
    ],
    [
      codelist('<structure:Code id="B"><common:Name>B</common:Name><structure:Parent><Ref id="A"/></structure:Parent></structure:Code>'),
      'Codelist UNODC:CL_X(1.0): code B has unknown parent A',
    ],
    [
      codelist('<structure:Code id="A"><common:Name xml:lang="en">A</common:Name><common:Name xml:lang="en">B</common:Name></structure:Code>'),
      'Codelist UNODC:CL_X(1.0): two Name elements in language en',
    ],
    [
      doc('<structure:Dataflows><structure:Dataflow agencyID="A" id="DF" version="1.0"><common:Name>D</common:Name></structure:Dataflow></structure:Dataflows>'),
      'Dataflow A:DF(1.0): no Structure (stubs cannot be loaded)',
    ],
    [
      doc('<structure:Dataflows><structure:Dataflow agencyID="A" id="DF" version="1.0"><common:Name>D</common:Name><structure:Structure><Ref id="DSD" class="DataStructure"/></structure:Structure></structure:Dataflow></structure:Dataflows>'),
      'Dataflow A:DF(1.0): Structure reference needs agencyID and id',
    ],
    [
      doc('<structure:Dataflows><structure:Dataflow agencyID="A" id="DF" version="1.0"><common:Name>D</common:Name><structure:Structure><Ref agencyID="A" id="X" version="1.0" class="Codelist"/></structure:Structure></structure:Dataflow></structure:Dataflows>'),
      'Dataflow A:DF(1.0): Structure refers to a Codelist, expected DataStructure',
    ],
    [
      doc('<structure:DataStructures><structure:DataStructure agencyID="A" id="DSD" version="1.0"><common:Name>D</common:Name></structure:DataStructure></structure:DataStructures>'),
      'DataStructure A:DSD(1.0): no DataStructureComponents (stubs cannot be loaded)',
    ],
    [doc('<structure:Registrations/>'), 'Structures: Registrations are not supported'],
    [
      doc('<structure:Metadataflows><structure:Metadataflow agencyID="A" id="MDF" version="1.0"><common:Name>M</common:Name></structure:Metadataflow></structure:Metadataflows>'),
      'Metadataflow A:MDF(1.0): no Structure (stubs cannot be loaded)',
    ],
    [
      doc('<structure:StructureSets><structure:StructureSet agencyID="A" id="SS" version="1.0"><common:Name>S</common:Name><structure:StructureMap id="M"/></structure:StructureSet></structure:StructureSets>'),
      'RepresentationMap A:SS(1.0): StructureMap is not supported',
    ],
    [
      '<?xml version="1.0"?><message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><message:ErrorMessage code="100"/></message:Error>',
      'expected an SDMX-ML 2.1 message:Structure, found root element Error (this is an SDMX error message)',
    ],
    [HEAD.replaceAll('v2_1', 'v3_0') + TAIL, 'the Structure message is not in the SDMX-ML 2.1 namespace (it is SDMX-ML 3.0)'],
  ];
  for (const [xml, message] of cases) {
    tt.throws(() => readStructureMl21(xml), typeof message === 'string' ? { message } : message, String(message));
  }
});

t.test('a message with no artefacts gives an empty list', async (tt) => {
  tt.same(readStructureMl21(doc('')), []);
  tt.same(readStructureMl21(write([])), []);
});

// ---------------------------------------------------------------------------------------------
// Third-party messages (a bonus: the reader is meant for our own files)

t.test('reads the ECB_EXR1 sample registry answer and writes it back validly', async (tt) => {
  const file = path.join(SDMX_SAMPLES, 'validation/sdmx21-structure-ECB_EXR1-1.0.xml');
  const artefacts = readStructureMl21(readFileSync(file, 'utf8'));
  tt.ok(artefacts.length > 0);
  const dsd = artefacts.find((a) => a.class === 'DataStructure') as DataStructure;
  tt.equal(dsd.id, 'ECB_EXR1');
  tt.same(dsd.dimensions.map((d) => d.id), ['FREQ', 'CURRENCY', 'CURRENCY_DENOM', 'EXR_TYPE', 'EXR_SUFFIX']);
  tt.same(dsd.groups?.[0].dimensions, ['CURRENCY', 'CURRENCY_DENOM', 'EXR_TYPE', 'EXR_SUFFIX']);
  tt.same(dsd.dimensions[0].conceptIdentity, { class: 'Concept', scheme: { class: 'ConceptScheme', agencyID: 'ECB', id: 'ECB_CONCEPTS', version: '1.0' }, id: 'FREQ' });
  const again = write(artefacts);
  tt.same(validateXml21(again), [], 'rewritten ECB message validates');
  tt.strictSame(readStructureMl21(again), artefacts, 'and reads back the same');
});

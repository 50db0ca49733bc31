/**
 * SDMX-ML 3.0 structure writer: schema validity (xmllint against the official 3.0 XSDs) and
 * content, read back with fast-xml-parser.
 *
 * The official 3.0.0 XSD types Code/Parent as SingleNCNameIDType, so numeric parents (ICCS
 * "0101", M49 "150") fail its pattern although code ids may be numeric; the SDMX maintainers
 * agree it should be IDType (sdmx-twg/sdmx-ml#30). The sample is therefore validated against a
 * temporary copy with that one type fixed, and against the official XSD with only that error
 * tolerated.
 */
import t from 'tap';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { writeStructureMl30 } from '../../../src/sdmx/ml30/structure-writer.js';
import { urn30 } from '../../../src/sdmx/urn30.js';
import type { StructureMessage } from '../../../src/sdmx/message.js';
import type {
  Categorisation,
  Codelist,
  ContentConstraint,
  DataStructure,
  HierarchicalCodelist,
  Maintainable,
} from '../../../src/sdmx/model.js';
import {
  allowedConstraint,
  categorisation,
  clArea,
  clOffence,
  dsd,
  hcl,
  sampleHeader,
  sampleMessage,
} from '../../fixtures/sample-structures.js';
import { validateXml, validateXml30Official } from '../../helpers/validate.js';
import { XSD_DIR } from '../../helpers/shared.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** A copy of the 3.0 XSDs with the Code/Parent erratum fixed (SingleNCNameIDType → IDType). */
const patchedDir = mkdtempSync(path.join(tmpdir(), 'sdmx30-xsd-'));
cpSync(XSD_DIR.v30, patchedDir, { recursive: true });
const codelistXsd = path.join(patchedDir, 'SDMXStructureCodelist.xsd');
const original = readFileSync(codelistXsd, 'utf8');
const patched = original.replace('<xs:element name="Parent" type="common:SingleNCNameIDType">', '<xs:element name="Parent" type="common:IDType">');
if (patched === original) throw new Error('Code/Parent erratum not found in SDMXStructureCodelist.xsd');
writeFileSync(codelistXsd, patched);
t.teardown(() => rmSync(patchedDir, { recursive: true, force: true }));
const validatePatched = (xml: string) => validateXml(xml, path.join(patchedDir, 'SDMXMessage.xsd'));

type N = any;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, _jpath, _leaf, isAttribute) => !isAttribute,
});
const parse = (xml: string): N => parser.parse(xml);
const kids = (n: N, name: string): N[] => (n && typeof n === 'object' ? (n[name] ?? []) : []);
function one(n: N, name: string): N {
  const k = kids(n, name);
  if (k.length !== 1) throw new Error(`expected one ${name}, got ${k.length}`);
  return k[0];
}
const text = (n: N): string => (typeof n === 'string' ? n : (n?.['#text'] ?? ''));
const structures = (xml: string): N => one(one(parse(xml), 'message:Structure'), 'message:Structures');
/** All artefact elements of a container, e.g. container(xml, 'Codelists', 'Codelist'). */
const container = (xml: string, plural: string, singular: string): N[] =>
  kids(one(structures(xml), `structure:${plural}`), `structure:${singular}`);
const byId = (list: N[], id: string): N => {
  const found = list.find((x) => x['@id'] === id);
  if (!found) throw new Error(`no element with id ${id}`);
  return found;
};
const message = (...artefacts: Maintainable[]): StructureMessage => ({ header: sampleHeader, artefacts });

const xml = writeStructureMl30(sampleMessage);

// ---------------------------------------------------------------------------------------------
// Validity

t.test('the sample message validates against the 3.0 XSD (Code/Parent erratum fixed)', async (t) => {
  const errors = validatePatched(xml);
  t.same(errors, [], errors.join('\n'));
});

t.test('against the official 3.0 XSD, the only complaints are numeric Code/Parent values', async (t) => {
  const errors = validateXml30Official(xml);
  const other = errors.filter((l) => !/element Parent: Schemas validity error .*\[facet 'pattern'\]/.test(l));
  t.same(other, [], other.join('\n'));
  t.ok(errors.length > 0, 'the sample has numeric parents (ICCS, M49)');
});

t.test('codelists without numeric parents validate against the official XSD as they are', async (t) => {
  const letters: Codelist = {
    ...clArea,
    id: 'CL_REGION',
    items: [
      { id: 'EUR', name: { en: 'Europe' } },
      { id: 'FRA', parentID: 'EUR', name: { en: 'France' } },
    ],
  };
  const others = sampleMessage.artefacts.filter((a) => a !== clOffence && a !== clArea);
  const out = writeStructureMl30(message(...others, letters));
  const errors = validateXml30Official(out);
  t.same(errors, [], errors.join('\n'));
});

t.test('a message without artefacts validates and has no Structures element', async (t) => {
  const out = writeStructureMl30(message());
  t.same(validateXml30Official(out), []);
  t.notOk(out.includes('message:Structures'));
});

// ---------------------------------------------------------------------------------------------
// Envelope and containers

t.test('header and namespaces', async (t) => {
  const root = one(parse(xml), 'message:Structure');
  t.equal(root['@xmlns:message'], 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/message');
  t.equal(root['@xmlns:common'], 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/common');
  t.equal(root['@xmlns:structure'], 'http://www.sdmx.org/resources/sdmxml/schemas/v3_0/structure');
  const h = one(root, 'message:Header');
  t.equal(text(one(h, 'message:ID')), 'IREF000001');
  t.equal(text(one(h, 'message:Test')), 'false');
  t.equal(text(one(h, 'message:Prepared')), '2026-11-21T05:30:01Z');
  t.equal(one(h, 'message:Sender')['@id'], 'TEST');
  t.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
});

t.test('containers come in SDMXStructure.xsd order', async (t) => {
  const names = Object.keys(structures(xml)).filter((k) => k.startsWith('structure:'));
  t.same(names, [
    'structure:AgencySchemes',
    'structure:Categorisations',
    'structure:CategorySchemes',
    'structure:Codelists',
    'structure:ConceptSchemes',
    'structure:DataConstraints',
    'structure:Dataflows',
    'structure:DataProviderSchemes',
    'structure:DataStructures',
    'structure:Hierarchies',
    'structure:ProvisionAgreements',
  ]);
  // and in document order too (object keys follow it, but check the text to be sure)
  const positions = names.map((n) => xml.indexOf(`<${n}>`));
  t.same([...positions].sort((a, b) => a - b), positions);
});

t.test('maintainable attributes: urn, agencyID, id, version, isExternalReference; no isFinal', async (t) => {
  const cl = byId(container(xml, 'Codelists', 'Codelist'), 'CL_FREQ');
  t.equal(cl['@urn'], 'urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_FREQ(1.0)');
  t.equal(cl['@agencyID'], 'TEST');
  t.equal(cl['@version'], '1.0');
  t.equal(cl['@isExternalReference'], 'false');
  t.notOk('@isFinal' in cl);
  t.notOk('@isPartial' in cl, 'complete schemes carry no isPartial');
  t.same(
    kids(cl, 'common:Name').map((n: N) => [n['@xml:lang'], text(n)]),
    [
      ['en', 'Frequency'],
      ['es', 'Frecuencia'],
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// Item schemes

t.test('codelists: every code, Parent as the parent id, code URNs', async (t) => {
  const cl = byId(container(xml, 'Codelists', 'Codelist'), 'CL_OFFENCE');
  const codes = kids(cl, 'structure:Code');
  t.equal(codes.length, clOffence.items.length);
  t.same(
    codes.map((c: N) => c['@id']),
    clOffence.items.map((c) => c.id),
  );
  t.equal(text(one(byId(codes, '0103'), 'structure:Parent')), '01');
  t.same(kids(byId(codes, '01'), 'structure:Parent'), [], 'top code has no Parent');
  t.equal(byId(codes, '0101')['@urn'], 'urn:sdmx:org.sdmx.infomodel.codelist.Code=TEST:CL_OFFENCE(1.0).0101');
  const ann = one(one(cl, 'common:Annotations'), 'common:Annotation');
  t.equal(ann['@id'], 'SOURCE');
  t.equal(text(one(ann, 'common:AnnotationTitle')), 'ICCS v1.0');
  t.equal(text(one(ann, 'common:AnnotationType')), 'NOTE');
  t.equal(text(one(ann, 'common:AnnotationText')), 'Subset for tests');
});

t.test('text is escaped and reads back unchanged', async (t) => {
  const code = byId(kids(byId(container(xml, 'Codelists', 'Codelist'), 'CL_OFFENCE'), 'structure:Code'), '010321');
  t.equal(text(kids(code, 'common:Name')[0]), 'Vehicular homicide & <other>');
  t.equal(text(one(code, 'common:Description')), 'Escaping test: & < > " \'');
  t.ok(xml.includes('Vehicular homicide &amp; &lt;other&gt;'));
});

t.test('organisation schemes: fixed ids, no version attribute (prohibited in 3.0)', async (t) => {
  const ag = one(one(structures(xml), 'structure:AgencySchemes'), 'structure:AgencyScheme');
  t.equal(ag['@id'], 'AGENCIES');
  t.notOk('@version' in ag);
  t.equal(ag['@urn'], 'urn:sdmx:org.sdmx.infomodel.base.AgencyScheme=SDMX:AGENCIES(1.0)');
  t.equal(one(ag, 'structure:Agency')['@urn'], 'urn:sdmx:org.sdmx.infomodel.base.Agency=SDMX:AGENCIES(1.0).TEST');
  const dp = one(one(structures(xml), 'structure:DataProviderSchemes'), 'structure:DataProviderScheme');
  t.notOk('@version' in dp);
  t.same(
    kids(dp, 'structure:DataProvider').map((p: N) => p['@id']),
    ['P1', 'P2'],
  );
});

t.test('concept schemes: concepts with core representation', async (t) => {
  const cs = one(one(structures(xml), 'structure:ConceptSchemes'), 'structure:ConceptScheme');
  const concepts = kids(cs, 'structure:Concept');
  t.equal(concepts.length, 7);
  const freq = byId(concepts, 'FREQ');
  t.equal(
    text(one(one(freq, 'structure:CoreRepresentation'), 'structure:Enumeration')),
    'urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_FREQ(1.0)',
  );
});

t.test('category schemes: categories nested, URN paths dotted', async (t) => {
  const cs = one(one(structures(xml), 'structure:CategorySchemes'), 'structure:CategoryScheme');
  const top = kids(cs, 'structure:Category');
  t.same(
    top.map((c: N) => c['@id']),
    ['CRIME', 'JUSTICE'],
  );
  const courts = one(byId(top, 'JUSTICE'), 'structure:Category');
  t.equal(courts['@id'], 'COURTS');
  t.equal(courts['@urn'], 'urn:sdmx:org.sdmx.infomodel.categoryscheme.Category=TEST:CAT_THEMES(1.0).JUSTICE.COURTS');
});

t.test('partial item schemes carry isPartial="true"', async (t) => {
  const partial: Codelist = { ...clOffence, isPartial: true, items: clOffence.items.slice(0, 2) };
  const out = writeStructureMl30(message(partial));
  t.same(validatePatched(out), []);
  const cl = one(one(structures(out), 'structure:Codelists'), 'structure:Codelist');
  t.equal(cl['@isPartial'], 'true');
  t.equal(kids(cl, 'structure:Code').length, 2);
});

// ---------------------------------------------------------------------------------------------
// Data structure

t.test('DSD: dimensions in key order, time dimension, URNs', async (t) => {
  const d = one(one(structures(xml), 'structure:DataStructures'), 'structure:DataStructure');
  const comps = one(d, 'structure:DataStructureComponents');
  const dl = one(comps, 'structure:DimensionList');
  t.equal(dl['@id'], 'DimensionDescriptor');
  const dims = kids(dl, 'structure:Dimension');
  t.same(
    dims.map((x: N) => [x['@id'], x['@position']]),
    [
      ['FREQ', '1'],
      ['REF_AREA', '2'],
      ['OFFENCE', '3'],
    ],
  );
  t.equal(dims[0]['@urn'], 'urn:sdmx:org.sdmx.infomodel.datastructure.Dimension=TEST:DSD_TEST(1.0).FREQ');
  t.equal(
    text(one(dims[0], 'structure:ConceptIdentity')),
    'urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=TEST:CS_TEST(1.0).FREQ',
  );
  t.equal(
    text(one(one(dims[2], 'structure:LocalRepresentation'), 'structure:Enumeration')),
    'urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_OFFENCE(1.0)',
  );
  const td = one(dl, 'structure:TimeDimension');
  t.equal(td['@id'], 'TIME_PERIOD');
  t.notOk('@position' in td, 'position is prohibited on the time dimension');
  t.equal(one(one(td, 'structure:LocalRepresentation'), 'structure:TextFormat')['@textType'], 'ObservationalTimePeriod');
});

t.test('DSD: dimensions are sorted by position whatever the model order', async (t) => {
  const shuffled: DataStructure = { ...dsd, dimensions: [dsd.dimensions[2], dsd.dimensions[0], dsd.dimensions[1]] };
  const out = writeStructureMl30(message(shuffled));
  const dims = kids(
    one(one(one(one(structures(out), 'structure:DataStructures'), 'structure:DataStructure'), 'structure:DataStructureComponents'), 'structure:DimensionList'),
    'structure:Dimension',
  );
  t.same(
    dims.map((x: N) => x['@id']),
    ['FREQ', 'REF_AREA', 'OFFENCE'],
  );
});

t.test('DSD: attributes get usage and relationships; primary measure becomes OBS_VALUE', async (t) => {
  const comps = one(one(one(structures(xml), 'structure:DataStructures'), 'structure:DataStructure'), 'structure:DataStructureComponents');
  const al = one(comps, 'structure:AttributeList');
  t.equal(al['@id'], 'AttributeDescriptor');
  const status = byId(kids(al, 'structure:Attribute'), 'OBS_STATUS');
  t.equal(status['@usage'], 'mandatory');
  t.equal(status['@urn'], 'urn:sdmx:org.sdmx.infomodel.datastructure.DataAttribute=TEST:DSD_TEST(1.0).OBS_STATUS');
  t.same(Object.keys(one(status, 'structure:AttributeRelationship')), ['structure:Observation']);
  const comment = byId(kids(al, 'structure:Attribute'), 'COMMENT');
  t.equal(comment['@usage'], 'optional');
  t.same(
    kids(one(comment, 'structure:AttributeRelationship'), 'structure:Dimension').map(text),
    ['FREQ', 'REF_AREA', 'OFFENCE'],
  );
  const tf = one(one(comment, 'structure:LocalRepresentation'), 'structure:TextFormat');
  t.equal(tf['@textType'], 'String');
  t.equal(tf['@maxLength'], '1050');
  const ml = one(comps, 'structure:MeasureList');
  t.equal(ml['@id'], 'MeasureDescriptor');
  const m = one(ml, 'structure:Measure');
  t.equal(m['@id'], 'OBS_VALUE');
  t.equal(m['@urn'], 'urn:sdmx:org.sdmx.infomodel.datastructure.Measure=TEST:DSD_TEST(1.0).OBS_VALUE');
  t.equal(one(one(m, 'structure:LocalRepresentation'), 'structure:TextFormat')['@textType'], 'Double');
});

t.test('DSD: groups, data-set and group attributes, concept roles, no attributes', async (t) => {
  const rich: DataStructure = {
    ...dsd,
    id: 'DSD_RICH',
    dimensions: dsd.dimensions.map((d) =>
      d.id === 'FREQ'
        ? { ...d, conceptRoles: [{ class: 'Concept', scheme: { class: 'ConceptScheme', agencyID: 'SDMX', id: 'CROSS_DOMAIN_CONCEPTS', version: '2.0' }, id: 'FREQ' }] }
        : d,
    ),
    groups: [{ id: 'SIBLING', dimensions: ['REF_AREA', 'OFFENCE'] }],
    attributes: [
      ...dsd.attributes,
      {
        id: 'UNIT_MULT',
        conceptIdentity: { class: 'Concept', scheme: dsd.dimensions[0].conceptIdentity.scheme, id: 'COMMENT' },
        localRepresentation: { textFormat: { textType: 'Integer', minValue: 0, maxValue: 12 } },
        assignmentStatus: 'Conditional',
        relationship: { kind: 'DataSet' },
      },
      {
        id: 'TITLE',
        conceptIdentity: { class: 'Concept', scheme: dsd.dimensions[0].conceptIdentity.scheme, id: 'COMMENT' },
        assignmentStatus: 'Conditional',
        relationship: { kind: 'Group', group: 'SIBLING' },
      },
    ],
  };
  const bare: DataStructure = { ...dsd, id: 'DSD_BARE', attributes: [] };
  const out = writeStructureMl30(message(rich, bare));
  const errors = validateXml30Official(out);
  t.same(errors, [], errors.join('\n'));
  const [r, b] = container(out, 'DataStructures', 'DataStructure').map((d: N) => one(d, 'structure:DataStructureComponents'));
  const group = one(r, 'structure:Group');
  t.equal(group['@id'], 'SIBLING');
  t.same(
    kids(group, 'structure:GroupDimension').map((g: N) => text(one(g, 'structure:DimensionReference'))),
    ['REF_AREA', 'OFFENCE'],
  );
  const attrs = kids(one(r, 'structure:AttributeList'), 'structure:Attribute');
  t.same(Object.keys(one(byId(attrs, 'UNIT_MULT'), 'structure:AttributeRelationship')), ['structure:Dataflow']);
  t.equal(text(one(one(byId(attrs, 'TITLE'), 'structure:AttributeRelationship'), 'structure:Group')), 'SIBLING');
  const freq = byId(kids(one(r, 'structure:DimensionList'), 'structure:Dimension'), 'FREQ');
  t.equal(text(one(freq, 'structure:ConceptRole')), 'urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=SDMX:CROSS_DOMAIN_CONCEPTS(2.0).FREQ');
  t.same(kids(b, 'structure:AttributeList'), [], 'no AttributeList without attributes');
});

// ---------------------------------------------------------------------------------------------
// References between artefacts

t.test('dataflow, categorisation and provision agreement reference by URN', async (t) => {
  const df = one(one(structures(xml), 'structure:Dataflows'), 'structure:Dataflow');
  t.equal(text(one(df, 'structure:Structure')), 'urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=TEST:DSD_TEST(1.0)');
  const cat = one(one(structures(xml), 'structure:Categorisations'), 'structure:Categorisation');
  t.equal(text(one(cat, 'structure:Source')), 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0)');
  t.equal(text(one(cat, 'structure:Target')), 'urn:sdmx:org.sdmx.infomodel.categoryscheme.Category=TEST:CAT_THEMES(1.0).CRIME');
  const pa = one(one(structures(xml), 'structure:ProvisionAgreements'), 'structure:ProvisionAgreement');
  t.equal(pa['@urn'], 'urn:sdmx:org.sdmx.infomodel.registry.ProvisionAgreement=TEST:PA_DF_TEST_P1(1.0)');
  t.equal(text(one(pa, 'structure:Dataflow')), 'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0)');
  t.equal(text(one(pa, 'structure:DataProvider')), 'urn:sdmx:org.sdmx.infomodel.base.DataProvider=TEST:DATA_PROVIDERS(1.0).P1');
});

t.test('3.0 class names in URNs: Hierarchy and DataConstraint', async (t) => {
  t.equal(urn30({ class: 'HierarchicalCodelist', agencyID: 'A', id: 'H', version: '1.0' }), 'urn:sdmx:org.sdmx.infomodel.codelist.Hierarchy=A:H(1.0)');
  t.equal(urn30({ class: 'ContentConstraint', agencyID: 'A', id: 'C', version: '1.0' }), 'urn:sdmx:org.sdmx.infomodel.registry.DataConstraint=A:C(1.0)');
  t.equal(urn30({ class: 'Codelist', agencyID: 'A', id: 'CL', version: '2.0' }), 'urn:sdmx:org.sdmx.infomodel.codelist.Codelist=A:CL(2.0)');
  const ofHcl: Categorisation = { ...categorisation, id: 'CAT_HCL', source: { class: 'HierarchicalCodelist', agencyID: 'TEST', id: 'HCL_OFFENCE', version: '1.0' } };
  const out = writeStructureMl30(message(ofHcl));
  t.same(validateXml30Official(out), []);
  const cat = one(one(structures(out), 'structure:Categorisations'), 'structure:Categorisation');
  t.equal(text(one(cat, 'structure:Source')), 'urn:sdmx:org.sdmx.infomodel.codelist.Hierarchy=TEST:HCL_OFFENCE(1.0)');
});

// ---------------------------------------------------------------------------------------------
// Hierarchies

t.test('an HCL with one hierarchy becomes one Hierarchy with the HCL id, levels and codes', async (t) => {
  const hs = container(xml, 'Hierarchies', 'Hierarchy');
  t.equal(hs.length, 1);
  const h = hs[0];
  t.equal(h['@id'], 'HCL_OFFENCE');
  t.equal(h['@urn'], 'urn:sdmx:org.sdmx.infomodel.codelist.Hierarchy=TEST:HCL_OFFENCE(1.0)');
  t.equal(h['@hasFormalLevels'], 'true');
  t.equal(text(one(h, 'common:Name')), 'Offence tree');
  const level = one(h, 'structure:Level');
  t.equal(level['@id'], 'SECTION');
  t.equal(one(level, 'structure:Level')['@id'], 'DIVISION');
  const top = one(h, 'structure:HierarchicalCode');
  t.equal(top['@id'], '01');
  t.equal(text(one(top, 'structure:Code')), 'urn:sdmx:org.sdmx.infomodel.codelist.Code=TEST:CL_OFFENCE(1.0).01');
  t.equal(text(one(top, 'structure:Level')), 'SECTION');
  const child = one(top, 'structure:HierarchicalCode');
  t.equal(text(one(child, 'structure:Code')), 'urn:sdmx:org.sdmx.infomodel.codelist.Code=TEST:CL_OFFENCE(1.0).0101');
  t.equal(child['@urn'], 'urn:sdmx:org.sdmx.infomodel.codelist.HierarchicalCode=TEST:HCL_OFFENCE(1.0).01.0101');
  t.equal(text(one(child, 'structure:Level')), 'DIVISION');
});

t.test('an HCL with several hierarchies becomes one Hierarchy per hierarchy', async (t) => {
  const two: HierarchicalCodelist = {
    ...hcl,
    hierarchies: [
      hcl.hierarchies[0],
      {
        id: 'FLAT',
        name: { en: 'Flat view' },
        hierarchicalCodes: [{ id: '0103', code: { ...hcl.hierarchies[0].hierarchicalCodes[0].code, id: '0103' }, children: [] }],
      },
    ],
  };
  const out = writeStructureMl30(message(two));
  t.same(validateXml30Official(out), []);
  const hs = container(out, 'Hierarchies', 'Hierarchy');
  t.same(
    hs.map((h: N) => [h['@id'], h['@agencyID'], h['@version'], h['@hasFormalLevels'], text(one(h, 'common:Name'))]),
    [
      ['TREE', 'TEST', '1.0', 'true', 'Offence hierarchy'],
      ['FLAT', 'TEST', '1.0', 'false', 'Flat view'],
    ],
  );
  t.same(kids(hs[1], 'structure:Level'), []);
});

// ---------------------------------------------------------------------------------------------
// Constraints

t.test('a ContentConstraint becomes a DataConstraint', async (t) => {
  const c = one(one(structures(xml), 'structure:DataConstraints'), 'structure:DataConstraint');
  t.equal(c['@urn'], 'urn:sdmx:org.sdmx.infomodel.registry.DataConstraint=TEST:CR_A_DF_TEST(1.0)');
  t.equal(c['@role'], 'Allowed');
  t.equal(
    text(one(one(c, 'structure:ConstraintAttachment'), 'structure:Dataflow')),
    'urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_TEST(1.0)',
  );
  const region = one(c, 'structure:CubeRegion');
  t.equal(region['@include'], 'true');
  t.same(
    kids(region, 'structure:KeyValue').map((k: N) => [k['@id'], kids(k, 'structure:Value').map(text)]),
    [
      ['FREQ', ['A']],
      ['OFFENCE', ['0101', '0103']],
    ],
  );
});

t.test('actual constraint: reference period as a TIME_PERIOD time range; regions merged; one attachment kind', async (t) => {
  const actual: ContentConstraint = {
    ...allowedConstraint,
    id: 'CR_ACTUAL',
    constraintType: 'Actual',
    constraintAttachment: [
      { class: 'ProvisionAgreement', agencyID: 'TEST', id: 'PA_DF_TEST_P1', version: '1.0' },
      { class: 'Dataflow', agencyID: 'TEST', id: 'DF_TEST', version: '1.0' },
      { class: 'ProvisionAgreement', agencyID: 'TEST', id: 'PA_DF_TEST_P2', version: '1.0' },
    ],
    cubeRegions: [
      { include: true, keyValues: [{ id: 'FREQ', values: ['A'] }, { id: 'REF_AREA', values: ['FRA'] }] },
      { include: true, keyValues: [{ id: 'FREQ', values: ['M', 'A'] }] },
      { include: false, keyValues: [{ id: 'OFFENCE', values: ['0101'] }, { id: 'COMMENT', values: [] }] },
    ],
    referencePeriod: { startTime: '2010-01-01T00:00:00', endTime: '2020-12-31T23:59:59' },
  };
  const out = writeStructureMl30(message(actual));
  const errors = validateXml30Official(out);
  t.same(errors, [], errors.join('\n'));
  const c = one(one(structures(out), 'structure:DataConstraints'), 'structure:DataConstraint');
  t.equal(c['@role'], 'Actual');
  const att = one(c, 'structure:ConstraintAttachment');
  t.same(Object.keys(att), ['structure:ProvisionAgreement']);
  t.same(kids(att, 'structure:ProvisionAgreement').map(text), [
    'urn:sdmx:org.sdmx.infomodel.registry.ProvisionAgreement=TEST:PA_DF_TEST_P1(1.0)',
    'urn:sdmx:org.sdmx.infomodel.registry.ProvisionAgreement=TEST:PA_DF_TEST_P2(1.0)',
  ]);
  const [inc, exc] = kids(c, 'structure:CubeRegion');
  t.equal(inc['@include'], 'true');
  const kvs = kids(inc, 'structure:KeyValue');
  t.same(
    kvs.map((k: N) => k['@id']),
    ['FREQ', 'TIME_PERIOD'],
    'REF_AREA dropped: the second region does not constrain it',
  );
  t.same(kids(kvs[0], 'structure:Value').map(text), ['A', 'M']);
  const range = one(kvs[1], 'structure:TimeRange');
  t.equal(text(one(range, 'structure:StartPeriod')), '2010-01-01T00:00:00');
  t.equal(text(one(range, 'structure:EndPeriod')), '2020-12-31T23:59:59');
  t.equal(one(range, 'structure:StartPeriod')['@isInclusive'], 'true');
  t.equal(exc['@include'], 'false');
  t.same(
    kids(exc, 'structure:KeyValue').map((k: N) => k['@id']),
    ['OFFENCE'],
    'a selection without values is skipped',
  );
});

t.test('a reference period alone still yields an included region', async (t) => {
  const c: ContentConstraint = {
    ...allowedConstraint,
    constraintType: 'Actual',
    cubeRegions: [],
    referencePeriod: { startTime: '2015-01-01T00:00:00Z', endTime: '2016-12-31T00:00:00Z' },
  };
  const out = writeStructureMl30(message(c));
  t.same(validateXml30Official(out), []);
  const region = one(one(one(structures(out), 'structure:DataConstraints'), 'structure:DataConstraint'), 'structure:CubeRegion');
  t.equal(one(region, 'structure:KeyValue')['@id'], 'TIME_PERIOD');
});

t.test('annotations with every field validate', async (t) => {
  const annotated: Codelist = {
    ...clArea,
    id: 'CL_ANN',
    items: [{ id: 'X', name: { en: 'X' }, annotations: [{ id: 'A1', title: 'T', type: 'ORDER', url: 'https://example.org/a?b=1&c=2', text: { en: 'one', fr: 'un' } }] }],
  };
  const out = writeStructureMl30(message(annotated));
  t.same(validateXml30Official(out), []);
  const ann = one(one(one(one(one(structures(out), 'structure:Codelists'), 'structure:Codelist'), 'structure:Code'), 'common:Annotations'), 'common:Annotation');
  t.equal(text(one(ann, 'common:AnnotationURL')), 'https://example.org/a?b=1&c=2');
  t.same(kids(ann, 'common:AnnotationText').map((x: N) => [x['@xml:lang'], text(x)]), [
    ['en', 'one'],
    ['fr', 'un'],
  ]);
});

t.test('representations: facets filtered per context so odd inputs still validate', async (t) => {
  const odd: DataStructure = {
    ...dsd,
    id: 'DSD_ODD',
    dimensions: dsd.dimensions.map((d) =>
      d.id === 'FREQ'
        ? { ...d, localRepresentation: { enumeration: d.localRepresentation!.enumeration, textFormat: { textType: 'AlphaNumeric', maxLength: 1, minValue: 0.5 } } }
        : d.id === 'REF_AREA'
          ? { ...d, localRepresentation: { enumeration: d.localRepresentation!.enumeration, textFormat: { textType: 'Double' } } }
          : d,
    ),
    timeDimension: { ...dsd.timeDimension, localRepresentation: { textFormat: { textType: 'String', maxLength: 10 } } },
    primaryMeasure: { ...dsd.primaryMeasure, localRepresentation: { textFormat: { textType: 'Decimal', minValue: 1e21, maxValue: 1e-7, minLength: 0 } } },
  };
  const out = writeStructureMl30(message(odd));
  const errors = validateXml30Official(out);
  t.same(errors, [], errors.join('\n'));
  const comps = one(one(one(structures(out), 'structure:DataStructures'), 'structure:DataStructure'), 'structure:DataStructureComponents');
  const dims = kids(one(comps, 'structure:DimensionList'), 'structure:Dimension');
  const freqRep = one(byId(dims, 'FREQ'), 'structure:LocalRepresentation');
  const ef = one(freqRep, 'structure:EnumerationFormat');
  t.same([ef['@textType'], ef['@maxLength'], ef['@minValue']], ['AlphaNumeric', '1', undefined], 'non-integer minValue dropped');
  t.same(kids(one(byId(dims, 'REF_AREA'), 'structure:LocalRepresentation'), 'structure:EnumerationFormat'), [], 'Double is no code type');
  const td = one(one(one(comps, 'structure:DimensionList'), 'structure:TimeDimension'), 'structure:LocalRepresentation');
  const tdf = one(td, 'structure:TextFormat');
  t.same([tdf['@textType'], tdf['@maxLength']], ['ObservationalTimePeriod', undefined]);
  const mf = one(one(one(one(comps, 'structure:MeasureList'), 'structure:Measure'), 'structure:LocalRepresentation'), 'structure:TextFormat');
  t.same([mf['@minValue'], mf['@maxValue'], mf['@minLength']], ['1000000000000000000000', '0.0000001', undefined]);
});

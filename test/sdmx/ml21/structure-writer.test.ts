/**
 * SDMX-ML 2.1 structure writer: validity against the official 2.1 XSD (xmllint), container
 * order, references, presentation (stub / completestub), isPartial and escaping. Content is
 * inspected by parsing the output with the same tree helpers the reader uses.
 */
import t from 'tap';
import { writeStructureMl21 } from '../../../src/sdmx/ml21/structure-writer.js';
import { attr, childNames, kid, kids, parseXml, text, type XNode } from '../../../src/sdmx/ml21/xml-tree.js';
import type { StructureMessage } from '../../../src/sdmx/message.js';
import { MAINTAINABLE_CLASSES, type Maintainable, type Presentation } from '../../../src/sdmx/model.js';
import { clOffence, sampleArtefacts, sampleHeader, sampleMessage } from '../../fixtures/sample-structures.js';
import { validateXml21 } from '../../helpers/validate.js';

const message = (artefacts: readonly Maintainable[]): StructureMessage => ({ header: sampleHeader, artefacts });

/** `structure:Structures` of a written message, parsed. */
function structuresOf(xml: string): XNode {
  const root = parseXml(xml);
  const structures = kid(root.node, 'Structures');
  if (root.name !== 'Structure' || !structures) throw new Error('not a structure message');
  return structures;
}

/** Every maintainable element of a parsed Structures node, with its class (element name). */
function maintainables(structures: XNode): { cls: string; node: XNode }[] {
  const out: { cls: string; node: XNode }[] = [];
  for (const container of childNames(structures)) {
    for (const c of kids(structures, container)) {
      for (const cls of childNames(c)) for (const node of kids(c, cls)) out.push({ cls, node });
    }
  }
  return out;
}

/** xmllint's complaints against the 2.1 XSD; compared with [] so that tap's diff prints them. */
const xsdErrors = (xml: string): string[] => validateXml21(xml);

t.test('the sample message validates against SDMXMessage.xsd', async (tt) => {
  const xml = writeStructureMl21(sampleMessage);
  tt.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), 'XML declaration first');
  tt.match(xml, /<message:Structure xmlns:message="http:\/\/www\.sdmx\.org\/resources\/sdmxml\/schemas\/v2_1\/message"/);
  tt.match(xml, /xmlns:common="http:\/\/www\.sdmx\.org\/resources\/sdmxml\/schemas\/v2_1\/common"/);
  tt.match(xml, /xmlns:structure="http:\/\/www\.sdmx\.org\/resources\/sdmxml\/schemas\/v2_1\/structure"/);
  tt.same(xsdErrors(xml), [], 'sample message validates against the SDMX-ML 2.1 XSD');
});

t.test('header: ID, Test, Prepared, Sender with Name', async (tt) => {
  const root = parseXml(writeStructureMl21(sampleMessage));
  const h = kid(root.node, 'Header') as XNode;
  tt.same(childNames(h), ['ID', 'Test', 'Prepared', 'Sender']);
  tt.equal(text(kid(h, 'ID')), 'IREF000001');
  tt.equal(text(kid(h, 'Test')), 'false');
  tt.equal(text(kid(h, 'Prepared')), '2026-11-21T05:30:01Z');
  tt.equal(attr(kid(h, 'Sender'), 'id'), 'TEST');
  tt.equal(text(kid(kid(h, 'Sender'), 'Name')), 'Test sender');
  const noName = writeStructureMl21({ header: { ...sampleHeader, test: true, sender: { id: 'X' } }, artefacts: [] });
  tt.match(noName, '<message:Sender id="X"/>');
  tt.match(noName, '<message:Test>true</message:Test>');
  tt.same(xsdErrors(noName), [], 'message without artefacts and sender name validates against the SDMX-ML 2.1 XSD');
});

t.test('containers follow the XSD sequence; artefacts keep input order inside them', async (tt) => {
  // Reverse the input to show that the order comes from the schema, not from the input.
  const structures = structuresOf(writeStructureMl21(message([...sampleArtefacts].reverse())));
  tt.same(childNames(structures), [
    'OrganisationSchemes',
    'Dataflows',
    'CategorySchemes',
    'Categorisations',
    'Codelists',
    'HierarchicalCodelists',
    'Concepts',
    'DataStructures',
    'Constraints',
    'ProvisionAgreements',
  ]);
  const codelists = kids(kid(structures, 'Codelists'), 'Codelist').map((n) => attr(n, 'id'));
  tt.same(codelists, ['CL_OBS_STATUS', 'CL_AREA', 'CL_OFFENCE', 'CL_FREQ'], 'reversed input order kept');
  const xml = writeStructureMl21(sampleMessage);
  tt.ok(xml.indexOf('<structure:DataProviderScheme') > xml.indexOf('<structure:AgencyScheme'), 'org schemes in input order');
});

t.test('every maintainable and item carries urn, agencyID, id, version, isFinal', async (tt) => {
  const xml = writeStructureMl21(sampleMessage);
  const all = maintainables(structuresOf(xml));
  tt.equal(all.length, sampleArtefacts.length);
  // HierarchyAssociation and ValueList have no SDMX 2.1 form (test/sdmx/structure-types-30.test.ts).
  const elsewhere = ['RepresentationMap', 'OrganisationUnitScheme', 'DataConsumerScheme', 'ReportingTaxonomy', 'Process', 'AttachmentConstraint', 'HierarchyAssociation', 'ValueList'];
  // The VTL schemes: test/sdmx/vtl.test.ts.
  elsewhere.push('TransformationScheme', 'RulesetScheme', 'UserDefinedOperatorScheme', 'CustomTypeScheme', 'NamePersonalisationScheme', 'VtlMappingScheme');
  // The SDMX 3.0 maps (the item scheme maps are also 2.1 StructureSets): test/sdmx/structure-maps-sdg.test.ts.
  elsewhere.push('StructureMap', 'ConceptSchemeMap', 'CategorySchemeMap', 'OrganisationSchemeMap', 'ReportingTaxonomyMap');
  // Reference metadata structures: test/sdmx/metadata-structures/metadata-structures.test.ts.
  elsewhere.push('MetadataStructure', 'Metadataflow');
  tt.same(new Set(all.map((m) => m.cls)), new Set(MAINTAINABLE_CLASSES.filter((c) => !elsewhere.includes(c))), 'every class present (maps: test/sdmx/structure-map-writers.test.ts; the other types: test/sdmx/structure-types.test.ts)');
  for (const { cls, node } of all) {
    for (const a of ['urn', 'agencyID', 'id', 'version', 'isFinal']) tt.ok(attr(node, a), `${cls} ${attr(node, 'id')} has @${a}`);
    tt.match(attr(node, 'isFinal'), /^(true|false)$/);
    tt.equal(attr(node, 'urn'), `urn:sdmx:org.sdmx.infomodel.${pkg(cls)}.${cls}=${attr(node, 'agencyID')}:${attr(node, 'id')}(${attr(node, 'version')})`);
  }
  tt.match(xml, 'urn="urn:sdmx:org.sdmx.infomodel.codelist.Code=TEST:CL_OFFENCE(1.0).0101"');
  tt.match(xml, 'urn="urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=TEST:CS_TEST(1.0).FREQ"');
  tt.match(xml, 'urn="urn:sdmx:org.sdmx.infomodel.base.DataProvider=TEST:DATA_PROVIDERS(1.0).P1"');
  tt.match(xml, 'urn="urn:sdmx:org.sdmx.infomodel.categoryscheme.Category=TEST:CAT_THEMES(1.0).JUSTICE.COURTS"', 'category URN is the dotted path');
  tt.match(xml, 'urn="urn:sdmx:org.sdmx.infomodel.datastructure.Dimension=TEST:DSD_TEST(1.0).FREQ"');
  tt.match(xml, 'urn="urn:sdmx:org.sdmx.infomodel.datastructure.DataAttribute=TEST:DSD_TEST(1.0).OBS_STATUS"');
});

function pkg(cls: string): string {
  return (
    { AgencyScheme: 'base', DataProviderScheme: 'base', Codelist: 'codelist', HierarchicalCodelist: 'codelist', ConceptScheme: 'conceptscheme', CategoryScheme: 'categoryscheme', Categorisation: 'categoryscheme', DataStructure: 'datastructure', Dataflow: 'datastructure', ContentConstraint: 'registry', ProvisionAgreement: 'registry' } as Record<string, string>
  )[cls];
}

t.test('every Ref is explicit: class, package and version, or local with id only', async (tt) => {
  const xml = writeStructureMl21(sampleMessage);
  const refs = [...xml.matchAll(/<Ref ([^>]*)\/>/g)].map((m) => Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]])));
  tt.ok(refs.length > 30, `${refs.length} refs`);
  let external = 0;
  for (const r of refs) {
    if (!('agencyID' in r)) {
      tt.same(Object.keys(r), ['id'], `local ref ${r.id} has only an id`);
      continue;
    }
    external++;
    tt.ok(r.class && r.package && r.id, `ref ${r.id} has class and package`);
    tt.ok(r.version || (r.maintainableParentID && r.maintainableParentVersion), `ref ${r.id} has an explicit version`);
    tt.notOk(r.version && r.maintainableParentID, 'not both version and maintainableParentID');
  }
  tt.ok(external > 20);
  tt.notMatch(xml, '<URN>', 'no URN-only references');
  tt.match(xml, '<Ref agencyID="TEST" maintainableParentID="CS_TEST" maintainableParentVersion="1.0" id="FREQ" class="Concept" package="conceptscheme"/>');
  tt.match(xml, '<structure:Enumeration><Ref agencyID="TEST" id="CL_FREQ" version="1.0" class="Codelist" package="codelist"/></structure:Enumeration>');
  tt.match(xml, '<structure:Parent><Ref id="01"/></structure:Parent>', 'code parent is a local Ref');
});

t.test('DSD components: dimensions, time dimension, attribute relationships, measure', async (tt) => {
  const structures = structuresOf(writeStructureMl21(sampleMessage));
  const comps = kid(kid(kid(structures, 'DataStructures'), 'DataStructure'), 'DataStructureComponents') as XNode;
  const dims = kids(kid(comps, 'DimensionList'), 'Dimension');
  tt.same(dims.map((d) => [attr(d, 'id'), attr(d, 'position')]), [['FREQ', '1'], ['REF_AREA', '2'], ['OFFENCE', '3']]);
  const time = kid(kid(comps, 'DimensionList'), 'TimeDimension');
  tt.equal(attr(time, 'position'), '4');
  tt.equal(attr(kid(kid(time, 'LocalRepresentation'), 'TextFormat'), 'textType'), 'ObservationalTimePeriod');
  const [obsStatus, comment] = kids(kid(comps, 'AttributeList'), 'Attribute');
  tt.equal(attr(kid(kid(kid(obsStatus, 'AttributeRelationship'), 'PrimaryMeasure'), 'Ref'), 'id'), 'OBS_VALUE');
  tt.same(kids(kid(comment, 'AttributeRelationship'), 'Dimension').map((d) => attr(kid(d, 'Ref'), 'id')), ['FREQ', 'REF_AREA', 'OFFENCE']);
  tt.equal(attr(kid(kid(comment, 'LocalRepresentation'), 'TextFormat'), 'maxLength'), '1050');
  tt.equal(attr(kid(kid(comps, 'MeasureList'), 'PrimaryMeasure'), 'id'), 'OBS_VALUE');
});

t.test('hierarchical codelist: included codelist, nested codes with level refs, nested levels', async (tt) => {
  const structures = structuresOf(writeStructureMl21(sampleMessage));
  const h = kid(kid(structures, 'HierarchicalCodelists'), 'HierarchicalCodelist') as XNode;
  tt.equal(attr(kid(h, 'IncludedCodelist'), 'alias'), 'OFF');
  const hier = kid(h, 'Hierarchy') as XNode;
  tt.equal(attr(hier, 'leveled'), 'true');
  const top = kid(hier, 'HierarchicalCode') as XNode;
  tt.equal(attr(kid(kid(top, 'Code'), 'Ref'), 'id'), '01');
  tt.equal(attr(kid(kid(top, 'Level'), 'Ref'), 'id'), 'SECTION');
  const child = kid(top, 'HierarchicalCode') as XNode;
  tt.equal(attr(kid(kid(child, 'Level'), 'Ref'), 'id'), 'DIVISION');
  const level = kid(hier, 'Level') as XNode;
  tt.equal(attr(level, 'id'), 'SECTION');
  tt.equal(attr(kid(level, 'Level'), 'id'), 'DIVISION', 'levels nest');
});

t.test('content constraint: type, attachment, cube region', async (tt) => {
  const xml = writeStructureMl21(sampleMessage);
  tt.match(xml, /<structure:ContentConstraint [^>]*type="Allowed"/);
  tt.match(
    xml,
    '<structure:ConstraintAttachment><structure:Dataflow><Ref agencyID="TEST" id="DF_TEST" version="1.0" class="Dataflow" package="datastructure"/></structure:Dataflow></structure:ConstraintAttachment>',
  );
  tt.match(xml, '<common:KeyValue id="OFFENCE"><common:Value>0101</common:Value><common:Value>0103</common:Value></common:KeyValue>');
});

// ---------------------------------------------------------------------------------------------
// Presentation

/** Element names under a maintainable, in document order (first occurrence). */
const contentOf = (node: XNode) => childNames(node);

const withAnnotations = (a: Maintainable): Maintainable =>
  a.annotations ? a : { ...a, annotations: [{ id: 'A1', title: 'An annotation', text: { en: 'note' } }] };

for (const detail of ['stub', 'completestub'] as const satisfies readonly Presentation[]) {
  t.test(`${detail}s of every class validate and carry exactly what they should`, async (tt) => {
    const artefacts = sampleArtefacts.map((a) => ({ ...withAnnotations(a), presentation: detail }) as Maintainable);
    const xml = writeStructureMl21(message(artefacts));
    tt.same(xsdErrors(xml), [], `${detail} message validates against the SDMX-ML 2.1 XSD`);
    const all = maintainables(structuresOf(xml));
    tt.equal(all.length, sampleArtefacts.length);
    for (const { cls, node } of all) {
      const expected = detail === 'stub' ? ['Name'] : ['Annotations', 'Name', 'Description'];
      // SDMXStructureProvisionAgreement.xsd requires StructureUsage and DataProvider, even in stubs.
      if (cls === 'ProvisionAgreement') expected.push('StructureUsage', 'DataProvider');
      tt.same(contentOf(node), expected, `${detail} ${cls} ${attr(node, 'id')}`);
      tt.ok(attr(node, 'isFinal'), 'isFinal is kept');
      tt.ok(attr(node, 'urn'), 'urn is kept');
    }
  });
}

t.test('full presentation is the default and keeps everything', async (tt) => {
  const full = writeStructureMl21(message([{ ...clOffence, presentation: 'full' }]));
  tt.equal(full, writeStructureMl21(message([clOffence])));
  const cl = maintainables(structuresOf(full))[0].node;
  tt.same(contentOf(cl), ['Annotations', 'Name', 'Description', 'Code']);
  tt.equal(kids(cl, 'Code').length, clOffence.items.length);
});

t.test('isPartial is written only for partial item schemes', async (tt) => {
  const partial = { ...clOffence, isPartial: true, items: clOffence.items.slice(0, 2) };
  const xml = writeStructureMl21(message([partial]));
  tt.same(xsdErrors(xml), [], 'partial codelist validates against the SDMX-ML 2.1 XSD');
  tt.match(xml, /<structure:Codelist [^>]*isPartial="true"/);
  tt.notMatch(writeStructureMl21(message([clOffence])), 'isPartial');
  tt.notMatch(writeStructureMl21(message([{ ...clOffence, isPartial: false }])), 'isPartial');
});

t.test('names and descriptions are escaped', async (tt) => {
  const tricky = {
    ...clOffence,
    name: { en: `Tom & Jerry <"quoted"> 'single' ]]>`, fr: 'Crème brûlée' },
    items: [{ id: 'X', name: { en: 'a & b < c > d " e \' f' }, description: { en: 'tab\there\nnew line' } }],
    annotations: [{ id: 'A&B "q"', url: 'https://example.org/?a=1&b=2', title: '<t>' }],
  };
  const xml = writeStructureMl21(message([tricky]));
  tt.same(xsdErrors(xml), [], 'escaped message validates against the SDMX-ML 2.1 XSD');
  tt.match(xml, `<common:Name xml:lang="en">Tom &amp; Jerry &lt;"quoted"&gt; 'single' ]]&gt;</common:Name>`);
  tt.match(xml, '<common:Name xml:lang="en">a &amp; b &lt; c &gt; d " e \' f</common:Name>');
  tt.match(xml, '<common:Annotation id="A&amp;B &quot;q&quot;">');
  tt.match(xml, '<common:AnnotationURL>https://example.org/?a=1&amp;b=2</common:AnnotationURL>');
  const cl = maintainables(structuresOf(xml))[0].node;
  tt.equal(text(kids(cl, 'Name')[0]), `Tom & Jerry <"quoted"> 'single' ]]>`, 'parses back to the same text');
  tt.equal(attr(kid(kid(cl, 'Annotations'), 'Annotation'), 'id'), 'A&B "q"');
});

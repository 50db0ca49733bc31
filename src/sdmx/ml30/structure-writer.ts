/**
 * SDMX-ML 3.0.0 structure message writer (`message:Structure`, SDMXMessage.xsd 3.0), for the
 * media type application/vnd.sdmx.structure+xml;version=3.0.0. Pure: model in, string out.
 *
 * Our model uses SDMX 2.1 names; this module maps them to 3.0:
 * - item schemes → item-schemes.ts; DataStructure → data-structure.ts;
 * - HierarchicalCodelist → one `Hierarchy` per model hierarchy (hierarchy.ts: a single-hierarchy
 *   HCL keeps the HCL's id; otherwise each Hierarchy takes its model hierarchy's id);
 * - ContentConstraint → `DataConstraint` (constraint.ts);
 * - RepresentationMap → `RepresentationMap` (representation-map.ts);
 * - Process → process.ts; HierarchyAssociation → hierarchy-association.ts;
 *   ValueList → value-list.ts; StructureMap and the item scheme maps → maps.ts;
 *   the VTL schemes → vtl.ts;
 * - an AttachmentConstraint is not written: SDMX 3.0 has no such class;
 * - MetadataStructure and Metadataflow → metadata-structure.ts;
 * - Dataflow, Categorisation and ProvisionAgreement are small and written here.
 * Every reference is a URN (src/sdmx/urn30.ts). `presentation` (full | stub | completestub) is applied
 * per artefact by nameable.ts.
 *
 * Validity: output validates against the official 3.0.0 XSD except for one known erratum, a
 * numeric Code/Parent (e.g. ICCS "0101"), which we write anyway (see item-schemes.ts).
 *
 * Containers under message:Structures are an xs:all in 3.0 (any order is valid); we write them
 * in the order SDMXStructure.xsd declares them so that output is stable. Within a container the
 * artefacts keep the order of the message.
 */
import type { Header, StructureMessage } from '../message.js';
import type { Categorisation, Dataflow, Maintainable, ProvisionAgreement } from '../model.js';
import { dataConstraintEl } from './constraint.js';
import { dataStructureEl } from './data-structure.js';
import { hierarchyEls } from './hierarchy.js';
import { hierarchyAssociationEl } from './hierarchy-association.js';
import { valueListEl } from './value-list.js';
import { itemSchemeMapEl, structureMapEl } from './maps.js';
import { vtlSchemeEl } from './vtl.js';
import { itemSchemeEl } from './item-schemes.js';
import { processEl } from './process.js';
import { metadataStructureEl, metadataflowEl } from './metadata-structure.js';
import { representationMapEl } from './representation-map.js';
import { localised, maintainableEl } from './nameable.js';
import { NS_COMMON_30, NS_MESSAGE_30, NS_STRUCTURE_30 } from './namespaces.js';
import { itemUrn30, urn30 } from '../urn30.js';
import { el, renderDocument, textEl, type Child, type XmlElement } from './xml-text.js';

/** Containers in SDMXStructure.xsd declaration order, with the model classes they hold. */
const CONTAINERS: readonly (readonly [string, Maintainable['class']])[] = [
  ['AgencySchemes', 'AgencyScheme'],
  ['Categorisations', 'Categorisation'],
  ['CategorySchemeMaps', 'CategorySchemeMap'],
  ['CategorySchemes', 'CategoryScheme'],
  ['Codelists', 'Codelist'],
  ['ConceptSchemeMaps', 'ConceptSchemeMap'],
  ['ConceptSchemes', 'ConceptScheme'],
  ['CustomTypeSchemes', 'CustomTypeScheme'],
  ['DataConstraints', 'ContentConstraint'],
  ['DataConsumerSchemes', 'DataConsumerScheme'],
  ['Dataflows', 'Dataflow'],
  ['DataProviderSchemes', 'DataProviderScheme'],
  ['DataStructures', 'DataStructure'],
  ['Hierarchies', 'HierarchicalCodelist'],
  ['HierarchyAssociations', 'HierarchyAssociation'],
  ['Metadataflows', 'Metadataflow'],
  ['MetadataStructures', 'MetadataStructure'],
  ['NamePersonalisationSchemes', 'NamePersonalisationScheme'],
  ['OrganisationSchemeMaps', 'OrganisationSchemeMap'],
  ['OrganisationUnitSchemes', 'OrganisationUnitScheme'],
  ['Processes', 'Process'],
  ['ProvisionAgreements', 'ProvisionAgreement'],
  ['ReportingTaxonomies', 'ReportingTaxonomy'],
  ['ReportingTaxonomyMaps', 'ReportingTaxonomyMap'],
  ['RepresentationMaps', 'RepresentationMap'],
  ['RulesetSchemes', 'RulesetScheme'],
  ['StructureMaps', 'StructureMap'],
  ['TransformationSchemes', 'TransformationScheme'],
  ['UserDefinedOperatorSchemes', 'UserDefinedOperatorScheme'],
  ['ValueLists', 'ValueList'],
  ['VtlMappingSchemes', 'VtlMappingScheme'],
];

function dataflowEl(d: Dataflow): XmlElement {
  return maintainableEl('structure:Dataflow', d, {
    urn: urn30(d),
    content: () => [textEl('structure:Structure', urn30(d.structure))],
  });
}

function categorisationEl(c: Categorisation): XmlElement {
  return maintainableEl('structure:Categorisation', c, {
    urn: urn30(c),
    content: () => [textEl('structure:Source', urn30(c.source)), textEl('structure:Target', itemUrn30(c.target))],
  });
}

function provisionAgreementEl(p: ProvisionAgreement): XmlElement {
  // Dataflow and DataProvider are required by ProvisionAgreementType, so stubs keep them too.
  const content = () => [
    textEl('structure:Dataflow', urn30(p.structureUsage)),
    textEl('structure:DataProvider', itemUrn30(p.dataProvider)),
  ];
  return maintainableEl('structure:ProvisionAgreement', p, { urn: urn30(p), content, requiredContent: content });
}

function artefactEls(a: Maintainable): XmlElement[] {
  switch (a.class) {
    case 'AgencyScheme':
    case 'DataProviderScheme':
    case 'Codelist':
    case 'ConceptScheme':
    case 'CategoryScheme':
    case 'OrganisationUnitScheme':
    case 'DataConsumerScheme':
    case 'ReportingTaxonomy':
      return [itemSchemeEl(a)];
    case 'Process':
      return [processEl(a)];
    case 'AttachmentConstraint':
      return [];
    case 'HierarchicalCodelist':
      return hierarchyEls(a);
    case 'HierarchyAssociation':
      return [hierarchyAssociationEl(a)];
    case 'ValueList':
      return [valueListEl(a)];
    case 'DataStructure':
      return [dataStructureEl(a)];
    case 'Dataflow':
      return [dataflowEl(a)];
    case 'MetadataStructure':
      return [metadataStructureEl(a)];
    case 'Metadataflow':
      return [metadataflowEl(a)];
    case 'Categorisation':
      return [categorisationEl(a)];
    case 'ContentConstraint':
      return [dataConstraintEl(a)];
    case 'ProvisionAgreement':
      return [provisionAgreementEl(a)];
    case 'RepresentationMap':
      return [representationMapEl(a)];
    case 'ConceptSchemeMap':
    case 'CategorySchemeMap':
    case 'OrganisationSchemeMap':
    case 'ReportingTaxonomyMap':
      return [itemSchemeMapEl(a)];
    case 'StructureMap':
      return [structureMapEl(a)];
    case 'TransformationScheme':
    case 'RulesetScheme':
    case 'UserDefinedOperatorScheme':
    case 'CustomTypeScheme':
    case 'NamePersonalisationScheme':
    case 'VtlMappingScheme':
      return [vtlSchemeEl(a)];
  }
}

/** `message:Header`: ID, Test, Prepared, Sender, then what the message type adds (metadata: its structures). */
export function headerEl(h: Header, ...more: Child[]): XmlElement {
  return el(
    'message:Header',
    {},
    textEl('message:ID', h.id),
    textEl('message:Test', String(h.test)),
    textEl('message:Prepared', h.prepared),
    el('message:Sender', { id: h.sender.id }, localised('Name', h.sender.name)),
    ...more,
  );
}

export function writeStructureMl30(msg: StructureMessage): string {
  const containers = CONTAINERS.map(([container, cls]) => {
    const members = msg.artefacts.filter((a) => a.class === cls).flatMap(artefactEls);
    return members.length > 0 && el(`structure:${container}`, {}, members);
  }).filter((c): c is XmlElement => c !== false);
  const root = el(
    'message:Structure',
    { 'xmlns:message': NS_MESSAGE_30, 'xmlns:common': NS_COMMON_30, 'xmlns:structure': NS_STRUCTURE_30 },
    headerEl(msg.header),
    containers.length > 0 && el('message:Structures', {}, containers),
  );
  return renderDocument(root);
}

/**
 * SDMX-JSON 2.0.0 structure message writer (SDMX 3.0; schema sdmx-json-structure-schema.json
 * 2.0.0, field guide structure-message-field-guide.md 2.0.0). Returns a plain object; the caller
 * serialises it.
 *
 * Our model holds SDMX 2.1 artefacts; they are written as their SDMX 3.0 counterparts:
 * - a ContentConstraint is a `dataConstraints` entry (URN class DataConstraint, `role`);
 * - a HierarchicalCodelist becomes one `hierarchies` entry per hierarchy (3.0 Hierarchy is a
 *   maintainable), with the same ids as in SDMX-ML 3.0 (../hierarchies30.ts): with a single
 *   hierarchy it takes the HCL's id and names and the annotations of the HCL and the hierarchy;
 *   with several, each takes its hierarchy's id, names and annotations. Agency, version and
 *   validity are the HCL's. Codes point at their level by level id (HierarchicalCodeType);
 * - a ProvisionAgreement names its flow under `dataflow`;
 * - there is no `isFinal` in SDMX 3.0 (the 2.0.0 schema has none), so none is written;
 * - a RepresentationMap has one source and one target codelist and one `representationMappings`
 *   entry per code pair (one source value, one target value; 1→n is n entries), none when empty.
 * - a Process nests its `processSteps`, inputs and outputs by 3.0 URN (../json10/process.ts);
 * - an AttachmentConstraint is not written: SDMX 3.0 has no such class;
 * - a HierarchyAssociation names its linked Hierarchy, component and context by 3.0 URN
 *   (../urn30.ts); the schema wants linkedHierarchy and linkedObject unless it is a stub;
 * - a ValueList writes its `valueItems` (id = the value; none when empty: minItems 1), and no
 *   self link (the schema's URN pattern misspells the class, see `artefact`);
 * - the VTL schemes write their items and references as vtl.ts says.
 * Items: see ../json10/items.ts; DSD components: see components.ts.
 */
import { metadataStructureContent20, metadataflowContent20 } from './metadata-structure.js';
import {
  itemUrnOf,
  refOf,
  urnOf,
  type ContentConstraint,
  type HierarchicalCode,
  type HierarchicalCodelist,
  type Maintainable,
  type MaintainableClass,
  type MaintainableRef,
  type ItemSchemeMap,
  type RepresentationMap,
  type StructureMap,
  type ValueList,
} from '../model.js';
import type { StructureMessage } from '../message.js';
import { hierarchyAssociationRefs30, urn30 } from '../urn30.js';
import { hierarchies30, type Hierarchy30 } from '../hierarchies30.js';
import { annotations, attachment, clean, levelChain, Localiser, maintainableHead, meta, presentationOf } from '../json10/common.js';
import { itemSchemeContent } from '../json10/items.js';
import { processContent } from '../json10/process.js';
import { dataStructureComponents20, representation20 } from './components.js';
import { isVtlScheme } from '../model.js';
import { VTL_ARRAYS_20, vtlSchemeContent } from './vtl.js';

type Json = Record<string, unknown>;

export const SCHEMA_URL_20 =
  'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/structure-message/tools/schemas/2.0.0/sdmx-json-structure-schema.json';

/** `data` member of each class, in the order the arrays are written. */
const ARRAY_OF: Readonly<Record<Exclude<MaintainableClass, 'AttachmentConstraint'>, string>> = {
  AgencyScheme: 'agencySchemes',
  DataProviderScheme: 'dataProviderSchemes',
  Codelist: 'codelists',
  ConceptScheme: 'conceptSchemes',
  CategoryScheme: 'categorySchemes',
  HierarchicalCodelist: 'hierarchies',
  DataStructure: 'dataStructures',
  Dataflow: 'dataflows',
  Metadataflow: 'metadataflows',
  MetadataStructure: 'metadataStructures',
  Categorisation: 'categorisations',
  ContentConstraint: 'dataConstraints',
  ProvisionAgreement: 'provisionAgreements',
  RepresentationMap: 'representationMaps',
  OrganisationUnitScheme: 'organisationUnitSchemes',
  DataConsumerScheme: 'dataConsumerSchemes',
  ReportingTaxonomy: 'reportingTaxonomies',
  Process: 'processes',
  HierarchyAssociation: 'hierarchyAssociations',
  ValueList: 'valueLists',
  StructureMap: 'structureMaps',
  ConceptSchemeMap: 'conceptSchemeMaps',
  CategorySchemeMap: 'categorySchemeMaps',
  OrganisationSchemeMap: 'organisationSchemeMaps',
  ReportingTaxonomyMap: 'reportingTaxonomyMaps',
  ...VTL_ARRAYS_20,
};

export function writeStructureJson20(msg: StructureMessage): object {
  const loc = new Localiser(msg.header.languages ?? []);
  const data: Record<string, Json[]> = {};
  for (const cls of Object.keys(ARRAY_OF) as (keyof typeof ARRAY_OF)[]) {
    const of = msg.artefacts.filter((a) => a.class === cls);
    const written = of.flatMap((a) => artefact(loc, a));
    if (written.length > 0) data[ARRAY_OF[cls]] = written; // every array: minItems 1
  }
  // meta last: it lists the languages met while writing `data`.
  return { meta: meta(msg.header, SCHEMA_URL_20, loc), data };
}

function artefact(loc: Localiser, a: Maintainable): Json[] {
  if (a.class === 'HierarchicalCodelist') return hierarchies(loc, a);
  if (a.class === 'AttachmentConstraint') return [];
  const head = maintainableHead(loc, a, { urn: urn30(refOf(a)), withIsFinal: false });
  // Erratum in the 2.0.0 schema: its URN pattern spells the class `Valuelist`, the SDMX-ML 3.0
  // XSD and the information model `ValueList`. A value list gets no self link rather than a URN
  // that differs from the SDMX-ML one or one that fails the schema.
  if (a.class === 'ValueList') delete head.links;
  if (isVtlScheme(a)) return [{ ...head, ...vtlSchemeContent(loc, a, presentationOf(a) === 'full') }];
  if (presentationOf(a) !== 'full') return [head];
  switch (a.class) {
    case 'AgencyScheme':
    case 'DataProviderScheme':
    case 'Codelist':
    case 'ConceptScheme':
    case 'CategoryScheme':
    case 'OrganisationUnitScheme':
    case 'DataConsumerScheme':
    case 'ReportingTaxonomy':
      return [{ ...head, ...itemSchemeContent(loc, a, { conceptParent: 'id', representation: representation20 }) }];
    case 'Process':
      return [{ ...head, ...processContent(loc, a, urn30) }];
    case 'DataStructure':
      return [{ ...head, dataStructureComponents: dataStructureComponents20(loc, a) }];
    case 'Dataflow':
      return [{ ...head, structure: urnOf(a.structure) }];
    case 'MetadataStructure':
      return [{ ...head, ...metadataStructureContent20(loc, a) }];
    case 'Metadataflow':
      return [{ ...head, ...metadataflowContent20(a) }];
    case 'Categorisation':
      return [{ ...head, source: urn30(a.source), target: itemUrnOf(a.target) }];
    case 'ContentConstraint':
      return [{ ...head, ...constraint(a) }];
    case 'ProvisionAgreement':
      return [{ ...head, dataflow: urnOf(a.structureUsage), dataProvider: itemUrnOf(a.dataProvider) }];
    case 'RepresentationMap':
      return [{ ...head, ...representationMap(a) }];
    case 'HierarchyAssociation': {
      const refs = hierarchyAssociationRefs30(a);
      return [{ ...head, linkedHierarchy: refs.hierarchy, linkedObject: refs.object, contextObject: refs.context }];
    }
    case 'ValueList':
      return [{ ...head, ...valueItems(loc, a) }];
    case 'ConceptSchemeMap':
    case 'CategorySchemeMap':
    case 'OrganisationSchemeMap':
    case 'ReportingTaxonomyMap':
      return [{ ...head, ...itemSchemeMap(a) }];
    case 'StructureMap':
      return [{ ...head, ...structureMap(a) }];
  }
}

function itemSchemeMap(m: ItemSchemeMap): Json {
  return clean({
    source: urn30(m.source),
    target: urn30(m.target),
    itemMaps: m.mappings.length > 0 ? m.mappings.map((p) => ({ sourceValue: { value: p.source }, targetValue: p.target })) : undefined,
  });
}

function structureMap(m: StructureMap): Json {
  const componentMaps = m.componentMaps.map((c) =>
    clean({ source: c.source, target: c.target, representationMap: c.representationMap ? urn30(c.representationMap) : undefined }),
  );
  const fixedValueMaps = m.fixedValueMaps.map((f) => ({ target: f.target, values: [f.value] }));
  return clean({
    source: urn30(m.source),
    target: urn30(m.target),
    componentMaps: componentMaps.length > 0 ? componentMaps : undefined,
    fixedValueMaps: fixedValueMaps.length > 0 ? fixedValueMaps : undefined,
  });
}

function representationMap(m: RepresentationMap): Json {
  return clean({
    source: [{ codelist: urn30(m.source) }],
    target: [{ codelist: urn30(m.target) }],
    representationMappings:
      m.mappings.length > 0 ? m.mappings.map((p) => ({ sourceValues: [{ value: p.source }], targetValues: [p.target] })) : undefined,
  });
}

function valueItems(loc: Localiser, v: ValueList): Json {
  // ValueListType has no isPartial: a value list cut by an item query is just shorter.
  const items = v.items.map((i) => clean({ id: i.id, annotations: annotations(loc, i.annotations), ...loc.nameable({ name: i.name ?? {}, description: i.description }) }));
  return clean({ valueItems: items.length > 0 ? items : undefined });
}

// ---------------------------------------------------------------------------------------------
// Hierarchies

/** A hierarchical code: its URN and, as in SDMX-JSON 1.0, the code's id (clients build trees from it). */
function hierarchicalCode(c: HierarchicalCode): Json {
  return clean({
    id: c.id,
    code: itemUrnOf(c.code),
    codeID: c.code.id,
    level: c.levelID,
    hierarchicalCodes: c.children.length > 0 ? c.children.map(hierarchicalCode) : undefined,
  });
}

function hierarchies(loc: Localiser, h: HierarchicalCodelist): Json[] {
  // An HCL without hierarchies is still written, as one empty Hierarchy, rather than lost.
  const list: readonly Hierarchy30[] =
    h.hierarchies.length > 0 ? hierarchies30(h) : [{ identity: h, hierarchy: { id: h.id, name: h.name, hierarchicalCodes: [] } }];
  return list.map(({ identity, hierarchy: hy }) => {
    const id = identity.id;
    const head = maintainableHead(loc, h, {
      id,
      urn: urn30({ ...refOf(h), id }),
      withIsFinal: false,
      nameable: identity,
    });
    if (presentationOf(h) !== 'full') return head;
    const levels = hy.levels ?? [];
    return clean({
      ...head,
      hasFormalLevels: levels.length > 0,
      level: levelChain(loc, levels),
      hierarchicalCodes: hy.hierarchicalCodes.length > 0 ? hy.hierarchicalCodes.map(hierarchicalCode) : undefined,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Data constraints

function constraint(c: ContentConstraint): Json {
  const regions = c.cubeRegions.map((r) => {
    // 2.0.0 CubeRegionKeyType: values has minItems 1, so empty selections are left out.
    const keyValues = r.keyValues.filter((kv) => kv.values.length > 0).map((kv) => ({ id: kv.id, values: [...kv.values] }));
    return clean({ include: r.include, keyValues: keyValues.length > 0 ? keyValues : undefined });
  });
  return clean({
    role: c.constraintType,
    // SDMX 3.0 dropped the reference period of constraints: it is not written.
    constraintAttachment: attachment(c.constraintAttachment, urn30),
    cubeRegions: regions.length > 0 ? regions : undefined,
  });
}

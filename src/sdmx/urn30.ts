/**
 * SDMX 3.0 URNs for our (SDMX 2.1-named) model, shared by SDMX-ML 3.0 and SDMX-JSON 2.0, whose references are URN strings
 * (SDMXCommonReferences.xsd), and two classes are renamed in 3.0: a HierarchicalCodelist is
 * written as a `codelist.Hierarchy`, a ContentConstraint as a `registry.DataConstraint`; a
 * RepresentationMap and the other maps (2.1 `mapping.StructureSet`s) live in the 3.0 `structuremapping` package.
 * Everything else is the model's `urnOf` / `itemUrnOf` unchanged.
 *
 * A reference to a HierarchicalCodelist keeps the HCL's agency, id and version; it resolves to
 * the written Hierarchy when the HCL has one hierarchy (see hierarchy.ts for the id choice).
 */
import { itemUrnOf, refOf, urnOf, type HierarchyAssociation, type ItemRef, type MaintainableBase, type MaintainableRef } from './model.js';

const URN_PREFIX = 'urn:sdmx:org.sdmx.infomodel.';

/** URN of a maintainable as SDMX 3.0 names it. */
export function urn30(r: MaintainableRef): string {
  switch (r.class) {
    case 'HierarchicalCodelist':
      return hierarchyUrn(r.agencyID, r.id, r.version);
    case 'ContentConstraint':
      return `${URN_PREFIX}registry.DataConstraint=${r.agencyID}:${r.id}(${r.version})`;
    case 'RepresentationMap':
    case 'StructureMap':
    case 'ConceptSchemeMap':
    case 'CategorySchemeMap':
    case 'OrganisationSchemeMap':
    case 'ReportingTaxonomyMap':
      return `${URN_PREFIX}structuremapping.${r.class}=${r.agencyID}:${r.id}(${r.version})`;
    default:
      return urnOf(r);
  }
}

/** URN of a 3.0 Hierarchy (codelist package). */
export function hierarchyUrn(agencyID: string, id: string, version: string): string {
  return `${URN_PREFIX}codelist.Hierarchy=${agencyID}:${id}(${version})`;
}

/** URN of an item (code, concept, category, agency, data provider): unchanged in 3.0. */
export function itemUrn30(r: ItemRef): string {
  return itemUrnOf(r);
}

/**
 * URN of a component or descriptor inside a DSD, e.g.
 * `urn:sdmx:org.sdmx.infomodel.datastructure.Dimension=TEST:DSD_TEST(1.0).FREQ`.
 */
export function dsdPartUrn(
  cls:
    | 'Dimension'
    | 'TimeDimension'
    | 'DataAttribute'
    | 'Measure'
    | 'DimensionDescriptor'
    | 'AttributeDescriptor'
    | 'MeasureDescriptor'
    | 'GroupDimensionDescriptor',
  dsd: MaintainableBase,
  id: string,
): string {
  return `${URN_PREFIX}datastructure.${cls}=${dsd.agencyID}:${dsd.id}(${dsd.version}).${id}`;
}

/**
 * The URNs of a hierarchy association as SDMX 3.0 writes them: itself, the Hierarchy it links
 * (an HCL's own id when it has one hierarchy, else the hierarchy's id, as hierarchies30.ts
 * publishes them), the linked component inside the context structure, and the context.
 */
export function hierarchyAssociationRefs30(a: HierarchyAssociation): { self: string; hierarchy: string; object: string; context: string } {
  const hcl = a.linkedHierarchy.hcl;
  return {
    self: urnOf(refOf(a)),
    hierarchy: hierarchyUrn(hcl.agencyID, a.linkedHierarchy.hierarchyID ?? hcl.id, hcl.version),
    object: `${URN_PREFIX}datastructure.${a.linkedComponent.kind}=${a.context.agencyID}:${a.context.id}(${a.context.version}).${a.linkedComponent.id}`,
    context: urn30(a.context),
  };
}

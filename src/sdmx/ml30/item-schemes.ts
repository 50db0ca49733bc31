/**
 * SDMX-ML 3.0 item schemes: AgencyScheme, DataProviderScheme, DataConsumerScheme,
 * OrganisationUnitScheme, Codelist, ConceptScheme, CategoryScheme and ReportingTaxonomy
 * (SDMXStructureOrganisation/Codelist/Concept/Category/ReportingTaxonomy.xsd).
 *
 * - Code, Concept and OrganisationUnit hierarchies use `structure:Parent` holding the parent's id
 *   as text (3.0 dropped 2.1's `<Parent><Ref/></Parent>`). Categories and reporting categories
 *   cannot carry a Parent in 3.0, so they are nested; one whose parent is absent (partial scheme)
 *   is written at the top. A reporting category's dataflows follow its sub-categories as
 *   `ProvisioningMetadata` URNs.
 * - Known XSD erratum: 3.0.0 types Code/Parent as SingleNCNameIDType, so a numeric parent such
 *   as ICCS "0101" fails the pattern although code ids may be numeric. SDMX maintainers agreed
 *   it should be IDType (sdmx-twg/sdmx-ml issue #30). We write the parent anyway: dropping it
 *   would silently flatten ICCS.
 * - Organisation schemes have no `version` attribute in 3.0 (prohibited by
 *   OrganisationSchemeBaseType); their URN still carries it.
 * - `isPartial="true"` is written on full item schemes the model marks partial.
 */
import type { Category, Code, Concept, ItemClass, ItemScheme, MaintainableBase, Nameable, OrganisationUnit, ReportingCategory } from '../model.js';
import { ITEM_CLASS_OF, PACKAGE_OF } from '../model.js';
import { maintainableEl, nameableContent } from './nameable.js';
import { representationEl } from './representation.js';
import { urn30 } from '../urn30.js';
import { el, textEl, type XmlElement } from './xml-text.js';

const TAG: Record<ItemScheme['class'], string> = {
  AgencyScheme: 'structure:AgencyScheme',
  DataProviderScheme: 'structure:DataProviderScheme',
  Codelist: 'structure:Codelist',
  ConceptScheme: 'structure:ConceptScheme',
  CategoryScheme: 'structure:CategoryScheme',
  OrganisationUnitScheme: 'structure:OrganisationUnitScheme',
  DataConsumerScheme: 'structure:DataConsumerScheme',
  ReportingTaxonomy: 'structure:ReportingTaxonomy',
};

const ORGANISATION_SCHEMES = new Set<ItemScheme['class']>(['AgencyScheme', 'DataProviderScheme', 'DataConsumerScheme', 'OrganisationUnitScheme']);

function itemUrn(cls: ItemClass, scheme: MaintainableBase, path: string): string {
  return `urn:sdmx:org.sdmx.infomodel.${PACKAGE_OF[cls]}.${cls}=${scheme.agencyID}:${scheme.id}(${scheme.version}).${path}`;
}

function flatItem(cls: ItemClass, scheme: MaintainableBase, item: Nameable): XmlElement {
  return el(`structure:${cls}`, { urn: itemUrn(cls, scheme, item.id), id: item.id }, nameableContent(item));
}

function codeEl(scheme: MaintainableBase, c: Code | OrganisationUnit, cls: 'Code' | 'OrganisationUnit' = 'Code'): XmlElement {
  return el(
    `structure:${cls}`,
    { urn: itemUrn(cls, scheme, c.id), id: c.id },
    nameableContent(c),
    c.parentID !== undefined && textEl('structure:Parent', c.parentID),
  );
}

function conceptEl(scheme: MaintainableBase, c: Concept): XmlElement {
  return el(
    'structure:Concept',
    { urn: itemUrn('Concept', scheme, c.id), id: c.id },
    nameableContent(c),
    c.parentID !== undefined && textEl('structure:Parent', c.parentID),
    representationEl('structure:CoreRepresentation', c.coreRepresentation, 'basic'),
  );
}

/** Nests flat (reporting) categories under their parents; the URN path is the dotted id path. */
function nestedEls(scheme: MaintainableBase, items: readonly (Category | ReportingCategory)[], cls: 'Category' | 'ReportingCategory'): XmlElement[] {
  const ids = new Set(items.map((c) => c.id));
  const childrenOf = new Map<string | undefined, (Category | ReportingCategory)[]>();
  for (const c of items) {
    const parent = c.parentID !== undefined && ids.has(c.parentID) && c.parentID !== c.id ? c.parentID : undefined;
    const list = childrenOf.get(parent) ?? [];
    list.push(c);
    childrenOf.set(parent, list);
  }
  const seen = new Set<string>(); // guards against parent cycles in bad data
  const build = (c: Category | ReportingCategory, path: string): XmlElement => {
    seen.add(c.id);
    const kids = (childrenOf.get(c.id) ?? []).filter((k) => !seen.has(k.id));
    const flows = ('provisioningMetadata' in c ? c.provisioningMetadata : undefined) ?? [];
    return el(
      `structure:${cls}`,
      { urn: itemUrn(cls, scheme, path), id: c.id },
      nameableContent(c),
      kids.map((k) => build(k, `${path}.${k.id}`)),
      flows.map((r) => textEl('structure:ProvisioningMetadata', urn30(r))),
    );
  };
  return (childrenOf.get(undefined) ?? []).map((c) => build(c, c.id));
}

function itemEls(s: ItemScheme): XmlElement[] {
  switch (s.class) {
    case 'Codelist':
      return s.items.map((c) => codeEl(s, c));
    case 'ConceptScheme':
      return s.items.map((c) => conceptEl(s, c));
    case 'CategoryScheme':
      return nestedEls(s, s.items, 'Category');
    case 'ReportingTaxonomy':
      return nestedEls(s, s.items, 'ReportingCategory');
    case 'OrganisationUnitScheme':
      return s.items.map((c) => codeEl(s, c, 'OrganisationUnit'));
    default:
      return s.items.map((i) => flatItem(ITEM_CLASS_OF[s.class] as ItemClass, s, i));
  }
}

export function itemSchemeEl(s: ItemScheme): XmlElement {
  const full = (s.presentation ?? 'full') === 'full';
  const organisation = ORGANISATION_SCHEMES.has(s.class);
  return maintainableEl(TAG[s.class], s, {
    urn: urn30(s),
    versioned: !organisation,
    attrs: { isPartial: full && s.isPartial ? true : undefined },
    content: () => itemEls(s),
  });
}

/**
 * Items of an item scheme, for both SDMX-JSON versions (field guides "item"): `isPartial`, then
 * the items under the scheme's member (`agencies`, `dataProviders`, `dataConsumers`,
 * `organisationUnits`, `codes`, `concepts`, `categories`, `reportingCategories`), each with its
 * name(s), description(s), annotations and a self link by URN.
 *
 * Hierarchies: codes carry `parent` as the parent's id (CodeType.parent is an idType in both
 * schemas); concepts carry it as a URN in 1.0 (ConceptType.parent is a urn) and as an id in
 * 2.0.0 (SingleNCNameIDType), and so do organisation units (1.0 urn, 2.0.0 idType); categories
 * and reporting categories are nested, since neither schema gives them a parent. A reporting
 * category lists its dataflows as `provisioningMetadata` URNs.
 * A nested category's URN names its path from the top (SDMX URNs of nested items).
 */
import {
  itemUrnOf,
  refOf,
  type Category,
  type ReportingCategory,
  urnOf,
  type ItemClass,
  type ItemScheme,
  type Nameable,
  type Representation,
} from '../model.js';
import { annotations, clean, selfLink, toForest, type Localiser, type TreeNode } from './common.js';

type Json = Record<string, unknown>;

export interface ItemOptions {
  /** How a concept's or an organisation unit's parent is written. */
  readonly conceptParent: 'urn' | 'id';
  /** The version's representation writer (concept core representation). */
  readonly representation: (r: Representation | undefined) => Json | undefined;
}

function itemBase(loc: Localiser, i: Nameable, urn: string): Json {
  return clean({
    id: i.id,
    ...loc.nameable(i),
    annotations: annotations(loc, i.annotations),
    links: selfLink(urn),
  });
}

export function itemSchemeContent(loc: Localiser, s: ItemScheme, opts: ItemOptions): Json {
  const scheme = refOf(s);
  const urn = (cls: ItemClass, id: string) => itemUrnOf({ class: cls, scheme, id });
  let key: string;
  let items: Json[];
  switch (s.class) {
    case 'AgencyScheme':
      key = 'agencies';
      items = s.items.map((i) => itemBase(loc, i, urn('Agency', i.id)));
      break;
    case 'DataProviderScheme':
      key = 'dataProviders';
      items = s.items.map((i) => itemBase(loc, i, urn('DataProvider', i.id)));
      break;
    case 'Codelist':
      key = 'codes';
      items = s.items.map((c) => clean({ ...itemBase(loc, c, urn('Code', c.id)), parent: c.parentID }));
      break;
    case 'ConceptScheme':
      key = 'concepts';
      items = s.items.map((c) =>
        clean({
          ...itemBase(loc, c, urn('Concept', c.id)),
          coreRepresentation: opts.representation(c.coreRepresentation),
          parent:
            c.parentID === undefined ? undefined : opts.conceptParent === 'urn' ? urn('Concept', c.parentID) : c.parentID,
        }),
      );
      break;
    case 'DataConsumerScheme':
      key = 'dataConsumers';
      items = s.items.map((i) => itemBase(loc, i, urn('DataConsumer', i.id)));
      break;
    case 'OrganisationUnitScheme':
      key = 'organisationUnits';
      items = s.items.map((u) =>
        clean({
          ...itemBase(loc, u, urn('OrganisationUnit', u.id)),
          parent: u.parentID === undefined ? undefined : opts.conceptParent === 'urn' ? urn('OrganisationUnit', u.parentID) : u.parentID,
        }),
      );
      break;
    case 'ReportingTaxonomy': {
      key = 'reportingCategories';
      const write = (n: TreeNode<ReportingCategory>): Json =>
        clean({
          ...itemBase(loc, n.item, urn('ReportingCategory', n.path)),
          reportingCategories: n.children.length > 0 ? n.children.map(write) : undefined,
          provisioningMetadata: n.item.provisioningMetadata?.length ? n.item.provisioningMetadata.map(urnOf) : undefined,
        });
      items = toForest(s.items).map(write);
      break;
    }
    case 'CategoryScheme': {
      key = 'categories';
      const write = (n: TreeNode<Category>): Json =>
        clean({
          ...itemBase(loc, n.item, urn('Category', n.path)),
          categories: n.children.length > 0 ? n.children.map(write) : undefined,
        });
      items = toForest(s.items).map(write);
      break;
    }
  }
  const out: Json = { isPartial: s.isPartial ?? false };
  if (items.length > 0) out[key] = items; // 2.0.0: minItems 1
  return out;
}

/**
 * SDMX-JSON 1.0 structure message writer (SDMX 2.1 artefacts; schema
 * sdmx-json-structure-schema.json 1.0, field guide structure-message-field-guide.md 1.0).
 * Returns a plain object; the caller serialises it.
 *
 * `data` holds one array per artefact class present, under the schema's names
 * (`contentConstraints`, `hierarchicalCodelists`...), in message order within each array.
 * References are URNs. Items: see items.ts; DSD components: see components.ts. Stubs carry no
 * items, components or content (see `maintainableHead`). A hierarchical codelist's levels are
 * nested (`level` inside `level`) as in SDMX-ML 2.1, and its codes point at their level by URN.
 * A RepresentationMap is a `structureSets` entry (its SDMX 2.1 form) holding one `codelistMaps`
 * entry of the same id, with one `codeMaps` pair of code URNs per mapping; no pairs, no
 * codelistMaps (the schema wants at least one codeMap). The item scheme maps likewise, each a
 * `structureSets` entry holding one concept/category/organisation scheme or reporting taxonomy
 * map with item URN pairs. A StructureMap has no SDMX 2.1 form here (see the ML 2.1 writer). A Process nests its `processSteps`, with
 * inputs and outputs by URN (process.ts); an AttachmentConstraint writes its `dataKeySets`.
 */
import { metadataStructureComponents10 } from './metadata-structure.js';
import {
  itemUrnOf,
  urnOf,
  refOf,
  refKey,
  type ContentConstraint,
  type HierarchicalCode,
  type HierarchicalCodelist,
  type Maintainable,
  type MaintainableClass,
  type ProvisionAgreement,
  type RepresentationMap,
  type ItemSchemeMap,
  type MaintainableRef,
  type VtlSchemeClass,
  ITEM_CLASS_OF,
} from '../model.js';
import type { StructureMessage } from '../message.js';
import { annotations, attachment, clean, levelChain, Localiser, maintainableHead, meta, presentationOf } from './common.js';
import { dataStructureComponents10, representation10 } from './components.js';
import { itemSchemeContent } from './items.js';
import { dataKeySets, processContent } from './process.js';

type Json = Record<string, unknown>;

export const SCHEMA_URL_10 =
  'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/structure-message/tools/schemas/1.0/sdmx-json-structure-schema.json';

/** `data` member of each class, in the order the arrays are written. */
/** SDMX 3.0-only classes have no SDMX-JSON 1.0 form: left out (STRUCTURE_JSON10.omits). */
/** Nor does it define the VTL classes (VtlSchemeClass): left out too. */
type NotIn10 = 'HierarchyAssociation' | 'ValueList' | 'StructureMap' | VtlSchemeClass;
type Writable10 = Exclude<Maintainable, { class: NotIn10 }>;
/** The maps are all `structureSets` entries (their SDMX 2.1 form): several classes, one array. */
const ARRAY_OF: Readonly<Record<Exclude<MaintainableClass, NotIn10>, string>> = {
  AgencyScheme: 'agencySchemes',
  DataProviderScheme: 'dataProviderSchemes',
  Codelist: 'codelists',
  ConceptScheme: 'conceptSchemes',
  CategoryScheme: 'categorySchemes',
  HierarchicalCodelist: 'hierarchicalCodelists',
  DataStructure: 'dataStructures',
  Dataflow: 'dataflows',
  Categorisation: 'categorisations',
  ContentConstraint: 'contentConstraints',
  ProvisionAgreement: 'provisionAgreements',
  RepresentationMap: 'structureSets',
  ConceptSchemeMap: 'structureSets',
  CategorySchemeMap: 'structureSets',
  OrganisationSchemeMap: 'structureSets',
  ReportingTaxonomyMap: 'structureSets',
  OrganisationUnitScheme: 'organisationUnitSchemes',
  DataConsumerScheme: 'dataConsumerSchemes',
  ReportingTaxonomy: 'reportingTaxonomies',
  Process: 'processes',
  AttachmentConstraint: 'attachmentConstraints',
  MetadataStructure: 'metadataStructures',
  Metadataflow: 'metadataflows',
};

export function writeStructureJson10(msg: StructureMessage): object {
  const loc = new Localiser(msg.header.languages ?? []);
  const data: Record<string, Json[]> = {};
  for (const cls of Object.keys(ARRAY_OF) as (keyof typeof ARRAY_OF)[]) {
    const of = msg.artefacts.filter((a): a is Writable10 => a.class === cls);
    if (of.length > 0) (data[ARRAY_OF[cls]] ??= []).push(...of.map((a) => artefact(loc, a)));
  }
  // meta last: it lists the languages met while writing `data`.
  return { meta: meta(msg.header, SCHEMA_URL_10, loc), data };
}

function artefact(loc: Localiser, a: Writable10): Json {
  const head = maintainableHead(loc, a, { urn: urnOf(refOf(a)), withIsFinal: true });
  if (presentationOf(a) !== 'full') {
    // ProvisionAgreementType requires both references, so even a stub names them.
    return a.class === 'ProvisionAgreement' ? { ...head, ...provision(a) } : head;
  }
  switch (a.class) {
    case 'AgencyScheme':
    case 'DataProviderScheme':
    case 'Codelist':
    case 'ConceptScheme':
    case 'CategoryScheme':
    case 'OrganisationUnitScheme':
    case 'DataConsumerScheme':
    case 'ReportingTaxonomy':
      return { ...head, ...itemSchemeContent(loc, a, { conceptParent: 'urn', representation: representation10 }) };
    case 'Process':
      return { ...head, ...processContent(loc, a, urnOf, true) };
    case 'AttachmentConstraint':
      return {
        ...head,
        ...clean({
          constraintAttachment: attachment(a.constraintAttachment, urnOf),
          dataKeySets: a.dataKeySets.length > 0 ? dataKeySets(a.dataKeySets) : undefined,
        }),
      };
    case 'HierarchicalCodelist':
      return { ...head, ...hierarchicalCodelist(loc, a) };
    case 'DataStructure':
      return { ...head, dataStructureComponents: dataStructureComponents10(loc, a) };
    case 'Dataflow':
    case 'Metadataflow':
      return { ...head, structure: urnOf(a.structure) };
    case 'MetadataStructure':
      return { ...head, metadataStructureComponents: metadataStructureComponents10(loc, a) };
    case 'Categorisation':
      return { ...head, source: urnOf(a.source), target: itemUrnOf(a.target) };
    case 'ContentConstraint':
      return { ...head, ...constraint(a) };
    case 'ProvisionAgreement':
      return { ...head, ...provision(a) };
    case 'RepresentationMap':
    case 'ConceptSchemeMap':
    case 'CategorySchemeMap':
    case 'OrganisationSchemeMap':
    case 'ReportingTaxonomyMap':
      return { ...head, ...structureSet(loc, a) };
  }
}

/** Each map's array in its structure set, and the array of its item pairs. */
const MAP_MEMBERS = {
  RepresentationMap: ['codelistMaps', 'codeMaps'],
  ConceptSchemeMap: ['conceptSchemeMaps', 'conceptMaps'],
  CategorySchemeMap: ['categorySchemeMaps', 'categoryMaps'],
  OrganisationSchemeMap: ['organisationSchemeMaps', 'organisationMaps'],
  ReportingTaxonomyMap: ['reportingTaxonomyMaps', 'reportingCategoryMaps'],
} as const;

/**
 * A map as the structure set of its identity holding one map of the same id, with item URNs in
 * pairs; no pairs, no map (the schema wants at least one pair in it).
 */
function structureSet(loc: Localiser, m: RepresentationMap | ItemSchemeMap): Json {
  if (m.mappings.length === 0) return {};
  const item = (scheme: MaintainableRef, id: string) => itemUrnOf({ class: ITEM_CLASS_OF[scheme.class]!, scheme, id });
  const [mapsMember, pairsMember] = MAP_MEMBERS[m.class];
  const map = clean({
    id: m.id,
    ...loc.nameable(m),
    annotations: annotations(loc, m.annotations),
    source: urnOf(m.source),
    target: urnOf(m.target),
    [pairsMember]: m.mappings.map((p) => ({ source: item(m.source, p.source), target: item(m.target, p.target) })),
  });
  return { [mapsMember]: [map] };
}

function provision(a: ProvisionAgreement): Json {
  return { structureUsage: urnOf(a.structureUsage), dataProvider: itemUrnOf(a.dataProvider) };
}

// ---------------------------------------------------------------------------------------------
// Hierarchical codelists (SDMX 2.1 HierarchicalCodelist: nested levels, URN code references)

function hierarchicalCodelist(loc: Localiser, h: HierarchicalCodelist): Json {
  const hclRef = refOf(h);
  const includedCodelists: Record<string, string> = {};
  const aliasOf = new Map<string, string>();
  for (const ic of h.includedCodelists) {
    includedCodelists[ic.alias] = urnOf(ic.ref);
    aliasOf.set(refKey(ic.ref), ic.alias);
  }
  const hierarchies = h.hierarchies.map((hy) => {
    const levels = hy.levels ?? [];
    // SDMX 2.1 levels are nested, so a level's URN names every level above it.
    const levelUrn = new Map<string, string>();
    levels.reduce((path, l) => {
      const p = `${path}.${l.id}`;
      levelUrn.set(l.id, `urn:sdmx:org.sdmx.infomodel.codelist.Level=${hclRef.agencyID}:${hclRef.id}(${hclRef.version}).${hy.id}${p}`);
      return p;
    }, '');
    // Besides the URN, the code's id and the alias of its codelist (codeID, codelistAliasRef):
    // clients such as the .Stat Suite build the tree from codeID alone.
    const code = (c: HierarchicalCode): Json =>
      clean({
        id: c.id,
        code: itemUrnOf(c.code),
        codeID: c.code.id,
        codelistAliasRef: aliasOf.get(refKey(c.code.scheme)),
        level: c.levelID !== undefined ? levelUrn.get(c.levelID) : undefined,
        hierarchicalCodes: c.children.length > 0 ? c.children.map(code) : undefined,
      });
    return clean({
      id: hy.id,
      ...loc.nameable(hy),
      annotations: annotations(loc, hy.annotations),
      leveled: levels.length > 0,
      level: levelChain(loc, levels),
      hierarchicalCodes: hy.hierarchicalCodes.map(code),
    });
  });
  const out: Json = {};
  if (h.includedCodelists.length > 0) out.includedCodelists = includedCodelists;
  if (hierarchies.length > 0) out.hierarchies = hierarchies;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Content constraints

function constraint(c: ContentConstraint): Json {
  return clean({
    type: c.constraintType,
    constraintAttachment: attachment(c.constraintAttachment, urnOf),
    cubeRegions:
      c.cubeRegions.length > 0
        ? c.cubeRegions.map((r) => ({
            isIncluded: r.include,
            keyValues: r.keyValues.map((kv) => ({ id: kv.id, values: [...kv.values] })),
          }))
        : undefined,
    referencePeriod: c.referencePeriod
      ? { startTime: c.referencePeriod.startTime, endTime: c.referencePeriod.endTime }
      : undefined,
  });
}

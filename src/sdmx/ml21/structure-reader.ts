/**
 * SDMX-ML 2.1 structure message reader: `message:Structure` → model artefacts.
 *
 * It reads everything `writeStructureMl21` writes (full presentation) and gives back the same
 * model objects, and it is what loads the server's own structure files at start-up. So it is
 * strict: anything malformed, missing or outside what the model holds stops it with an Error
 * that names the artefact and the element, e.g. `Codelist UNODC:CL_X(1.0): code 0101 has no Name`.
 *
 * Choices:
 * - References are read from `Ref` (class taken from `@class`, else from the element it sits in;
 *   missing versions default to 1.0 as in the XSD); URN-only references are also accepted.
 * - Nested categories are flattened depth-first (parent before children) with `parentID`.
 * - Optional model fields are set only when present in the document, so a round trip gives
 *   objects deep-equal to the input.
 * - Artefacts without their content (stubs, external references) are rejected: the model has
 *   no way to hold a DSD without components. Item schemes without items are empty schemes.
 * - A StructureSet is read as the one map it must hold: a CodelistMap (of any id) is our
 *   RepresentationMap, its CodeMaps the code pairs; a ConceptSchemeMap, CategorySchemeMap,
 *   OrganisationSchemeMap or ReportingTaxonomyMap is the item scheme map of that class, its item
 *   maps the pairs. StructureMaps and HybridCodelistMaps are not supported.
 */
import {
  ITEM_CLASS_OF,
  MAINTAINABLE_CLASSES,
  type Annotation,
  type AttributeRelationship,
  type Categorisation,
  type Category,
  type CategoryScheme,
  type Codelist,
  type Concept,
  type ConceptScheme,
  type ContentConstraint,
  type CubeRegion,
  type DataAttribute,
  type DataStructure,
  type Dataflow,
  type Dimension,
  type Group,
  type HierarchicalCode,
  type HierarchicalCodelist,
  type Hierarchy,
  type HierarchyLevel,
  type ItemClass,
  type ItemSchemeMap,
  type ItemRef,
  type Maintainable,
  type MaintainableBase,
  type MaintainableClass,
  type MaintainableRef,
  type Nameable,
  type ProvisionAgreement,
  type ItemScheme,
  type Process,
  type ProcessArtefact,
  type ProcessStep,
  type ProcessTransition,
  type AttachmentConstraint,
  type DataKeySet,
  type ReportingCategory,
  type RepresentationMap,
  type Representation,
  type Text,
  type TextFormat,
  type TextType,
} from '../model.js';
import { NS21 } from './namespaces.js';
import { attr, childNames, kid, kids, parseXml, text, type XNode } from './xml-tree.js';
import { VTL_CONTAINERS_21, readVtlScheme } from './vtl-reader.js';
import { readMetadataStructure, readMetadataflow, type Ml21MetadataReaderKit } from './metadata-structure-reader.js';

/** Thrown for any problem; the message says what and where. */
function fail(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}

/** Reads every artefact of an SDMX-ML 2.1 structure message, container by container. */
export function readStructureMl21(xml: string): Maintainable[] {
  const root = parseXml(xml);
  if (root.name !== 'Structure') {
    const hint = root.name === 'Error' ? ' (this is an SDMX error message)' : '';
    throw new Error(`expected an SDMX-ML 2.1 message:Structure, found root element ${root.name}${hint}`);
  }
  if (!xml.includes(NS21.message)) {
    const v3 = xml.includes('http://www.sdmx.org/resources/sdmxml/schemas/v3_0/');
    throw new Error(`the Structure message is not in the SDMX-ML 2.1 namespace${v3 ? ' (it is SDMX-ML 3.0)' : ''}`);
  }
  const structures = kid(root.node, 'Structures');
  if (!structures) return [];
  const out: Maintainable[] = [];
  for (const container of childNames(structures)) {
    const spec = CONTAINERS[container];
    if (!spec) fail('Structures', `${container} are not supported`);
    for (const node of kids(structures, container)) {
      for (const el of childNames(node)) {
        const read = spec[el];
        if (!read) fail(`Structures/${container}`, `${el} is not supported`);
        for (const a of kids(node, el)) out.push(read(a));
      }
    }
  }
  return out;
}

type Reader = (node: XNode) => Maintainable;

const CONTAINERS: Readonly<Record<string, Readonly<Record<string, Reader>>>> = {
  OrganisationSchemes: {
    AgencyScheme: (n) => readItemScheme(n, 'AgencyScheme'),
    DataConsumerScheme: (n) => readItemScheme(n, 'DataConsumerScheme'),
    DataProviderScheme: (n) => readItemScheme(n, 'DataProviderScheme'),
    OrganisationUnitScheme: (n) => readItemScheme(n, 'OrganisationUnitScheme'),
  },
  Dataflows: { Dataflow: readDataflow },
  Metadataflows: { Metadataflow: (n) => readMetadataflow(n, METADATA_KIT) },
  MetadataStructures: { MetadataStructure: (n) => readMetadataStructure(n, METADATA_KIT) },
  CategorySchemes: { CategoryScheme: (n) => readItemScheme(n, 'CategoryScheme') },
  Categorisations: { Categorisation: readCategorisation },
  Codelists: { Codelist: (n) => readItemScheme(n, 'Codelist') },
  HierarchicalCodelists: { HierarchicalCodelist: readHcl },
  Concepts: { ConceptScheme: (n) => readItemScheme(n, 'ConceptScheme') },
  DataStructures: { DataStructure: readDsd },
  StructureSets: { StructureSet: readStructureSet },
  ReportingTaxonomies: { ReportingTaxonomy: (n) => readItemScheme(n, 'ReportingTaxonomy') },
  Processes: { Process: readProcess },
  Constraints: { AttachmentConstraint: readAttachmentConstraint, ContentConstraint: readConstraint },
  ProvisionAgreements: { ProvisionAgreement: readProvisionAgreement },
  // The VTL schemes: vtl-reader.ts, with this module's pieces.
  ...Object.fromEntries(
    Object.entries(VTL_CONTAINERS_21).map(([container, cls]) => [
      container,
      { [cls]: (n: XNode) => readVtlScheme(n, cls, { fail, base, nameable, maintainableRef, itemRef }) },
    ]),
  ),
};

// ---------------------------------------------------------------------------------------------
// Values

function required(node: XNode | undefined, name: string, where: string, element: string): string {
  const v = attr(node, name);
  if (v === undefined || v === '') fail(where, `${element} has no ${name} attribute`);
  return v;
}

function bool(v: string | undefined, dflt: boolean, where: string, what: string): boolean {
  if (v === undefined) return dflt;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return fail(where, `${what} is "${v}", expected true or false`);
}

function num(v: string | undefined, where: string, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) fail(where, `${what} is "${v}", expected a number`);
  return n;
}

/** Localised texts of one element name; xml:lang defaults to en (SDMXCommon.xsd TextType). */
function texts(node: XNode, el: string, where: string): Text | undefined {
  const list = kids(node, el);
  if (list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const t of list) {
    const lang = attr(t, 'lang') ?? 'en';
    if (lang in out) fail(where, `two ${el} elements in language ${lang}`);
    out[lang] = text(t);
  }
  return out;
}

function annotations(node: XNode, where: string): Annotation[] | undefined {
  const list = kids(kid(node, 'Annotations'), 'Annotation');
  if (list.length === 0) return undefined;
  return list.map((a) => {
    const out: { -readonly [K in keyof Annotation]: Annotation[K] } = {};
    const id = attr(a, 'id');
    if (id !== undefined) out.id = id;
    const title = kid(a, 'AnnotationTitle');
    if (title) out.title = text(title);
    const type = kid(a, 'AnnotationType');
    if (type) out.type = text(type).trim();
    const url = kid(a, 'AnnotationURL');
    if (url) out.url = text(url).trim();
    const t = texts(a, 'AnnotationText', where);
    if (t) out.text = t;
    return out;
  });
}

/** id, name, description, annotations of an item or other nameable; `what` names it in errors. */
function nameable(node: XNode, where: string, what: string): Nameable {
  const id = attr(node, 'id');
  if (!id) fail(where, `${what} without an id`);
  const name = texts(node, 'Name', where);
  if (!name) fail(where, `${what} ${id} has no Name`);
  const out: { -readonly [K in keyof Nameable]: Nameable[K] } = { id, name };
  const description = texts(node, 'Description', where);
  if (description) out.description = description;
  const ann = annotations(node, where);
  if (ann) out.annotations = ann;
  return out;
}

// ---------------------------------------------------------------------------------------------
// References

const SCHEME_OF_ITEM = Object.fromEntries(
  Object.entries(ITEM_CLASS_OF).map(([scheme, item]) => [item, scheme as MaintainableClass]),
) as Record<ItemClass, MaintainableClass>;

const ITEM_CLASSES = new Set<string>(Object.keys(SCHEME_OF_ITEM));
const CLASSES = new Set<string>(MAINTAINABLE_CLASSES);

/** urn:sdmx:org.sdmx.infomodel.{package}.{Class}=AGENCY:ID(VERSION)[.item.path] */
const URN = /^urn:sdmx:org\.sdmx\.infomodel\.[a-z]+\.([A-Za-z]+)=([^:]+):([^(]+)\(([^)]+)\)(?:\.(.+))?$/;

interface RawRef {
  cls?: string;
  agencyID?: string;
  id?: string;
  version?: string;
  parentID?: string;
  parentVersion?: string;
}

function rawRef(container: XNode | undefined, where: string, what: string): RawRef {
  if (!container) fail(where, `${what} is missing`);
  const ref = kid(container, 'Ref');
  if (ref) {
    return {
      cls: attr(ref, 'class'),
      agencyID: attr(ref, 'agencyID'),
      id: attr(ref, 'id'),
      version: attr(ref, 'version'),
      parentID: attr(ref, 'maintainableParentID'),
      parentVersion: attr(ref, 'maintainableParentVersion'),
    };
  }
  const urn = (kid(container, 'URN') ? text(kid(container, 'URN')) : text(container)).trim();
  const m = URN.exec(urn);
  if (!m) fail(where, `${what} has neither a Ref nor a valid URN`);
  const [, cls, agencyID, id, version, item] = m;
  return item === undefined ? { cls, agencyID, id, version } : { cls, agencyID, parentID: id, parentVersion: version, id: item };
}

function maintainableRef(container: XNode | undefined, where: string, what: string, dflt?: MaintainableClass): MaintainableRef {
  const r = rawRef(container, where, what);
  const cls = r.cls ?? dflt;
  if (!cls) fail(where, `${what} reference has no class`);
  if (!CLASSES.has(cls)) fail(where, `${what} refers to a ${cls}, which is not supported`);
  if (!r.agencyID || !r.id) fail(where, `${what} reference needs agencyID and id`);
  return { class: cls as MaintainableClass, agencyID: r.agencyID, id: r.id, version: r.version ?? '1.0' };
}

function itemRef(container: XNode | undefined, where: string, what: string, dflt: ItemClass): ItemRef {
  const r = rawRef(container, where, what);
  const cls = r.cls ?? dflt;
  if (!ITEM_CLASSES.has(cls)) fail(where, `${what} refers to a ${cls}, expected a ${dflt}`);
  if (!r.agencyID || !r.parentID || !r.id) fail(where, `${what} reference needs agencyID, maintainableParentID and id`);
  const scheme: MaintainableRef = {
    class: SCHEME_OF_ITEM[cls as ItemClass],
    agencyID: r.agencyID,
    id: r.parentID,
    version: r.parentVersion ?? '1.0',
  };
  return { class: cls as ItemClass, scheme, id: r.id };
}

function expectClass(r: MaintainableRef, allowed: readonly MaintainableClass[], where: string, what: string): MaintainableRef {
  if (!allowed.includes(r.class)) fail(where, `${what} refers to a ${r.class}, expected ${allowed.join(' or ')}`);
  return r;
}

/** Local reference `<el><Ref id=".."/></el>`: the id. */
function localId(container: XNode | undefined, where: string, what: string): string {
  const id = attr(kid(container, 'Ref'), 'id');
  if (!id) fail(where, `${what} has no Ref/@id`);
  return id;
}

/** This module's pieces, lent to the metadata structure reader. Functions are hoisted. */
const METADATA_KIT: Ml21MetadataReaderKit = {
  fail,
  base: (node, cls) => base(node, cls),
  annotations: (node, where) => annotations(node, where),
  maintainableRef: (c, where, what, dflt) => maintainableRef(c, where, what, dflt),
  itemRef: (c, where, what, dflt) => itemRef(c, where, what, dflt),
  localId: (c, where, what) => localId(c, where, what),
  representation: (n, where, what) => representation(n, where, what),
};

// ---------------------------------------------------------------------------------------------
// Maintainable head

function base<C extends MaintainableClass>(node: XNode, cls: C): { where: string; head: MaintainableBase & { class: C } } {
  const agencyID = attr(node, 'agencyID');
  const id = attr(node, 'id');
  const version = attr(node, 'version') ?? '1.0';
  const where = `${cls} ${agencyID ?? '?'}:${id ?? '?'}(${version})`;
  if (!agencyID) fail(where, 'no agencyID attribute');
  if (!id) fail(where, 'no id attribute');
  if (bool(attr(node, 'isExternalReference'), false, where, 'isExternalReference')) {
    fail(where, 'external references (isExternalReference="true") cannot be loaded');
  }
  const name = texts(node, 'Name', where);
  if (!name) fail(where, 'no Name');
  const head: { -readonly [K in keyof MaintainableBase]: MaintainableBase[K] } & { class: C } = {
    class: cls,
    agencyID,
    id,
    version,
    isFinal: bool(attr(node, 'isFinal'), false, where, 'isFinal'),
    name,
  };
  const description = texts(node, 'Description', where);
  if (description) head.description = description;
  const ann = annotations(node, where);
  if (ann) head.annotations = ann;
  const validFrom = attr(node, 'validFrom');
  if (validFrom !== undefined) head.validFrom = validFrom;
  const validTo = attr(node, 'validTo');
  if (validTo !== undefined) head.validTo = validTo;
  return { where, head };
}

// ---------------------------------------------------------------------------------------------
// Item schemes

type SchemeClass = ItemScheme['class'];

const ITEM_WORD: Readonly<Record<ItemClass, string>> = {
  Agency: 'agency',
  DataProvider: 'data provider',
  Code: 'code',
  Concept: 'concept',
  Category: 'category',
  OrganisationUnit: 'organisation unit',
  DataConsumer: 'data consumer',
  ReportingCategory: 'reporting category',
};

function readItemScheme(node: XNode, cls: SchemeClass): Maintainable {
  const { where, head } = base(node, cls);
  const itemClass = ITEM_CLASS_OF[cls] as ItemClass;
  const word = ITEM_WORD[itemClass];
  const items: Nameable[] = [];
  if (cls === 'CategoryScheme' || cls === 'ReportingTaxonomy') {
    const walk = (n: XNode, parentID: string | undefined): void => {
      const c: { -readonly [K in keyof ReportingCategory]: ReportingCategory[K] } = nameable(n, where, word);
      if (parentID !== undefined) c.parentID = parentID;
      if (kid(n, 'StructuralMetadata')) fail(where, `${word} ${c.id}: StructuralMetadata is not supported`);
      const flows = kids(n, 'ProvisioningMetadata').map((r) =>
        expectClass(maintainableRef(r, where, `${word} ${c.id} ProvisioningMetadata`, 'Dataflow'), ['Dataflow'], where, 'ProvisioningMetadata'),
      );
      if (flows.length > 0) c.provisioningMetadata = flows;
      items.push(c);
      for (const child of kids(n, itemClass)) walk(child, c.id);
    };
    for (const n of kids(node, itemClass)) walk(n, undefined);
  } else {
    for (const n of kids(node, itemClass)) {
      const item: { -readonly [K in keyof Concept]: Concept[K] } = nameable(n, where, word);
      const parent = kid(n, 'Parent');
      if (parent) item.parentID = localId(parent, where, `${word} ${item.id} Parent`);
      if (cls === 'ConceptScheme') {
        const rep = representation(kid(n, 'CoreRepresentation'), where, `concept ${item.id} CoreRepresentation`);
        if (rep) item.coreRepresentation = rep;
      }
      items.push(item);
    }
  }
  const isPartial = bool(attr(node, 'isPartial'), false, where, 'isPartial');
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) fail(where, `${word} ${item.id} appears twice`);
    ids.add(item.id);
  }
  // A partial scheme may leave out the parents of the items it has.
  if (!isPartial) {
    for (const item of items as { id: string; parentID?: string }[]) {
      if (item.parentID !== undefined && !ids.has(item.parentID)) fail(where, `${word} ${item.id} has unknown parent ${item.parentID}`);
    }
  }
  const scheme = { ...head, items } as { -readonly [K in keyof Codelist]: Codelist[K] };
  if (isPartial) scheme.isPartial = true;
  return scheme as unknown as ItemScheme;
}

// ---------------------------------------------------------------------------------------------
// Representations

const TEXT_TYPES = new Set<string>([
  'String',
  'Alpha',
  'AlphaNumeric',
  'Numeric',
  'Integer',
  'Decimal',
  'Double',
  'Boolean',
  'ObservationalTimePeriod',
  'GregorianYear',
  'GregorianDay',
  'DateTime',
  'IdentifiableReference',
  'XHTML',
]);

function textFormat(node: XNode, where: string, what: string): TextFormat {
  const out: { -readonly [K in keyof TextFormat]: TextFormat[K] } = {};
  const textType = attr(node, 'textType');
  if (textType !== undefined) {
    if (!TEXT_TYPES.has(textType)) fail(where, `${what} has textType ${textType}, which is not supported`);
    out.textType = textType as TextType;
  }
  for (const key of ['minLength', 'maxLength', 'minValue', 'maxValue'] as const) {
    const n = num(attr(node, key), where, `${what} ${key}`);
    if (n !== undefined) out[key] = n;
  }
  const pattern = attr(node, 'pattern');
  if (pattern !== undefined) out.pattern = pattern;
  return out;
}

function representation(node: XNode | undefined, where: string, what: string): Representation | undefined {
  if (!node) return undefined;
  const out: { -readonly [K in keyof Representation]: Representation[K] } = {};
  const en = kid(node, 'Enumeration');
  if (en) out.enumeration = maintainableRef(en, where, `${what} Enumeration`, 'Codelist');
  const tf = kid(node, 'TextFormat') ?? kid(node, 'EnumerationFormat');
  if (tf) out.textFormat = textFormat(tf, where, what);
  if (!en && !tf) fail(where, `${what} has neither Enumeration nor TextFormat`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Data structure

interface ComponentFields {
  id: string;
  conceptIdentity: ItemRef;
  localRepresentation?: Representation;
  conceptRoles?: ItemRef[];
  annotations?: Annotation[];
}

function component(node: XNode, where: string, kind: string): ComponentFields {
  const given = attr(node, 'id');
  const conceptIdentity = itemRef(kid(node, 'ConceptIdentity'), where, `${kind} ${given ?? '?'} ConceptIdentity`, 'Concept');
  // The id may be left out; it is then the concept's (SDMXStructureBase.xsd ComponentType).
  const id = given ?? conceptIdentity.id;
  const out: ComponentFields = { id, conceptIdentity };
  const rep = representation(kid(node, 'LocalRepresentation'), where, `${kind} ${id} LocalRepresentation`);
  if (rep) out.localRepresentation = rep;
  const roles = kids(node, 'ConceptRole');
  if (roles.length > 0) out.conceptRoles = roles.map((r) => itemRef(r, where, `${kind} ${id} ConceptRole`, 'Concept'));
  const ann = annotations(node, where);
  if (ann) out.annotations = ann;
  return out;
}

function position(node: XNode, fallback: number, where: string, what: string): number {
  return num(attr(node, 'position'), where, `${what} position`) ?? fallback;
}

function readDsd(node: XNode): DataStructure {
  const { where, head } = base(node, 'DataStructure');
  const comps = kid(node, 'DataStructureComponents');
  if (!comps) fail(where, 'no DataStructureComponents (stubs cannot be loaded)');
  const dimList = kid(comps, 'DimensionList');
  if (!dimList) fail(where, 'no DimensionList');
  if (kid(dimList, 'MeasureDimension')) fail(where, 'MeasureDimension is not supported');
  const dimensions: Dimension[] = kids(dimList, 'Dimension').map((d, i) => {
    const c = component(d, where, 'dimension');
    return { ...c, position: position(d, i + 1, where, `dimension ${c.id}`) };
  });
  const times = kids(dimList, 'TimeDimension');
  if (times.length !== 1) fail(where, `expected one TimeDimension, found ${times.length}`);
  const tc = component(times[0], where, 'time dimension');
  const timeDimension = { ...tc, position: position(times[0], dimensions.length + 1, where, `time dimension ${tc.id}`) };

  const groups: Group[] = kids(comps, 'Group').map((g) => {
    const id = attr(g, 'id');
    if (!id) fail(where, 'Group without an id');
    if (kid(g, 'AttachmentConstraint')) fail(where, `group ${id}: AttachmentConstraint is not supported`);
    const out: { -readonly [K in keyof Group]: Group[K] } = {
      id,
      dimensions: kids(g, 'GroupDimension').map((gd) => localId(kid(gd, 'DimensionReference'), where, `group ${id} DimensionReference`)),
    };
    const ann = annotations(g, where);
    if (ann) out.annotations = ann;
    return out;
  });

  const attList = kid(comps, 'AttributeList');
  if (kid(attList, 'ReportingYearStartDay')) fail(where, 'ReportingYearStartDay is not supported');
  const attributes: DataAttribute[] = kids(attList, 'Attribute').map((a) => {
    const c = component(a, where, 'attribute');
    const status = attr(a, 'assignmentStatus');
    if (status !== 'Mandatory' && status !== 'Conditional') {
      fail(where, `attribute ${c.id} has assignmentStatus ${status ?? '(none)'}, expected Mandatory or Conditional`);
    }
    return { ...c, assignmentStatus: status, relationship: relationship(kid(a, 'AttributeRelationship'), where, c.id) };
  });

  const measures = kids(kid(comps, 'MeasureList'), 'PrimaryMeasure');
  if (measures.length !== 1) fail(where, `expected one MeasureList/PrimaryMeasure, found ${measures.length}`);
  const primaryMeasure = component(measures[0], where, 'primary measure');

  const dsd: { -readonly [K in keyof DataStructure]: DataStructure[K] } = {
    ...head,
    dimensions,
    timeDimension,
    attributes,
    primaryMeasure,
  };
  if (groups.length > 0) dsd.groups = groups;
  return dsd;
}

function relationship(rel: XNode | undefined, where: string, attId: string): AttributeRelationship {
  const what = `attribute ${attId} AttributeRelationship`;
  if (!rel) fail(where, `attribute ${attId} has no AttributeRelationship`);
  if (kid(rel, 'None')) return { kind: 'DataSet' };
  const dims = kids(rel, 'Dimension');
  if (dims.length > 0) return { kind: 'Dimensions', dimensions: dims.map((d) => localId(d, where, `${what} Dimension`)) };
  const group = kid(rel, 'Group');
  if (group) return { kind: 'Group', group: localId(group, where, `${what} Group`) };
  if (kid(rel, 'PrimaryMeasure')) return { kind: 'Observation' };
  return fail(where, `${what} is empty`);
}

// ---------------------------------------------------------------------------------------------
// Hierarchical codelist

function readHcl(node: XNode): HierarchicalCodelist {
  const { where, head } = base(node, 'HierarchicalCodelist');
  const includedCodelists = kids(node, 'IncludedCodelist').map((ic) => {
    const ref = expectClass(maintainableRef(ic, where, 'IncludedCodelist', 'Codelist'), ['Codelist'], where, 'IncludedCodelist');
    return { alias: attr(ic, 'alias') ?? ref.id, ref };
  });
  const byAlias = new Map(includedCodelists.map((ic) => [ic.alias, ic.ref]));

  const hierarchies: Hierarchy[] = kids(node, 'Hierarchy').map((h) => {
    const n = nameable(h, where, 'hierarchy');
    const hWhere = `${where}: hierarchy ${n.id}`;
    const levels: HierarchyLevel[] = [];
    for (let l = kid(h, 'Level'); l; l = kid(l, 'Level')) levels.push(nameable(l, hWhere, 'level'));
    const levelIds = new Set(levels.map((l) => l.id));

    const code = (hc: XNode): HierarchicalCode => {
      const id = attr(hc, 'id');
      if (!id) fail(hWhere, 'HierarchicalCode without an id');
      let ref: ItemRef;
      const alias = kid(hc, 'CodelistAliasRef');
      if (alias) {
        const cl = byAlias.get(text(alias).trim());
        if (!cl) fail(hWhere, `hierarchical code ${id} uses unknown codelist alias ${text(alias).trim()}`);
        ref = { class: 'Code', scheme: cl, id: localId(kid(hc, 'CodeID'), hWhere, `hierarchical code ${id} CodeID`) };
      } else {
        ref = itemRef(kid(hc, 'Code'), hWhere, `hierarchical code ${id} Code`, 'Code');
      }
      const out: { -readonly [K in keyof HierarchicalCode]: HierarchicalCode[K] } = {
        id,
        code: ref,
        children: kids(hc, 'HierarchicalCode').map(code),
      };
      const level = kid(hc, 'Level');
      if (level) {
        // The reference may be a dotted path through nested levels; level ids are unique per hierarchy.
        const levelID = localId(level, hWhere, `hierarchical code ${id} Level`).split('.').pop() as string;
        if (!levelIds.has(levelID)) fail(hWhere, `hierarchical code ${id} refers to unknown level ${levelID}`);
        out.levelID = levelID;
      }
      return out;
    };

    const out: { -readonly [K in keyof Hierarchy]: Hierarchy[K] } = { ...n, hierarchicalCodes: kids(h, 'HierarchicalCode').map(code) };
    if (levels.length > 0) out.levels = levels;
    return out;
  });
  return { ...head, includedCodelists, hierarchies };
}

// ---------------------------------------------------------------------------------------------
// Dataflow, categorisation, constraint, provision agreement

function readDataflow(node: XNode): Dataflow {
  const { where, head } = base(node, 'Dataflow');
  const structure = kid(node, 'Structure');
  if (!structure) fail(where, 'no Structure (stubs cannot be loaded)');
  return { ...head, structure: expectClass(maintainableRef(structure, where, 'Structure', 'DataStructure'), ['DataStructure'], where, 'Structure') };
}

function readCategorisation(node: XNode): Categorisation {
  const { where, head } = base(node, 'Categorisation');
  if (!kid(node, 'Source')) fail(where, 'no Source (stubs cannot be loaded)');
  return {
    ...head,
    source: maintainableRef(kid(node, 'Source'), where, 'Source'),
    target: itemRef(kid(node, 'Target'), where, 'Target', 'Category'),
  };
}

const ATTACHABLE: readonly MaintainableClass[] = ['DataStructure', 'Dataflow', 'ProvisionAgreement'];

function readConstraint(node: XNode): ContentConstraint {
  const { where, head } = base(node, 'ContentConstraint');
  const type = attr(node, 'type') ?? 'Actual';
  if (type !== 'Allowed' && type !== 'Actual') fail(where, `type is ${type}, expected Allowed or Actual`);
  for (const el of ['DataKeySet', 'MetadataKeySet', 'MetadataTargetRegion', 'ReleaseCalendar']) {
    if (kid(node, el)) fail(where, `${el} is not supported`);
  }
  const constraintAttachment = readConstraintAttachment(node, where);
  const cubeRegions: CubeRegion[] = kids(node, 'CubeRegion').map((cr) => ({
    include: bool(attr(cr, 'include'), true, where, 'CubeRegion include'),
    keyValues: [...kids(cr, 'KeyValue'), ...kids(cr, 'Attribute')].map((kv) => {
      const id = attr(kv, 'id');
      if (!id) fail(where, 'CubeRegion KeyValue without an id');
      if (kid(kv, 'TimeRange')) fail(where, `CubeRegion KeyValue ${id}: TimeRange is not supported`);
      if (!bool(attr(kv, 'include'), true, where, `KeyValue ${id} include`)) fail(where, `CubeRegion KeyValue ${id}: include="false" is not supported`);
      return { id, values: kids(kv, 'Value').map((v) => text(v).trim()) };
    }),
  }));
  const cc: { -readonly [K in keyof ContentConstraint]: ContentConstraint[K] } = {
    ...head,
    constraintType: type,
    constraintAttachment,
    cubeRegions,
  };
  const rp = kid(node, 'ReferencePeriod');
  if (rp) {
    cc.referencePeriod = {
      startTime: required(rp, 'startTime', where, 'ReferencePeriod'),
      endTime: required(rp, 'endTime', where, 'ReferencePeriod'),
    };
  }
  return cc;
}

function readProvisionAgreement(node: XNode): ProvisionAgreement {
  const { where, head } = base(node, 'ProvisionAgreement');
  return {
    ...head,
    structureUsage: expectClass(maintainableRef(kid(node, 'StructureUsage'), where, 'StructureUsage', 'Dataflow'), ['Dataflow'], where, 'StructureUsage'),
    dataProvider: itemRef(kid(node, 'DataProvider'), where, 'DataProvider', 'DataProvider'),
  };
}

// ---------------------------------------------------------------------------------------------
// Structure set (one codelist map), process, attachment constraint

/** Each map element a StructureSet may hold, its model class, the element of its pairs and the classes it joins. */
const SET_MAPS = {
  CodelistMap: { cls: 'RepresentationMap', pair: 'CodeMap', joins: ['Codelist'] },
  ConceptSchemeMap: { cls: 'ConceptSchemeMap', pair: 'ConceptMap', joins: ['ConceptScheme'] },
  CategorySchemeMap: { cls: 'CategorySchemeMap', pair: 'CategoryMap', joins: ['CategoryScheme'] },
  OrganisationSchemeMap: { cls: 'OrganisationSchemeMap', pair: 'OrganisationMap', joins: ['AgencyScheme', 'DataProviderScheme', 'DataConsumerScheme', 'OrganisationUnitScheme'] },
  ReportingTaxonomyMap: { cls: 'ReportingTaxonomyMap', pair: 'ReportingCategoryMap', joins: ['ReportingTaxonomy'] },
} as const satisfies Record<string, { cls: MaintainableClass; pair: string; joins: readonly MaintainableClass[] }>;

function readStructureSet(node: XNode): RepresentationMap | ItemSchemeMap {
  const found = childNames(node).filter((el) => el in SET_MAPS) as (keyof typeof SET_MAPS)[];
  const kind = SET_MAPS[found[0] ?? 'CodelistMap'];
  const { where, head } = base(node, kind.cls);
  for (const el of childNames(node)) {
    if (!['Annotations', 'Name', 'Description'].includes(el) && !(el in SET_MAPS)) fail(where, `${el} is not supported`);
  }
  if (found.length !== 1) fail(where, `expected one map (CodelistMap, ConceptSchemeMap, CategorySchemeMap, OrganisationSchemeMap or ReportingTaxonomyMap), found ${found.length}`);
  const name = found[0]!;
  const map = kids(node, name)[0]!;
  const end = (el: 'Source' | 'Target') => expectClass(maintainableRef(kid(map, el), where, `${name} ${el}`, kind.joins[0]), kind.joins, where, `${name} ${el}`);
  const mappings = kids(map, kind.pair).map((cm) => ({
    source: localId(kid(cm, 'Source'), where, `${kind.pair} Source`),
    target: localId(kid(cm, 'Target'), where, `${kind.pair} Target`),
  }));
  return { ...head, source: end('Source'), target: end('Target'), mappings } as RepresentationMap | ItemSchemeMap;
}

function readProcess(node: XNode): Process {
  const { where, head } = base(node, 'Process');
  const step = (n: XNode): ProcessStep => {
    const nb = nameable(n, where, 'process step');
    const io = (el: string) =>
      kids(n, el).map((x): ProcessArtefact => {
        const ref = maintainableRef(kid(x, 'ObjectReference'), where, `step ${nb.id} ${el}`);
        const localID = attr(x, 'localID');
        return localID === undefined ? { ref } : { localID, ref };
      });
    const comp = kid(n, 'Computation');
    const transitions = kids(n, 'Transition').map((t): ProcessTransition => {
      const id = attr(t, 'id');
      if (!id) fail(where, `step ${nb.id}: Transition without an id`);
      const condition = texts(t, 'Condition', where);
      if (!condition) fail(where, `step ${nb.id}: transition ${id} has no Condition`);
      return { id, targetStep: localId(kid(t, 'TargetStep'), where, `step ${nb.id} transition ${id} TargetStep`), condition };
    });
    const out: { -readonly [K in keyof ProcessStep]: ProcessStep[K] } = {
      ...nb,
      inputs: io('Input'),
      outputs: io('Output'),
      transitions,
      steps: kids(n, 'ProcessStep').map(step),
    };
    if (comp) {
      const description = texts(comp, 'Description', where);
      if (!description) fail(where, `step ${nb.id}: Computation has no Description`);
      const softwarePackage = attr(comp, 'softwarePackage');
      out.computation = softwarePackage === undefined ? { description } : { description, softwarePackage };
    }
    return out;
  };
  return { ...head, steps: kids(node, 'ProcessStep').map(step) };
}

/** What a content or attachment constraint applies to (`ConstraintAttachment`). */
function readConstraintAttachment(node: XNode, where: string): MaintainableRef[] {
  const constraintAttachment: MaintainableRef[] = [];
  const attachment = kid(node, 'ConstraintAttachment');
  if (attachment) {
    for (const el of childNames(attachment)) {
      if (!(ATTACHABLE as readonly string[]).includes(el)) fail(where, `ConstraintAttachment/${el} is not supported`);
      for (const r of kids(attachment, el)) {
        constraintAttachment.push(expectClass(maintainableRef(r, where, `ConstraintAttachment/${el}`, el as MaintainableClass), ATTACHABLE, where, 'ConstraintAttachment'));
      }
    }
  }
  return constraintAttachment;
}

function readAttachmentConstraint(node: XNode): AttachmentConstraint {
  const { where, head } = base(node, 'AttachmentConstraint');
  if (kid(node, 'MetadataKeySet')) fail(where, 'MetadataKeySet is not supported');
  const constraintAttachment = readConstraintAttachment(node, where);
  const dataKeySets: DataKeySet[] = kids(node, 'DataKeySet').map((set) => ({
    isIncluded: bool(attr(set, 'isIncluded'), true, where, 'DataKeySet isIncluded'),
    keys: kids(set, 'Key').map((k) => ({
      keyValues: kids(k, 'KeyValue').map((kv) => {
        const id = attr(kv, 'id');
        if (!id) fail(where, 'DataKeySet KeyValue without an id');
        const v = kid(kv, 'Value');
        if (!v) fail(where, `DataKeySet KeyValue ${id} has no Value`);
        return { id, value: text(v).trim() };
      }),
    })),
  }));
  return { ...head, constraintAttachment, dataKeySets };
}

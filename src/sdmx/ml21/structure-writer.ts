/**
 * SDMX-ML 2.1 structure message writer (`message:Structure`, SDMXMessage.xsd / SDMXStructure.xsd).
 *
 * Choices:
 * - Artefacts are grouped into the `Structures` containers in the order of the StructuresType
 *   sequence; inside a container they keep the input order.
 * - Every cross-artefact reference is a `<Ref>` with agencyID, id, explicit version (or
 *   maintainableParentID + maintainableParentVersion), class and package: the SDMX TCK finds
 *   references only through `Ref` and assumes 1.0 when a version is missing (conformance kit §2.4).
 *   References local to the artefact (code parent, dimensions of an attribute or group, level of a
 *   hierarchical code) carry only `id`, as in the 2.1 samples.
 * - `presentation` (REST `detail`): `stub` keeps the Name only; `completestub` adds Description
 *   and Annotations; neither carries items or components. Exception: a ProvisionAgreement stub
 *   keeps StructureUsage and DataProvider because SDMXStructureProvisionAgreement.xsd requires them.
 * - Categories are stored flat and nested here; their URNs use the dotted path from the top.
 * - A RepresentationMap is written as a `StructureSet` with the map's identity holding one
 *   `CodelistMap` of the same id, one `CodeMap` per code pair (a 1→n mapping is n CodeMaps).
 *   A map without pairs has no CodelistMap, since the XSD wants at least one CodeMap in it.
 *   The item scheme maps likewise: a StructureSet holding one ConceptSchemeMap (ConceptMaps),
 *   CategorySchemeMap, OrganisationSchemeMap or ReportingTaxonomyMap of the same id.
 * - Reporting categories are stored flat and nested here like categories; a category's dataflows
 *   follow its sub-categories (`ProvisioningMetadata`, as the XSD's extension orders them).
 * - A Process writes its steps nested as the model holds them; inputs and outputs are
 *   `ObjectReference` Refs, a transition's target a local `Ref`.
 * - An AttachmentConstraint writes its attachment and DataKeySets (one Value per KeyValue).
 * - SDMX 3.0-only classes (HierarchyAssociation, ValueList) are in no container, so they are left
 *   out, and so is a StructureMap: the 2.1 one has no fixed values, and its codelist maps must sit
 *   in its own StructureSet.
 * - The VTL schemes go in the last six containers (CustomTypes ... UserDefinedOperators), their
 *   content written by vtl.ts.
 * - Output is compact (no indentation).
 */
import type {
  Annotation,
  AttachmentConstraint,
  Categorisation,
  Category,
  CategoryScheme,
  Code,
  Concept,
  ContentConstraint,
  DataAttribute,
  RepresentationMap,
  ItemSchemeMap,
  DataStructure,
  Dataflow,
  HierarchicalCode,
  HierarchicalCodelist,
  Hierarchy,
  HierarchyLevel,
  ItemRef,
  ItemScheme,
  Maintainable,
  MaintainableClass,
  MaintainableRef,
  Nameable,
  Presentation,
  ProcessArtefact,
  ProcessStep,
  ProvisionAgreement,
  ReportingCategory,
  ReportingTaxonomy,
  Representation,
  Text,
  TextFormat,
} from '../model.js';
import { PACKAGE_OF, class21Of, isVtlScheme, itemUrnOf, refOf, urnOf } from '../model.js';
import type { Header, StructureMessage } from '../message.js';
import { writeVtlContent } from './vtl.js';
import { writeMetadataStructureContent, writeMetadataflowContent, type Ml21MetadataKit } from './metadata-structure.js';
import { NS21_ATTRS } from './namespaces.js';
import { XmlBuilder, type Attrs } from './xml.js';

const S = 'structure:';
const C = 'common:';

/** `Structures` children in XSD sequence order, with the classes each holds. */
const CONTAINERS: readonly (readonly [string, readonly MaintainableClass[]])[] = [
  ['OrganisationSchemes', ['AgencyScheme', 'DataConsumerScheme', 'DataProviderScheme', 'OrganisationUnitScheme']],
  ['Dataflows', ['Dataflow']],
  ['Metadataflows', ['Metadataflow']],
  ['CategorySchemes', ['CategoryScheme']],
  ['Categorisations', ['Categorisation']],
  ['Codelists', ['Codelist']],
  ['HierarchicalCodelists', ['HierarchicalCodelist']],
  ['Concepts', ['ConceptScheme']],
  ['MetadataStructures', ['MetadataStructure']],
  ['DataStructures', ['DataStructure']],
  ['StructureSets', ['RepresentationMap', 'ConceptSchemeMap', 'CategorySchemeMap', 'OrganisationSchemeMap', 'ReportingTaxonomyMap']],
  ['ReportingTaxonomies', ['ReportingTaxonomy']],
  ['Processes', ['Process']],
  ['Constraints', ['AttachmentConstraint', 'ContentConstraint']],
  ['ProvisionAgreements', ['ProvisionAgreement']],
  ['CustomTypes', ['CustomTypeScheme']],
  ['VtlMappings', ['VtlMappingScheme']],
  ['NamePersonalisations', ['NamePersonalisationScheme']],
  ['Rulesets', ['RulesetScheme']],
  ['Transformations', ['TransformationScheme']],
  ['UserDefinedOperators', ['UserDefinedOperatorScheme']],
];

export function writeStructureMl21(msg: StructureMessage): string {
  const w = new XmlBuilder().declaration().open('message:Structure', NS21_ATTRS);
  writeHeader(w, msg.header);
  w.open('message:Structures');
  for (const [container, classes] of CONTAINERS) {
    const members = msg.artefacts.filter((a) => classes.includes(a.class));
    if (members.length === 0) continue;
    w.open(S + container);
    for (const a of members) writeMaintainable(w, a);
    w.close(S + container);
  }
  return w.close('message:Structures').close('message:Structure').toString();
}

function writeHeader(w: XmlBuilder, h: Header): void {
  w.open('message:Header')
    .leaf('message:ID', h.id)
    .leaf('message:Test', String(h.test))
    .leaf('message:Prepared', h.prepared);
  if (h.sender.name && Object.keys(h.sender.name).length > 0) {
    w.open('message:Sender', { id: h.sender.id });
    writeTexts(w, C + 'Name', h.sender.name);
    w.close('message:Sender');
  } else {
    w.empty('message:Sender', { id: h.sender.id });
  }
  w.close('message:Header');
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

function writeTexts(w: XmlBuilder, el: string, text: Text | undefined): void {
  if (!text) return;
  for (const lang in text) w.leaf(el, text[lang], { 'xml:lang': lang });
}

function writeAnnotations(w: XmlBuilder, annotations: readonly Annotation[] | undefined): void {
  if (!annotations || annotations.length === 0) return;
  w.open(C + 'Annotations');
  for (const a of annotations) {
    w.open(C + 'Annotation', { id: a.id });
    if (a.title !== undefined) w.leaf(C + 'AnnotationTitle', a.title);
    if (a.type !== undefined) w.leaf(C + 'AnnotationType', a.type);
    if (a.url !== undefined) w.leaf(C + 'AnnotationURL', a.url);
    writeTexts(w, C + 'AnnotationText', a.text);
    w.close(C + 'Annotation');
  }
  w.close(C + 'Annotations');
}

/** Annotations, Name, Description: the common head of every nameable (XSD sequence order). */
function writeNameable(w: XmlBuilder, n: Nameable, detail: Presentation = 'full'): void {
  if (detail !== 'stub') writeAnnotations(w, n.annotations);
  writeTexts(w, C + 'Name', n.name);
  if (detail !== 'stub') writeTexts(w, C + 'Description', n.description);
}

function maintainableRefAttrs(r: MaintainableRef): Attrs {
  return { agencyID: r.agencyID, id: r.id, version: r.version, class: class21Of(r.class), package: PACKAGE_OF[r.class] };
}

function itemRefAttrs(r: ItemRef): Attrs {
  return {
    agencyID: r.scheme.agencyID,
    maintainableParentID: r.scheme.id,
    maintainableParentVersion: r.scheme.version,
    id: r.id,
    class: r.class,
    package: PACKAGE_OF[r.class],
  };
}

/** `<el><Ref .../></el>`; `Ref` is unqualified in 2.1 (form="unqualified"). */
function writeRef(w: XmlBuilder, el: string, attrs: Attrs): void {
  w.open(el).empty('Ref', attrs).close(el);
}

const writeMaintainableRef = (w: XmlBuilder, el: string, r: MaintainableRef) => writeRef(w, el, maintainableRefAttrs(r));
const writeItemRef = (w: XmlBuilder, el: string, r: ItemRef) => writeRef(w, el, itemRefAttrs(r));
const writeLocalRef = (w: XmlBuilder, el: string, id: string) => writeRef(w, el, { id });

const METADATA_KIT: Ml21MetadataKit = {
  annotations: (w, a) => writeAnnotations(w, a),
  maintainableRef: writeMaintainableRef,
  itemRef: writeItemRef,
  localRef: writeLocalRef,
  representation: (w, el, rep) => writeRepresentation(w, el, rep),
};

function textFormatAttrs(f: TextFormat): Attrs {
  return {
    textType: f.textType,
    minLength: f.minLength,
    maxLength: f.maxLength,
    minValue: f.minValue,
    maxValue: f.maxValue,
    pattern: f.pattern,
  };
}

/**
 * LocalRepresentation / CoreRepresentation: an Enumeration (plus EnumerationFormat when the model
 * also gives a text format) or a TextFormat. Nothing is written when the model gives neither,
 * since the XSD choice needs one of them.
 */
function writeRepresentation(w: XmlBuilder, el: string, rep: Representation | undefined): void {
  if (!rep || (!rep.enumeration && !rep.textFormat)) return;
  w.open(el);
  if (rep.enumeration) {
    writeMaintainableRef(w, S + 'Enumeration', rep.enumeration);
    if (rep.textFormat) w.empty(S + 'EnumerationFormat', textFormatAttrs(rep.textFormat));
  } else if (rep.textFormat) {
    w.empty(S + 'TextFormat', textFormatAttrs(rep.textFormat));
  }
  w.close(el);
}

// ---------------------------------------------------------------------------------------------
// Maintainables

function writeMaintainable(w: XmlBuilder, a: Maintainable): void {
  const detail = a.presentation ?? 'full';
  const full = detail === 'full';
  const el = S + class21Of(a.class);
  w.open(el, {
    id: a.id,
    urn: urnOf(refOf(a)),
    agencyID: a.agencyID,
    version: a.version,
    isFinal: String(a.isFinal),
    isPartial: 'items' in a && a.isPartial === true ? 'true' : undefined,
    validFrom: a.validFrom,
    validTo: a.validTo,
    type: a.class === 'ContentConstraint' ? a.constraintType : undefined,
    // Required by the VTL definition schemes, stubs included (ml21/vtl.ts).
    vtlVersion: 'vtlVersion' in a ? a.vtlVersion : undefined,
  });
  writeNameable(w, a, detail);
  if (isVtlScheme(a)) {
    if (full) writeVtlContent(w, a, { nameable: writeNameable, maintainableRef: writeMaintainableRef, itemRef: writeItemRef });
    w.close(el);
    return;
  }
  switch (a.class) {
    case 'AgencyScheme':
    case 'DataProviderScheme':
    case 'Codelist':
    case 'ConceptScheme':
    case 'OrganisationUnitScheme':
    case 'DataConsumerScheme':
      if (full) writeFlatItems(w, a);
      break;
    case 'CategoryScheme':
      if (full) writeNested(w, a, 'Category');
      break;
    case 'ReportingTaxonomy':
      if (full) writeNested(w, a, 'ReportingCategory');
      break;
    case 'Process':
      if (full) for (const step of a.steps) writeProcessStep(w, step);
      break;
    case 'AttachmentConstraint':
      if (full) writeAttachmentConstraintContent(w, a);
      break;
    case 'HierarchicalCodelist':
      if (full) writeHclContent(w, a);
      break;
    case 'DataStructure':
      if (full) writeDsdContent(w, a);
      break;
    case 'Dataflow':
      if (full) writeDataflowContent(w, a);
      break;
    case 'MetadataStructure':
      if (full) writeMetadataStructureContent(w, a, METADATA_KIT);
      break;
    case 'Metadataflow':
      if (full) writeMetadataflowContent(w, a, METADATA_KIT);
      break;
    case 'Categorisation':
      if (full) writeCategorisationContent(w, a);
      break;
    case 'ContentConstraint':
      if (full) writeConstraintContent(w, a);
      break;
    case 'ProvisionAgreement':
      // Required by the XSD even in stubs (see the header comment).
      writeProvisionAgreementContent(w, a);
      break;
    case 'RepresentationMap':
    case 'ConceptSchemeMap':
    case 'CategorySchemeMap':
    case 'OrganisationSchemeMap':
    case 'ReportingTaxonomyMap':
      if (full) writeMapOfSet(w, a);
      break;
  }
  w.close(el);
}

const ITEM_OF = {
  AgencyScheme: 'Agency',
  DataProviderScheme: 'DataProvider',
  Codelist: 'Code',
  ConceptScheme: 'Concept',
  OrganisationUnitScheme: 'OrganisationUnit',
  DataConsumerScheme: 'DataConsumer',
} as const;

/** Items of the non-nesting schemes: Agency, DataProvider, Code, Concept, OrganisationUnit, DataConsumer. */
function writeFlatItems(w: XmlBuilder, scheme: Exclude<ItemScheme, CategoryScheme | ReportingTaxonomy>): void {
  const schemeRef = refOf(scheme);
  const itemClass = ITEM_OF[scheme.class];
  const el = S + itemClass;
  for (const item of scheme.items as readonly (Code | Concept)[]) {
    w.open(el, { id: item.id, urn: itemUrnOf({ class: itemClass, scheme: schemeRef, id: item.id }) });
    writeNameable(w, item);
    if (item.parentID !== undefined) writeLocalRef(w, S + 'Parent', item.parentID);
    if ('coreRepresentation' in item) writeRepresentation(w, S + 'CoreRepresentation', item.coreRepresentation);
    w.close(el);
  }
}

/**
 * Nests the flat category (or reporting category) list under its parents. An item whose parent is
 * missing (or that sits in a parent cycle) is written at the top rather than lost.
 */
function writeNested(w: XmlBuilder, scheme: CategoryScheme | ReportingTaxonomy, itemClass: 'Category' | 'ReportingCategory'): void {
  const schemeRef = refOf(scheme);
  const items = scheme.items as readonly (Category | ReportingCategory)[];
  const ids = new Set(items.map((c) => c.id));
  const children = new Map<string, (Category | ReportingCategory)[]>();
  const roots: (Category | ReportingCategory)[] = [];
  for (const c of items) {
    if (c.parentID !== undefined && c.parentID !== c.id && ids.has(c.parentID)) {
      const list = children.get(c.parentID);
      if (list) list.push(c);
      else children.set(c.parentID, [c]);
    } else {
      roots.push(c);
    }
  }
  const el = S + itemClass;
  const written = new Set<string>();
  const writeOne = (c: Category | ReportingCategory, path: string): void => {
    written.add(c.id);
    w.open(el, { id: c.id, urn: itemUrnOf({ class: itemClass, scheme: schemeRef, id: path }) });
    writeNameable(w, c);
    for (const child of children.get(c.id) ?? []) {
      if (!written.has(child.id)) writeOne(child, `${path}.${child.id}`);
    }
    // Reporting categories: the dataflows they group, after the sub-categories (XSD extension order).
    for (const r of ('provisioningMetadata' in c ? c.provisioningMetadata : undefined) ?? []) {
      writeMaintainableRef(w, S + 'ProvisioningMetadata', r);
    }
    w.close(el);
  };
  for (const c of roots) writeOne(c, c.id);
  for (const c of items) if (!written.has(c.id)) writeOne(c, c.id);
}

function writeHclContent(w: XmlBuilder, hcl: HierarchicalCodelist): void {
  for (const ic of hcl.includedCodelists) {
    w.open(S + 'IncludedCodelist', { alias: ic.alias }).empty('Ref', maintainableRefAttrs(ic.ref)).close(S + 'IncludedCodelist');
  }
  // Child URNs: ...codelist.{Hierarchy|HierarchicalCode|Level}=AG:HCL(V).HIERARCHY[.path]
  const key = `${hcl.agencyID}:${hcl.id}(${hcl.version})`;
  for (const h of hcl.hierarchies) {
    writeHierarchy(w, h, (cls, path) => `urn:sdmx:org.sdmx.infomodel.codelist.${cls}=${key}.${h.id}${path ? '.' + path : ''}`);
  }
}

function writeHierarchy(w: XmlBuilder, h: Hierarchy, urn: (cls: string, path: string) => string): void {
  const levels = h.levels ?? [];
  w.open(S + 'Hierarchy', { id: h.id, urn: urn('Hierarchy', ''), leveled: levels.length > 0 ? 'true' : undefined });
  writeNameable(w, h);
  const writeCode = (hc: HierarchicalCode, path: string): void => {
    w.open(S + 'HierarchicalCode', { id: hc.id, urn: urn('HierarchicalCode', path) });
    writeItemRef(w, S + 'Code', hc.code);
    for (const child of hc.children) writeCode(child, `${path}.${child.id}`);
    if (hc.levelID !== undefined) writeLocalRef(w, S + 'Level', hc.levelID);
    w.close(S + 'HierarchicalCode');
  };
  for (const hc of h.hierarchicalCodes) writeCode(hc, hc.id);
  // Levels nest: each Level holds the next one down (SDMXStructureHierarchicalCodelist.xsd LevelType).
  const writeLevel = (i: number, path: string): void => {
    const level: HierarchyLevel = levels[i];
    w.open(S + 'Level', { id: level.id, urn: urn('Level', path) });
    writeNameable(w, level);
    if (i + 1 < levels.length) writeLevel(i + 1, `${path}.${levels[i + 1].id}`);
    w.close(S + 'Level');
  };
  if (levels.length > 0) writeLevel(0, levels[0].id);
  w.close(S + 'Hierarchy');
}

function writeDsdContent(w: XmlBuilder, dsd: DataStructure): void {
  const dsdRef = refOf(dsd);
  const componentUrn = (cls: string, id: string) =>
    `urn:sdmx:org.sdmx.infomodel.datastructure.${cls}=${dsdRef.agencyID}:${dsdRef.id}(${dsdRef.version}).${id}`;
  w.open(S + 'DataStructureComponents');

  w.open(S + 'DimensionList', { id: 'DimensionDescriptor', urn: componentUrn('DimensionDescriptor', 'DimensionDescriptor') });
  for (const d of dsd.dimensions) {
    w.open(S + 'Dimension', { id: d.id, urn: componentUrn('Dimension', d.id), position: d.position });
    writeAnnotations(w, d.annotations);
    writeItemRef(w, S + 'ConceptIdentity', d.conceptIdentity);
    writeRepresentation(w, S + 'LocalRepresentation', d.localRepresentation);
    for (const role of d.conceptRoles ?? []) writeItemRef(w, S + 'ConceptRole', role);
    w.close(S + 'Dimension');
  }
  const td = dsd.timeDimension;
  w.open(S + 'TimeDimension', { id: td.id, urn: componentUrn('TimeDimension', td.id), position: td.position });
  writeAnnotations(w, td.annotations);
  writeItemRef(w, S + 'ConceptIdentity', td.conceptIdentity);
  // The XSD requires a TextFormat here; default to the SDMX time type when the model has none.
  // TimeDimension has no ConceptRole in 2.1, so roles of the time dimension are not written.
  writeRepresentation(
    w,
    S + 'LocalRepresentation',
    td.localRepresentation?.textFormat ? td.localRepresentation : { textFormat: { textType: 'ObservationalTimePeriod' } },
  );
  w.close(S + 'TimeDimension');
  w.close(S + 'DimensionList');

  for (const g of dsd.groups ?? []) {
    w.open(S + 'Group', { id: g.id, urn: componentUrn('GroupDimensionDescriptor', g.id) });
    writeAnnotations(w, g.annotations);
    for (const dim of g.dimensions) {
      w.open(S + 'GroupDimension');
      writeLocalRef(w, S + 'DimensionReference', dim);
      w.close(S + 'GroupDimension');
    }
    w.close(S + 'Group');
  }

  if (dsd.attributes.length > 0) {
    w.open(S + 'AttributeList', { id: 'AttributeDescriptor', urn: componentUrn('AttributeDescriptor', 'AttributeDescriptor') });
    for (const at of dsd.attributes) writeAttribute(w, at, dsd, componentUrn('DataAttribute', at.id));
    w.close(S + 'AttributeList');
  }

  const pm = dsd.primaryMeasure;
  w.open(S + 'MeasureList', { id: 'MeasureDescriptor', urn: componentUrn('MeasureDescriptor', 'MeasureDescriptor') });
  w.open(S + 'PrimaryMeasure', { id: pm.id, urn: componentUrn('PrimaryMeasure', pm.id) });
  writeAnnotations(w, pm.annotations);
  writeItemRef(w, S + 'ConceptIdentity', pm.conceptIdentity);
  writeRepresentation(w, S + 'LocalRepresentation', pm.localRepresentation);
  w.close(S + 'PrimaryMeasure');
  w.close(S + 'MeasureList');

  w.close(S + 'DataStructureComponents');
}

function writeAttribute(w: XmlBuilder, at: DataAttribute, dsd: DataStructure, urn: string): void {
  w.open(S + 'Attribute', { id: at.id, urn, assignmentStatus: at.assignmentStatus });
  writeAnnotations(w, at.annotations);
  writeItemRef(w, S + 'ConceptIdentity', at.conceptIdentity);
  writeRepresentation(w, S + 'LocalRepresentation', at.localRepresentation);
  for (const role of at.conceptRoles ?? []) writeItemRef(w, S + 'ConceptRole', role);
  w.open(S + 'AttributeRelationship');
  const rel = at.relationship;
  switch (rel.kind) {
    case 'DataSet':
      w.empty(S + 'None');
      break;
    case 'Dimensions':
      for (const d of rel.dimensions) writeLocalRef(w, S + 'Dimension', d);
      break;
    case 'Group':
      writeLocalRef(w, S + 'Group', rel.group);
      break;
    case 'Observation':
      writeLocalRef(w, S + 'PrimaryMeasure', dsd.primaryMeasure.id);
      break;
  }
  w.close(S + 'AttributeRelationship');
  w.close(S + 'Attribute');
}

function writeDataflowContent(w: XmlBuilder, df: Dataflow): void {
  writeMaintainableRef(w, S + 'Structure', df.structure);
}

function writeCategorisationContent(w: XmlBuilder, c: Categorisation): void {
  writeMaintainableRef(w, S + 'Source', c.source);
  writeItemRef(w, S + 'Target', c.target);
}

/** `ConstraintAttachment` of a content or attachment constraint. */
function writeConstraintAttachment(w: XmlBuilder, attached: readonly MaintainableRef[]): void {
  if (attached.length === 0) return;
  w.open(S + 'ConstraintAttachment');
  // The element name is the class of the attached artefact (DataStructure, Dataflow, ProvisionAgreement).
  for (const r of attached) writeMaintainableRef(w, S + r.class, r);
  w.close(S + 'ConstraintAttachment');
}

function writeConstraintContent(w: XmlBuilder, cc: ContentConstraint): void {
  writeConstraintAttachment(w, cc.constraintAttachment);
  for (const region of cc.cubeRegions) {
    w.open(S + 'CubeRegion', { include: String(region.include) });
    for (const kv of region.keyValues) {
      w.open(C + 'KeyValue', { id: kv.id });
      for (const v of kv.values) w.leaf(C + 'Value', v);
      w.close(C + 'KeyValue');
    }
    w.close(S + 'CubeRegion');
  }
  if (cc.referencePeriod) {
    w.empty(S + 'ReferencePeriod', { startTime: cc.referencePeriod.startTime, endTime: cc.referencePeriod.endTime });
  }
}

function writeProvisionAgreementContent(w: XmlBuilder, pa: ProvisionAgreement): void {
  writeMaintainableRef(w, S + 'StructureUsage', pa.structureUsage);
  writeItemRef(w, S + 'DataProvider', pa.dataProvider);
}

function writeProcessStep(w: XmlBuilder, step: ProcessStep): void {
  w.open(S + 'ProcessStep', { id: step.id });
  writeNameable(w, step);
  const io = (el: string, a: ProcessArtefact) => {
    w.open(S + el, { localID: a.localID });
    writeMaintainableRef(w, S + 'ObjectReference', a.ref);
    w.close(S + el);
  };
  for (const a of step.inputs) io('Input', a);
  for (const a of step.outputs) io('Output', a);
  if (step.computation) {
    w.open(S + 'Computation', { softwarePackage: step.computation.softwarePackage });
    writeTexts(w, C + 'Description', step.computation.description);
    w.close(S + 'Computation');
  }
  for (const t of step.transitions) {
    w.open(S + 'Transition', { id: t.id });
    writeLocalRef(w, S + 'TargetStep', t.targetStep);
    writeTexts(w, S + 'Condition', t.condition);
    w.close(S + 'Transition');
  }
  for (const child of step.steps) writeProcessStep(w, child);
  w.close(S + 'ProcessStep');
}

function writeAttachmentConstraintContent(w: XmlBuilder, ac: AttachmentConstraint): void {
  writeConstraintAttachment(w, ac.constraintAttachment);
  for (const set of ac.dataKeySets) {
    w.open(S + 'DataKeySet', { isIncluded: String(set.isIncluded) });
    for (const key of set.keys) {
      w.open(S + 'Key');
      for (const kv of key.keyValues) {
        w.open(C + 'KeyValue', { id: kv.id }).leaf(C + 'Value', kv.value).close(C + 'KeyValue');
      }
      w.close(S + 'Key');
    }
    w.close(S + 'DataKeySet');
  }
}

/** The 2.1 map element of each map class, and the element of each of its item pairs. */
const MAP_ELEMENTS = {
  RepresentationMap: ['CodelistMap', 'CodeMap'],
  ConceptSchemeMap: ['ConceptSchemeMap', 'ConceptMap'],
  CategorySchemeMap: ['CategorySchemeMap', 'CategoryMap'],
  OrganisationSchemeMap: ['OrganisationSchemeMap', 'OrganisationMap'],
  ReportingTaxonomyMap: ['ReportingTaxonomyMap', 'ReportingCategoryMap'],
} as const;

/** The one map inside a map's StructureSet (at least one pair, or none written: the XSD wants one). */
function writeMapOfSet(w: XmlBuilder, map: RepresentationMap | ItemSchemeMap): void {
  if (map.mappings.length === 0) return;
  const [mapName, pairName] = MAP_ELEMENTS[map.class];
  w.open(S + mapName, { id: map.id, urn: `urn:sdmx:org.sdmx.infomodel.mapping.${mapName}=${map.agencyID}:${map.id}(${map.version}).${map.id}` });
  writeNameable(w, map);
  writeMaintainableRef(w, S + 'Source', map.source);
  writeMaintainableRef(w, S + 'Target', map.target);
  for (const m of map.mappings) {
    w.open(S + pairName);
    writeLocalRef(w, S + 'Source', m.source);
    writeLocalRef(w, S + 'Target', m.target);
    w.close(S + pairName);
  }
  w.close(S + mapName);
}

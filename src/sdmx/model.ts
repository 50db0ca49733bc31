/**
 * The SDMX information model, as immutable plain data.
 *
 * One shape serves every format: readers build these objects, writers (SDMX-ML 2.1 and 3.0,
 * SDMX-JSON 1.0 and 2.0) turn them into messages. The model follows SDMX 2.1 names where 2.1 and
 * 3.0 differ (a `ContentConstraint` is written as a `DataConstraint` in 3.0, a
 * `HierarchicalCodelist` as a `Hierarchy`), because the 2.1 REST API is the one real clients use
 * most. One exception: `RepresentationMap` takes its 3.0 name, because the 2.1 `StructureSet` is a
 * container of any number of maps while ours is always exactly one codelist-to-codelist map;
 * 2.1 formats write it as a StructureSet with the same identity holding one CodelistMap.
 * No I/O here.
 */

/** Localised text: xml:lang → text. Every nameable artefact has at least an English name. */
export type Text = Readonly<Record<string, string>>;

export interface Annotation {
  readonly id?: string;
  readonly title?: string;
  readonly type?: string;
  readonly url?: string;
  readonly text?: Text;
}

export interface Identifiable {
  readonly id: string;
  readonly annotations?: readonly Annotation[];
}

export interface Nameable extends Identifiable {
  readonly name: Text;
  readonly description?: Text;
}

/** The maintainable artefact classes we hold (SDMX 2.1 class names). */
export const MAINTAINABLE_CLASSES = [
  'AgencyScheme',
  'DataProviderScheme',
  'Codelist',
  'HierarchicalCodelist',
  'ConceptScheme',
  'CategoryScheme',
  'DataStructure',
  'Dataflow',
  'Categorisation',
  'ContentConstraint',
  'ProvisionAgreement',
  'RepresentationMap',
  'OrganisationUnitScheme',
  'DataConsumerScheme',
  'ReportingTaxonomy',
  'Process',
  'AttachmentConstraint',
  'HierarchyAssociation',
  'ValueList',
  'StructureMap',
  'ConceptSchemeMap',
  'CategorySchemeMap',
  'OrganisationSchemeMap',
  'ReportingTaxonomyMap',
  // The VTL artefacts (package transformation), see VtlScheme below.
  'TransformationScheme',
  'RulesetScheme',
  'UserDefinedOperatorScheme',
  'CustomTypeScheme',
  'NamePersonalisationScheme',
  'VtlMappingScheme',
  // Reference metadata (package metadatastructure): what a methodology report may hold and the flow of reports.
  'MetadataStructure',
  'Metadataflow',
] as const;
export type MaintainableClass = (typeof MAINTAINABLE_CLASSES)[number];

export type ItemClass =
  | 'Agency'
  | 'DataProvider'
  | 'Code'
  | 'Concept'
  | 'Category'
  | 'OrganisationUnit'
  | 'DataConsumer'
  | 'ReportingCategory';

/** Reference to a maintainable artefact; versions are always explicit (TCK §2.4). */
export interface MaintainableRef {
  readonly class: MaintainableClass;
  readonly agencyID: string;
  readonly id: string;
  readonly version: string;
}

/** Reference to an item inside an item scheme (a concept, a code, a category...). */
export interface ItemRef {
  readonly class: ItemClass;
  readonly scheme: MaintainableRef;
  readonly id: string;
}

export type TextType =
  | 'String'
  | 'Alpha'
  | 'AlphaNumeric'
  | 'Numeric'
  | 'Integer'
  | 'Decimal'
  | 'Double'
  | 'Boolean'
  | 'ObservationalTimePeriod'
  | 'GregorianYear'
  | 'GregorianDay'
  | 'DateTime'
  /** A reference to an identifiable object (metadata targets). */
  | 'IdentifiableReference'
  /** Formatted text (reference metadata attributes). */
  | 'XHTML';

export interface TextFormat {
  readonly textType?: TextType;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minValue?: number;
  readonly maxValue?: number;
}

/** A component's representation: coded by a codelist, or free text of some format. */
export interface Representation {
  readonly enumeration?: MaintainableRef;
  readonly textFormat?: TextFormat;
}

// ---------------------------------------------------------------------------------------------
// Items

export interface Agency extends Nameable {}
export interface DataProvider extends Nameable {}
/** A code; the hierarchy is carried by `parentID` (SDMX 2.1 `Parent`). */
export interface Code extends Nameable {
  readonly parentID?: string;
}
export interface Concept extends Nameable {
  readonly parentID?: string;
  readonly coreRepresentation?: Representation;
}
/** Categories are stored flat with a parent link; writers nest them as SDMX requires. */
export interface Category extends Nameable {
  readonly parentID?: string;
}
/** An organisation with no predefined SDMX role (e.g. a criminal-justice institution); may have a parent unit. */
export interface OrganisationUnit extends Nameable {
  readonly parentID?: string;
}
/** An organisation that uses the data. */
export interface DataConsumer extends Nameable {}
/**
 * A reporting category of a reporting taxonomy: stored flat with a parent link (writers nest it,
 * like categories), grouping the dataflows that report it (SDMX `ProvisioningMetadata`).
 */
export interface ReportingCategory extends Nameable {
  readonly parentID?: string;
  readonly provisioningMetadata?: readonly MaintainableRef[];
}

// ---------------------------------------------------------------------------------------------
// Maintainables

/**
 * How much of an artefact a message carries (REST `detail`). `full` is the artefact itself;
 * `stub` keeps id, agency, version and name only; `completestub` adds description, annotations
 * and isFinal. Stubs have no items and no components.
 */
export type Presentation = 'full' | 'stub' | 'completestub';

export interface MaintainableBase extends Nameable {
  readonly class: MaintainableClass;
  readonly agencyID: string;
  readonly version: string;
  readonly isFinal: boolean;
  readonly validFrom?: string;
  readonly validTo?: string;
  /** Set by the query service, never stored: how the artefact is presented in a message. */
  readonly presentation?: Presentation;
}

export interface ItemSchemeBase<I extends Nameable> extends MaintainableBase {
  readonly items: readonly I[];
  /** True when only some items are present (item queries, referencepartial, availability). */
  readonly isPartial?: boolean;
}

export interface AgencyScheme extends ItemSchemeBase<Agency> {
  readonly class: 'AgencyScheme';
}
export interface DataProviderScheme extends ItemSchemeBase<DataProvider> {
  readonly class: 'DataProviderScheme';
}
export interface Codelist extends ItemSchemeBase<Code> {
  readonly class: 'Codelist';
}
export interface ConceptScheme extends ItemSchemeBase<Concept> {
  readonly class: 'ConceptScheme';
}
export interface CategoryScheme extends ItemSchemeBase<Category> {
  readonly class: 'CategoryScheme';
}

export interface OrganisationUnitScheme extends ItemSchemeBase<OrganisationUnit> {
  readonly class: 'OrganisationUnitScheme';
}
/** SDMX fixes its id (DATA_CONSUMERS) and version (1.0); never final. */
export interface DataConsumerScheme extends ItemSchemeBase<DataConsumer> {
  readonly class: 'DataConsumerScheme';
}
export interface ReportingTaxonomy extends ItemSchemeBase<ReportingCategory> {
  readonly class: 'ReportingTaxonomy';
}

export type ItemScheme =
  | AgencyScheme
  | DataProviderScheme
  | Codelist
  | ConceptScheme
  | CategoryScheme
  | OrganisationUnitScheme
  | DataConsumerScheme
  | ReportingTaxonomy;

export interface HierarchicalCode {
  /** Unique within its parent (SDMX 2.1 HierarchicalCode/@id). */
  readonly id: string;
  readonly code: ItemRef;
  /** Id of the level this code sits on, when the hierarchy is levelled. */
  readonly levelID?: string;
  readonly children: readonly HierarchicalCode[];
}

export interface HierarchyLevel extends Nameable {}

export interface Hierarchy extends Nameable {
  /** Levels from the top down (e.g. ICCS Section, Division, Group, Class). */
  readonly levels?: readonly HierarchyLevel[];
  readonly hierarchicalCodes: readonly HierarchicalCode[];
}

export interface HierarchicalCodelist extends MaintainableBase {
  readonly class: 'HierarchicalCodelist';
  readonly includedCodelists: readonly { readonly alias: string; readonly ref: MaintainableRef }[];
  readonly hierarchies: readonly Hierarchy[];
  /**
   * Set by the query service, never stored: only some of the HCL's hierarchies are present (a
   * query for some of them). SDMX 3.0 then still publishes each under its own id
   * (hierarchies30.ts), even when one is left.
   */
  readonly isPartial?: boolean;
}

export interface Component extends Identifiable {
  readonly conceptIdentity: ItemRef;
  readonly localRepresentation?: Representation;
  /** Concept roles (SDMX 2.1 `ConceptRole`), e.g. the cross-domain FREQ role. */
  readonly conceptRoles?: readonly ItemRef[];
}

export interface Dimension extends Component {
  /** 1-based order in the series key. */
  readonly position: number;
}

export interface TimeDimension extends Component {
  readonly position: number;
}

/**
 * What an attribute is attached to: the whole data set, a set of dimensions (series level
 * when all key dimensions but time), a group, or each observation.
 */
export type AttributeRelationship =
  | { readonly kind: 'DataSet' }
  | { readonly kind: 'Dimensions'; readonly dimensions: readonly string[] }
  | { readonly kind: 'Group'; readonly group: string }
  | { readonly kind: 'Observation' };

export interface DataAttribute extends Component {
  readonly assignmentStatus: 'Mandatory' | 'Conditional';
  readonly relationship: AttributeRelationship;
}

export interface Measure extends Component {}

export interface Group extends Identifiable {
  readonly dimensions: readonly string[];
}

export interface DataStructure extends MaintainableBase {
  readonly class: 'DataStructure';
  readonly dimensions: readonly Dimension[];
  readonly timeDimension: TimeDimension;
  readonly groups?: readonly Group[];
  readonly attributes: readonly DataAttribute[];
  /** SDMX 2.1 has exactly one primary measure, OBS_VALUE. */
  readonly primaryMeasure: Measure;
}

export interface Dataflow extends MaintainableBase {
  readonly class: 'Dataflow';
  readonly structure: MaintainableRef;
}

// ---------------------------------------------------------------------------------------------
// Reference metadata structures

/**
 * One concept a metadata report may hold (SDMX `MetadataAttribute`). Presentational attributes
 * only group their children (e.g. SIMS S.1 Contact); `minOccurs` 1 makes the attribute mandatory.
 */
export interface MetadataAttribute extends Identifiable {
  readonly conceptIdentity: ItemRef;
  readonly localRepresentation?: Representation;
  readonly minOccurs: number;
  readonly maxOccurs: number | 'unbounded';
  readonly isPresentational: boolean;
  readonly children: readonly MetadataAttribute[];
}

/** The kinds of SDMX 2.1 metadata target components. */
export type MetadataTargetKind = 'IdentifiableObject' | 'ReportPeriod' | 'KeyDescriptorValues' | 'DataSet' | 'ConstraintContent';

/** One part of what a report is about: e.g. a Dataflow, or a code of CL_AREA. */
export interface MetadataTargetComponent extends Identifiable {
  readonly kind: MetadataTargetKind;
  /** SDMX object type of an IdentifiableObject target (`Dataflow`, `Code`, ...). */
  readonly objectType?: string;
  readonly localRepresentation?: Representation;
}

/** SDMX 2.1 `MetadataTarget`: the combination of objects one report describes. */
export interface MetadataTarget extends Identifiable {
  readonly components: readonly MetadataTargetComponent[];
}

/** SDMX 2.1 `ReportStructure`: the attributes of a report and the targets it may describe. */
export interface ReportStructure extends Identifiable {
  readonly targets: readonly string[];
  readonly attributes: readonly MetadataAttribute[];
}

/**
 * A metadata structure definition (MSD). Held in its SDMX 2.1 shape (targets and report
 * structures); SDMX 3.0 has no targets in the MSD (they move to the metadataflow) and a single
 * attribute list, which 3.0 writers take from the first report structure.
 */
export interface MetadataStructure extends MaintainableBase {
  readonly class: 'MetadataStructure';
  readonly targets: readonly MetadataTarget[];
  readonly reports: readonly ReportStructure[];
}

/**
 * A flow of metadata reports of one MSD. `targets` are the SDMX 3.0 `Target` URNs (wildcards
 * allowed): 2.1 files cannot hold them, so the structure loader derives them from the MSD's
 * targets (metadataflow-targets.ts).
 */
export interface Metadataflow extends MaintainableBase {
  readonly class: 'Metadataflow';
  readonly structure: MaintainableRef;
  readonly targets: readonly string[];
}

export interface Categorisation extends MaintainableBase {
  readonly class: 'Categorisation';
  readonly source: MaintainableRef;
  readonly target: ItemRef;
}

export interface KeyValueSet {
  /** Component id: a dimension, or an attribute. */
  readonly id: string;
  readonly values: readonly string[];
}

export interface CubeRegion {
  readonly include: boolean;
  readonly keyValues: readonly KeyValueSet[];
}

export interface ReferencePeriod {
  /** xs:dateTime */
  readonly startTime: string;
  /** xs:dateTime */
  readonly endTime: string;
}

export interface ContentConstraint extends MaintainableBase {
  readonly class: 'ContentConstraint';
  readonly constraintType: 'Allowed' | 'Actual';
  /** Dataflows, provision agreements or DSDs the constraint applies to. */
  readonly constraintAttachment: readonly MaintainableRef[];
  readonly cubeRegions: readonly CubeRegion[];
  readonly referencePeriod?: ReferencePeriod;
}

export interface ProvisionAgreement extends MaintainableBase {
  readonly class: 'ProvisionAgreement';
  readonly structureUsage: MaintainableRef;
  readonly dataProvider: ItemRef;
}

/** One value mapping: a source code and one of its target codes (1→n is several entries). */
export interface CodeMapping {
  readonly source: string;
  readonly target: string;
}

/**
 * A map from the codes of one codelist to the codes of another, e.g. national offence codes to
 * ICCS. Many sources may share a target; a source with several entries maps to several targets
 * (stored as given: deciding what that means is the reader's job).
 */
export interface RepresentationMap extends MaintainableBase {
  readonly class: 'RepresentationMap';
  readonly source: MaintainableRef;
  readonly target: MaintainableRef;
  readonly mappings: readonly CodeMapping[];
}

/** An input or output of a process step: one of our artefacts. */
export interface ProcessArtefact {
  readonly localID?: string;
  readonly ref: MaintainableRef;
}

/** A conditional move to another step (SDMX Transition); steps otherwise follow in order. */
export interface ProcessTransition {
  readonly id: string;
  /** Id of a step of the same process (a dotted path for a nested step). */
  readonly targetStep: string;
  readonly condition: Text;
}

/** What a step computes, described for people (SDMX Computation is informational). */
export interface ProcessComputation {
  readonly description: Text;
  readonly softwarePackage?: string;
}

export interface ProcessStep extends Nameable {
  readonly inputs: readonly ProcessArtefact[];
  readonly outputs: readonly ProcessArtefact[];
  readonly computation?: ProcessComputation;
  readonly transitions: readonly ProcessTransition[];
  readonly steps: readonly ProcessStep[];
}

/** A process: steps performed on the data, in order unless a transition says otherwise. */
export interface Process extends MaintainableBase {
  readonly class: 'Process';
  readonly steps: readonly ProcessStep[];
}

/** One distinct (possibly partial) key: a single value per named dimension, the others wildcarded. */
export interface DataKey {
  readonly keyValues: readonly { readonly id: string; readonly value: string }[];
}

export interface DataKeySet {
  readonly isIncluded: boolean;
  readonly keys: readonly DataKey[];
}

/**
 * SDMX 2.1 AttachmentConstraint: the keys to which attributes or reference metadata may be
 * attached in the data of the attached dataflows, DSDs or provision agreements. SDMX 3.0 dropped
 * the class, so the 3.0 formats do not write it.
 */
export interface AttachmentConstraint extends MaintainableBase {
  readonly class: 'AttachmentConstraint';
  readonly constraintAttachment: readonly MaintainableRef[];
  readonly dataKeySets: readonly DataKeySet[];
}

/**
 * SDMX 3.0 HierarchyAssociation: a hierarchy linked to a component (our DSD dimensions) in the
 * context of an artefact (the DSD). The hierarchy is one of an HCL's: `hierarchyID` names it when
 * the HCL has several, because SDMX 3.0 then publishes each under its own id (hierarchies30.ts);
 * with one hierarchy the 3.0 Hierarchy has the HCL's id. No SDMX 2.1 form: 2.1 formats omit it.
 */
export interface HierarchyAssociation extends MaintainableBase {
  readonly class: 'HierarchyAssociation';
  readonly linkedHierarchy: { readonly hcl: MaintainableRef; readonly hierarchyID?: string };
  /** The component (e.g. Dimension OFFENCE) of the context structure that uses the hierarchy. */
  readonly linkedComponent: { readonly kind: 'Dimension'; readonly id: string };
  /** The structure the component belongs to and the association holds in (a DSD). */
  readonly context: MaintainableRef;
}

/** A value of a value list: the value itself as `id` (any string), optionally named. */
export interface ValueItem extends Identifiable {
  readonly name?: Text;
  readonly description?: Text;
}

/**
 * SDMX 3.0 ValueList: the closed set of values a non-enumerated component takes (not codes:
 * any string). No SDMX 2.1 form: 2.1 formats omit it.
 */
export interface ValueList extends MaintainableBase {
  readonly class: 'ValueList';
  readonly items: readonly ValueItem[];
  /** True when only some values are present (item queries). */
  readonly isPartial?: boolean;
}

/** The SDMX 3.0 item scheme maps: items of one scheme to items of another of the same kind. */
export const ITEM_SCHEME_MAP_CLASSES = ['ConceptSchemeMap', 'CategorySchemeMap', 'OrganisationSchemeMap', 'ReportingTaxonomyMap'] as const;
export type ItemSchemeMapClass = (typeof ITEM_SCHEME_MAP_CLASSES)[number];

/**
 * SDMX 3.0 ConceptSchemeMap, CategorySchemeMap, OrganisationSchemeMap or ReportingTaxonomyMap:
 * each mapping pairs a source item with a target item (`CodeMapping` of item ids; a nested
 * category or reporting category by its dotted path, as in URNs). In SDMX 2.1 these are maps
 * inside a StructureSet: the 2.1 formats write each as a StructureSet of the same identity
 * holding the one map, as for RepresentationMap.
 */
export interface ItemSchemeMap extends MaintainableBase {
  readonly class: ItemSchemeMapClass;
  readonly source: MaintainableRef;
  readonly target: MaintainableRef;
  readonly mappings: readonly CodeMapping[];
}

/** A StructureMap's component map: source components to target components, values through a representation map. */
export interface ComponentMap {
  readonly source: readonly string[];
  readonly target: readonly string[];
  /** Without one, values pass unchanged. */
  readonly representationMap?: MaintainableRef;
}

/** A value every target observation takes (the source structure has no such component). */
export interface FixedValueMap {
  readonly target: string;
  readonly value: string;
}

/**
 * SDMX 3.0 StructureMap: how the data of a source structure (a dataflow or DSD) become data of a
 * target structure. SDMX 2.1 can only express part of it (no fixed values; codelist maps local to
 * one StructureSet), so the 2.1 formats do not write it.
 */
export interface StructureMap extends MaintainableBase {
  readonly class: 'StructureMap';
  readonly source: MaintainableRef;
  readonly target: MaintainableRef;
  readonly componentMaps: readonly ComponentMap[];
  readonly fixedValueMaps: readonly FixedValueMap[];
}

// ---------------------------------------------------------------------------------------------
// VTL (SDMX package `transformation`; SDMXStructureTransformation.xsd in 2.1 and 3.0). Every one
// is an item scheme of VTL definitions; all but the VtlMappingScheme name the VTL version their
// items follow (`vtlVersion`). Written in SDMX-ML 2.1 and 3.0 and SDMX-JSON 2.0; SDMX-JSON 1.0
// has no VTL classes, so it omits them.

/** One VTL statement: `result := expression` (or `<-` when persistent). */
export interface Transformation extends Nameable {
  readonly expression: string;
  readonly result: string;
  readonly isPersistent: boolean;
}
/** A VTL `define datapoint|hierarchical ruleset ... end ... ruleset` statement. */
export interface Ruleset extends Nameable {
  readonly definition: string;
  readonly rulesetType: 'datapoint' | 'hierarchical';
  /** What the ruleset is defined on: `variable` or `valuedomain`. */
  readonly rulesetScope: 'variable' | 'valuedomain';
}
/** A VTL `define operator ... end operator` statement. */
export interface UserDefinedOperator extends Nameable {
  readonly definition: string;
}
/** How one VTL basic scalar type is written when VTL results become SDMX data. */
export interface CustomType extends Nameable {
  readonly vtlScalarType: string;
  /** An SDMX SimpleDataType (or another type's name). */
  readonly dataType: string;
  readonly vtlLiteralFormat?: string;
  readonly outputFormat?: string;
  readonly nullValue?: string;
}
/** A VTL default name (`vtlDefaultName`) replaced by `personalisedName` in the transformations. */
export interface NamePersonalisation extends Nameable {
  /** The VTL model artefact personalised: `variable` or `valuedomain`. */
  readonly vtlArtefact: string;
  readonly vtlDefaultName: string;
  readonly personalisedName: string;
}
/** The VTL alias of one SDMX artefact: a dataflow, a codelist or a concept (exactly one). */
export interface VtlMapping extends Nameable {
  readonly alias: string;
  readonly dataflow?: MaintainableRef;
  readonly codelist?: MaintainableRef;
  readonly concept?: ItemRef;
}

interface VtlSchemeBase<I extends Nameable> extends ItemSchemeBase<I> {
  /** The VTL version of the items, e.g. `2.0`. */
  readonly vtlVersion: string;
}
export interface TransformationScheme extends VtlSchemeBase<Transformation> {
  readonly class: 'TransformationScheme';
  readonly vtlMappingScheme?: MaintainableRef;
  readonly namePersonalisationScheme?: MaintainableRef;
  readonly customTypeScheme?: MaintainableRef;
  readonly rulesetSchemes: readonly MaintainableRef[];
  readonly userDefinedOperatorSchemes: readonly MaintainableRef[];
}
export interface RulesetScheme extends VtlSchemeBase<Ruleset> {
  readonly class: 'RulesetScheme';
  readonly vtlMappingScheme?: MaintainableRef;
}
export interface UserDefinedOperatorScheme extends VtlSchemeBase<UserDefinedOperator> {
  readonly class: 'UserDefinedOperatorScheme';
  readonly vtlMappingScheme?: MaintainableRef;
  readonly rulesetSchemes: readonly MaintainableRef[];
}
export interface CustomTypeScheme extends VtlSchemeBase<CustomType> {
  readonly class: 'CustomTypeScheme';
}
export interface NamePersonalisationScheme extends VtlSchemeBase<NamePersonalisation> {
  readonly class: 'NamePersonalisationScheme';
}
/** Not a VTL definition scheme: no vtlVersion. */
export interface VtlMappingScheme extends ItemSchemeBase<VtlMapping> {
  readonly class: 'VtlMappingScheme';
}

export type VtlScheme =
  | TransformationScheme
  | RulesetScheme
  | UserDefinedOperatorScheme
  | CustomTypeScheme
  | NamePersonalisationScheme
  | VtlMappingScheme;
export type VtlSchemeClass = VtlScheme['class'];

/** The VTL schemes and the class of their items (URNs: `transformation.<item class>`). */
export const VTL_ITEM_CLASS_OF: Readonly<Record<VtlSchemeClass, string>> = {
  TransformationScheme: 'Transformation',
  RulesetScheme: 'Ruleset',
  UserDefinedOperatorScheme: 'UserDefinedOperator',
  CustomTypeScheme: 'CustomType',
  NamePersonalisationScheme: 'NamePersonalisation',
  VtlMappingScheme: 'VtlMapping',
};

export function isVtlScheme(a: Maintainable): a is VtlScheme {
  return a.class in VTL_ITEM_CLASS_OF;
}

export type Maintainable =
  | MetadataStructure
  | Metadataflow
  | VtlScheme
  | StructureMap
  | ItemSchemeMap
  | HierarchyAssociation
  | ValueList
  | AgencyScheme
  | DataProviderScheme
  | OrganisationUnitScheme
  | DataConsumerScheme
  | ReportingTaxonomy
  | Process
  | AttachmentConstraint
  | Codelist
  | HierarchicalCodelist
  | ConceptScheme
  | CategoryScheme
  | DataStructure
  | Dataflow
  | Categorisation
  | ContentConstraint
  | ProvisionAgreement
  | RepresentationMap;

export type MaintainableOf<C extends MaintainableClass> = Extract<Maintainable, { class: C }>;

// ---------------------------------------------------------------------------------------------
// Helpers that every format needs

export const ITEM_SCHEME_CLASSES: ReadonlySet<MaintainableClass> = new Set([
  'AgencyScheme',
  'DataProviderScheme',
  'Codelist',
  'ConceptScheme',
  'CategoryScheme',
  'OrganisationUnitScheme',
  'DataConsumerScheme',
  'ReportingTaxonomy',
]);

/** Item schemes whose items SDMX nests (no Parent element): writers nest them by parentID. */
export const NESTED_ITEM_SCHEMES: ReadonlySet<MaintainableClass> = new Set(['CategoryScheme', 'ReportingTaxonomy']);

export function isItemScheme(a: Maintainable): a is ItemScheme {
  return ITEM_SCHEME_CLASSES.has(a.class);
}

/** The item class each item scheme holds. */
export const ITEM_CLASS_OF: Readonly<Partial<Record<MaintainableClass, ItemClass>>> = {
  AgencyScheme: 'Agency',
  DataProviderScheme: 'DataProvider',
  Codelist: 'Code',
  ConceptScheme: 'Concept',
  CategoryScheme: 'Category',
  OrganisationUnitScheme: 'OrganisationUnit',
  DataConsumerScheme: 'DataConsumer',
  ReportingTaxonomy: 'ReportingCategory',
};

export function refOf(a: MaintainableBase): MaintainableRef {
  return { class: a.class, agencyID: a.agencyID, id: a.id, version: a.version };
}

export function sameRef(a: MaintainableRef, b: MaintainableRef): boolean {
  return a.class === b.class && a.agencyID === b.agencyID && a.id === b.id && a.version === b.version;
}

export function refKey(r: MaintainableRef): string {
  return `${r.class}=${r.agencyID}:${r.id}(${r.version})`;
}

/** SDMX 2.1 `package` of each class (used in `Ref/@package` and in URNs). */
export const PACKAGE_OF: Readonly<Record<MaintainableClass | ItemClass, string>> = {
  RepresentationMap: 'mapping',
  AgencyScheme: 'base',
  Agency: 'base',
  DataProviderScheme: 'base',
  DataProvider: 'base',
  Codelist: 'codelist',
  Code: 'codelist',
  HierarchicalCodelist: 'codelist',
  ConceptScheme: 'conceptscheme',
  Concept: 'conceptscheme',
  CategoryScheme: 'categoryscheme',
  Category: 'categoryscheme',
  Categorisation: 'categoryscheme',
  DataStructure: 'datastructure',
  Dataflow: 'datastructure',
  ContentConstraint: 'registry',
  ProvisionAgreement: 'registry',
  OrganisationUnitScheme: 'base',
  OrganisationUnit: 'base',
  DataConsumerScheme: 'base',
  DataConsumer: 'base',
  ReportingTaxonomy: 'categoryscheme',
  ReportingCategory: 'categoryscheme',
  Process: 'process',
  AttachmentConstraint: 'registry',
  HierarchyAssociation: 'codelist',
  ValueList: 'codelist',
  // SDMX 2.1 holds maps in a StructureSet (package mapping); 3.0 URNs use `structuremapping` (urn30.ts).
  StructureMap: 'mapping',
  ConceptSchemeMap: 'mapping',
  CategorySchemeMap: 'mapping',
  OrganisationSchemeMap: 'mapping',
  ReportingTaxonomyMap: 'mapping',
  TransformationScheme: 'transformation',
  RulesetScheme: 'transformation',
  UserDefinedOperatorScheme: 'transformation',
  CustomTypeScheme: 'transformation',
  NamePersonalisationScheme: 'transformation',
  VtlMappingScheme: 'transformation',
  MetadataStructure: 'metadatastructure',
  Metadataflow: 'metadatastructure',
};

/** Maps, which SDMX 2.1 holds in a StructureSet of their identity (see ItemSchemeMap). */
export const MAP_CLASSES: ReadonlySet<MaintainableClass> = new Set(['RepresentationMap', 'StructureMap', ...ITEM_SCHEME_MAP_CLASSES]);

/** The SDMX 2.1 class name of a model class (only the maps differ: a StructureSet). */
export function class21Of(c: MaintainableClass): string {
  return MAP_CLASSES.has(c) ? 'StructureSet' : c;
}

/** SDMX 2.1 URN of a maintainable, e.g. urn:sdmx:org.sdmx.infomodel.codelist.Codelist=UNODC:CL_ICCS(1.0). */
export function urnOf(r: MaintainableRef): string {
  return `urn:sdmx:org.sdmx.infomodel.${PACKAGE_OF[r.class]}.${class21Of(r.class)}=${r.agencyID}:${r.id}(${r.version})`;
}

/** URN of an item; category ids are dotted paths from the top of the scheme. */
export function itemUrnOf(r: ItemRef): string {
  const s = r.scheme;
  return `urn:sdmx:org.sdmx.infomodel.${PACKAGE_OF[r.class]}.${r.class}=${s.agencyID}:${s.id}(${s.version}).${r.id}`;
}

/** Every maintainable an artefact references directly ("children" in REST `references`). */
export function childRefs(a: Maintainable): MaintainableRef[] {
  const out: MaintainableRef[] = [];
  const add = (r: MaintainableRef | undefined) => {
    if (r && !out.some((o) => sameRef(o, r))) out.push(r);
  };
  const addComponent = (c: Component) => {
    add(c.conceptIdentity.scheme);
    add(c.localRepresentation?.enumeration);
    for (const role of c.conceptRoles ?? []) add(role.scheme);
  };
  switch (a.class) {
    case 'ConceptScheme':
      for (const c of a.items) add(c.coreRepresentation?.enumeration);
      break;
    case 'HierarchicalCodelist':
      for (const ic of a.includedCodelists) add(ic.ref);
      break;
    case 'DataStructure':
      for (const d of a.dimensions) addComponent(d);
      addComponent(a.timeDimension);
      for (const at of a.attributes) addComponent(at);
      addComponent(a.primaryMeasure);
      break;
    case 'Dataflow':
    case 'Metadataflow':
      add(a.structure);
      break;
    case 'MetadataStructure': {
      const walk = (attributes: readonly MetadataAttribute[]): void => {
        for (const at of attributes) {
          add(at.conceptIdentity.scheme);
          add(at.localRepresentation?.enumeration);
          walk(at.children);
        }
      };
      for (const t of a.targets) for (const c of t.components) add(c.localRepresentation?.enumeration);
      for (const r of a.reports) walk(r.attributes);
      break;
    }
    case 'Categorisation':
      add(a.source);
      add(a.target.scheme);
      break;
    case 'ContentConstraint':
      for (const r of a.constraintAttachment) add(r);
      break;
    case 'ProvisionAgreement':
      add(a.structureUsage);
      add(a.dataProvider.scheme);
      break;
    case 'RepresentationMap':
    case 'ConceptSchemeMap':
    case 'CategorySchemeMap':
    case 'OrganisationSchemeMap':
    case 'ReportingTaxonomyMap':
      add(a.source);
      add(a.target);
      break;
    case 'StructureMap':
      add(a.source);
      add(a.target);
      for (const m of a.componentMaps) add(m.representationMap);
      break;
    case 'ReportingTaxonomy':
      for (const c of a.items) for (const r of c.provisioningMetadata ?? []) add(r);
      break;
    case 'Process': {
      const walk = (steps: readonly ProcessStep[]): void => {
        for (const s of steps) {
          for (const io of [...s.inputs, ...s.outputs]) add(io.ref);
          walk(s.steps);
        }
      };
      walk(a.steps);
      break;
    }
    case 'AttachmentConstraint':
      for (const r of a.constraintAttachment) add(r);
      break;
    case 'HierarchyAssociation':
      add(a.linkedHierarchy.hcl);
      add(a.context);
      break;
    case 'TransformationScheme':
      add(a.vtlMappingScheme);
      add(a.namePersonalisationScheme);
      add(a.customTypeScheme);
      for (const r of a.rulesetSchemes) add(r);
      for (const r of a.userDefinedOperatorSchemes) add(r);
      break;
    case 'RulesetScheme':
      add(a.vtlMappingScheme);
      break;
    case 'UserDefinedOperatorScheme':
      add(a.vtlMappingScheme);
      for (const r of a.rulesetSchemes) add(r);
      break;
    case 'VtlMappingScheme':
      for (const m of a.items) {
        add(m.dataflow);
        add(m.codelist);
        add(m.concept?.scheme);
      }
      break;
    default:
      break;
  }
  return out;
}

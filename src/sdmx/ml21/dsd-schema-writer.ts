/**
 * The DSD-specific ("structure specific") XML schema of SDMX-ML 2.1 (SDMX 2.1 Section 3B, the
 * structure-specific data schema rules; REST `/schema`), for one dimension at the observation
 * level. Its target namespace is the header `namespace` of the structure-specific message
 * (data-structure-specific-writer.ts), so the message validates against the official XSDs plus
 * this schema.
 *
 * What it declares (restricting SDMXDataStructureSpecificBase.xsd / ...TimeSeries.xsd, in the
 * shape the SDMX TCK checks, conformance kit §3.4):
 * - `DataSetType` restricting `dsd:TimeSeriesDataSetType` (TIME_PERIOD at the observation) or
 *   `dsd:DataSetType`: Annotations, DataProvider, Group (when the DSD has groups), and a choice of
 *   `Series` (type SeriesType) or, for AllDimensions, `Obs` (type ObsType); data set attributes.
 * - `SeriesType` (not for AllDimensions) restricting `dsd:TimeSeriesType` or `dsd:SeriesType`:
 *   every dimension but the observation one (TIME_PERIOD included in a cross-section) required,
 *   series attributes optional.
 * - `ObsType` restricting `dsd:TimeSeriesObsType` or `dsd:ObsType`: the observation dimension (all
 *   dimensions for AllDimensions) required, OBS_VALUE and observation attributes optional, `type`
 *   prohibited (no explicit measures: our model has no measure dimension).
 * - One complex type per group, named by the group id (restricting `dsd:GroupType`, or the
 *   abstract `GroupType` with its `GroupType.ID` enumeration when there are several groups).
 * - One enumerated simple type per distinct codelist (restricted to the allowed values when
 *   given), one simple type named by the component id when its TextFormat carries facets.
 *
 * Choices:
 * - Attribute placement: DataSet relationship → DataSetType. Observation relationship → ObsType.
 *   Dimension relationship → SeriesType when it does not involve the observation dimension,
 *   ObsType when it does (and also SeriesType when it involves other dimensions too: the TCK
 *   requires both, and either place is meaningful). Group relationship → the group type and
 *   SeriesType. In a flat view everything but data set attributes is on ObsType.
 * - `REPORTING_YEAR_START_DAY` is prohibited everywhere unless the DSD defines it (TCK).
 * - Types whose facets XML Schema does not allow on the base type (e.g. maxLength on xs:double)
 *   drop those facets: the schema must stay valid.
 * - The primary measure keeps its TextFormat type; a missing value is written `NaN`, which is
 *   valid for xs:double/xs:float (the usual OBS_VALUE type) but not for xs:decimal/xs:int.
 * - Coded components whose codelist is not provided fall back to the allowed values, then to
 *   `common:IDType`.
 * - The official XSDs are imported from `sdmxSchemaLocation` (default: the same folder).
 *
 * Where we knowingly differ from the TCK 3.4 schema checker (it validates the XSD only against
 * XMLSchema.xsd, never compiles it, and its expectations would make the schema unusable):
 * - For a non-time observation dimension it wants ObsType to prohibit TIME_PERIOD with type
 *   `common:TimePeriodType`, which does not exist in the SDMX 2.1 XSDs (an early-draft name kept
 *   in a 2009 sample); we use `common:ObservationalTimePeriodType`. For AllDimensions it even
 *   wants TIME_PERIOD prohibited, which would reject every flat observation; we require it.
 * - With several groups it wants each group type to restrict `dsd:GroupType`; then `xsi:type`
 *   could not select them for a `Group` element typed with the abstract `GroupType`, so they
 *   restrict `GroupType` (with one group the Group element has the group's type, as it expects).
 */
import type { ObservationDimension } from '../data/model.js';
import type { Codelist, Component, DataAttribute, DataStructure, Dataflow, TextFormat, TextType } from '../model.js';
import { refKey } from '../model.js';
import { NS21 } from './namespaces.js';
import { XmlBuilder } from './xml.js';
import { ALL_DIMENSIONS, NS21_DATA, structureSpecificNamespace } from './data-common.js';

export interface DsdSchemaOptions {
  readonly dimensionAtObservation: ObservationDimension;
  /** Codelist of a coded component, by component id (like DataMessageContext.codelistOf). */
  readonly codelists: (componentId: string) => Codelist | undefined;
  /** Allowed codes of a coded component (from Allowed content constraints), when restricted. */
  readonly allowedValues?: (componentId: string) => readonly string[] | undefined;
  /** Prefix of the `schemaLocation` of the official SDMX 2.1 XSDs, e.g. a URL ending in `/`. */
  readonly sdmxSchemaLocation?: string;
}

const XS = 'http://www.w3.org/2001/XMLSchema';
const RYSD = 'REPORTING_YEAR_START_DAY';
const OBSERVATIONAL_TIME = 'common:ObservationalTimePeriodType';

/** TextType → XML Schema type (the SDMX 2.1 mapping, as the TCK's XSD_DATA_TYPE). */
const XSD_TYPE: Readonly<Record<TextType, string>> = {
  String: 'xs:string',
  Alpha: 'common:AlphaType',
  AlphaNumeric: 'common:AlphaNumericType',
  Numeric: 'common:NumericType',
  Integer: 'xs:int',
  Decimal: 'xs:decimal',
  Double: 'xs:double',
  Boolean: 'xs:boolean',
  ObservationalTimePeriod: OBSERVATIONAL_TIME,
  GregorianYear: 'xs:gYear',
  GregorianDay: 'xs:date',
  DateTime: 'xs:dateTime',
  // Only metadata targets use it; a DSD component never does.
  IdentifiableReference: 'xs:anyURI',
  XHTML: 'common:XHTMLType',
};
const STRING_BASES = new Set(['xs:string', 'common:AlphaType', 'common:AlphaNumericType', 'common:NumericType']);
const NUMBER_BASES = new Set(['xs:int', 'xs:decimal', 'xs:double']);

/** An NCName usable as a type name. */
function ncName(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(clean) ? clean : `_${clean}`;
}

interface SimpleType {
  readonly name: string;
  readonly base: string;
  readonly enumeration?: readonly string[];
  readonly facets?: readonly (readonly [string, string])[];
}

/** Facets of a TextFormat that XML Schema allows on `base`. */
function facetsOf(f: TextFormat, base: string): [string, string][] {
  const out: [string, string][] = [];
  if (STRING_BASES.has(base)) {
    if (f.minLength !== undefined) out.push(['minLength', String(f.minLength)]);
    if (f.maxLength !== undefined) out.push(['maxLength', String(f.maxLength)]);
  }
  if (NUMBER_BASES.has(base)) {
    if (f.minValue !== undefined) out.push(['minInclusive', String(f.minValue)]);
    if (f.maxValue !== undefined) out.push(['maxInclusive', String(f.maxValue)]);
  }
  if (f.pattern !== undefined) out.push(['pattern', f.pattern]);
  return out;
}

/** Names types and collects the simple types in the order they are first needed. */
class TypeTable {
  private readonly used: Set<string>;
  private readonly byKey = new Map<string, string>();
  readonly simpleTypes: SimpleType[] = [];

  constructor(
    reserved: Iterable<string>,
    private readonly dsd: DataStructure,
    private readonly opts: DsdSchemaOptions,
  ) {
    this.used = new Set(reserved);
  }

  private allocate(wanted: string): string {
    const base = ncName(wanted);
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}.${i}`;
    this.used.add(name);
    return name;
  }

  private readonly byComponent = new Map<string, string>();

  /** The type (a QName) of a component's XML attribute; one type per component. */
  typeOf(c: Component): string {
    let t = this.byComponent.get(c.id);
    if (t === undefined) {
      t = this.computeType(c);
      this.byComponent.set(c.id, t);
    }
    return t;
  }

  private computeType(c: Component): string {
    if (c.id === RYSD) return 'xs:gMonthDay';
    const isTime = c.id === this.dsd.timeDimension.id;
    const rep = c.localRepresentation;
    if (rep?.enumeration) return this.enumerated(c);
    const fallback = isTime ? OBSERVATIONAL_TIME : 'xs:string';
    const f = rep?.textFormat;
    if (!f) return fallback;
    const base = (f.textType && XSD_TYPE[f.textType]) || fallback;
    const facets = facetsOf(f, base);
    if (facets.length === 0) return base;
    // The TCK looks for a simple type named by the component id (conformance kit §3.4).
    const name = this.allocate(c.id);
    this.simpleTypes.push({ name, base, facets });
    return name;
  }

  private enumerated(c: Component): string {
    const ref = c.localRepresentation!.enumeration!;
    const codelist = this.opts.codelists(c.id);
    const allowed = this.opts.allowedValues?.(c.id);
    let values: readonly string[] | undefined;
    if (codelist) {
      const ids = codelist.items.map((i) => i.id);
      values = allowed ? ids.filter((id) => allowed.includes(id)) : ids;
    } else {
      values = allowed;
    }
    if (!values) return 'common:IDType';
    const key = `${refKey(ref)}|${values.join(' ')}`;
    let name = this.byKey.get(key);
    if (!name) {
      name = this.allocate(ref.id);
      this.byKey.set(key, name);
      this.simpleTypes.push({ name, base: 'xs:string', enumeration: values });
    }
    return name;
  }
}

interface AttributeDecl {
  readonly name: string;
  readonly type: string;
  readonly use: 'required' | 'optional' | 'prohibited';
  readonly fixed?: string;
}

/** XML attributes of one complex type, unique by name, in insertion order. */
class AttributeList {
  readonly decls = new Map<string, AttributeDecl>();
  add(d: AttributeDecl): this {
    if (!this.decls.has(d.name)) this.decls.set(d.name, d);
    return this;
  }
}

/** Where each DSD attribute goes, following the rules in the header comment. */
function placeAttributes(dsd: DataStructure, atObs: string, flat: boolean) {
  const dataSet: DataAttribute[] = [];
  const series: DataAttribute[] = [];
  const obs: DataAttribute[] = [];
  const groups = new Map<string, DataAttribute[]>((dsd.groups ?? []).map((g) => [g.id, []]));
  const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  for (const a of dsd.attributes) {
    const rel = a.relationship;
    if (rel.kind === 'DataSet' || (rel.kind === 'Dimensions' && rel.dimensions.length === 0)) {
      dataSet.push(a);
      continue;
    }
    if (rel.kind === 'Group') groups.get(rel.group)?.push(a);
    if (rel.kind === 'Dimensions') {
      for (const g of dsd.groups ?? []) if (sameSet(g.dimensions, rel.dimensions)) groups.get(g.id)?.push(a);
    }
    if (flat || rel.kind === 'Observation') {
      obs.push(a);
    } else if (rel.kind === 'Group') {
      series.push(a);
    } else {
      if (rel.dimensions.includes(atObs)) obs.push(a);
      if (rel.dimensions.some((d) => d !== atObs)) series.push(a);
    }
  }
  return { dataSet, series, obs, groups };
}

/**
 * The structure-specific schema of `dsd` (restricted to `dataflow`'s namespace when given) for one
 * `dimensionAtObservation` (the time dimension, another dimension, or AllDimensions).
 */
export function dsdSchemaMl21(dsd: DataStructure, dataflow: Dataflow | undefined, options: DsdSchemaOptions): string {
  const atObs = options.dimensionAtObservation;
  const timeId = dsd.timeDimension.id;
  const flat = atObs === ALL_DIMENSIONS;
  const timeSeries = atObs === timeId;
  const dimensions = [...dsd.dimensions].sort((a, b) => a.position - b.position);
  if (!flat && !timeSeries && !dimensions.some((d) => d.id === atObs)) {
    throw new Error(`dimensionAtObservation ${atObs} is not a dimension of ${dsd.id}`);
  }
  const allDimensions: Component[] = [...dimensions, dsd.timeDimension];
  const groups = dsd.groups ?? [];
  const hasRysd = dsd.attributes.some((a) => a.id === RYSD);
  const ns = structureSpecificNamespace(dsd, dataflow, atObs);

  const complexNames = ['DataSetType', 'SeriesType', 'ObsType', 'GroupType', 'GroupType.ID', ...groups.map((g) => ncName(g.id))];
  const types = new TypeTable(complexNames, dsd, options);
  const placed = placeAttributes(dsd, atObs, flat);
  const optional = (a: Component): AttributeDecl => ({ name: a.id, type: types.typeOf(a), use: 'optional' });
  const required = (c: Component): AttributeDecl => ({ name: c.id, type: types.typeOf(c), use: 'required' });
  const noRysd = (list: AttributeList) => (hasRysd ? list : list.add({ name: RYSD, type: 'xs:gMonthDay', use: 'prohibited' }));

  // DataSetType attributes.
  const dataSetAttrs = new AttributeList();
  for (const a of placed.dataSet) dataSetAttrs.add(optional(a));
  noRysd(dataSetAttrs);

  // SeriesType attributes.
  const seriesAttrs = new AttributeList();
  if (!flat) {
    for (const d of allDimensions) if (d.id !== atObs) seriesAttrs.add(required(d));
    for (const a of placed.series) seriesAttrs.add(optional(a));
    noRysd(seriesAttrs);
  }

  // ObsType attributes.
  const obsAttrs = new AttributeList();
  if (flat) {
    for (const d of allDimensions) obsAttrs.add(required(d));
  } else {
    obsAttrs.add(required(allDimensions.find((d) => d.id === atObs)!));
    if (!timeSeries) obsAttrs.add({ name: timeId, type: OBSERVATIONAL_TIME, use: 'prohibited' });
  }
  obsAttrs.add(optional(dsd.primaryMeasure));
  for (const a of placed.obs) obsAttrs.add(optional(a));
  obsAttrs.add({ name: 'type', type: 'common:IDType', use: 'prohibited' });
  noRysd(obsAttrs);

  // Group types.
  const several = groups.length > 1;
  const groupAttrs = groups.map((g) => {
    const list = new AttributeList();
    for (const id of g.dimensions) {
      const d = allDimensions.find((x) => x.id === id);
      if (d) list.add(required(d));
    }
    for (const a of placed.groups.get(g.id) ?? []) list.add(optional(a));
    list.add({ name: 'type', type: several ? 'GroupType.ID' : 'common:IDType', use: 'optional', fixed: g.id });
    noRysd(list);
    return { group: g, list };
  });

  // ---- Write.
  const loc = options.sdmxSchemaLocation ?? '';
  const w = new XmlBuilder().declaration().open('xs:schema', {
    'xmlns:xs': XS,
    xmlns: ns,
    'xmlns:common': NS21.common,
    'xmlns:dsd': NS21_DATA.structureSpecific,
    targetNamespace: ns,
    elementFormDefault: 'qualified',
    attributeFormDefault: 'unqualified',
  });
  w.empty('xs:import', { namespace: NS21.common, schemaLocation: `${loc}SDMXCommon.xsd` });
  w.empty('xs:import', { namespace: NS21_DATA.structureSpecific, schemaLocation: `${loc}SDMXDataStructureSpecific.xsd` });

  const writeAttributes = (list: AttributeList) => {
    for (const d of list.decls.values()) w.empty('xs:attribute', { name: d.name, type: d.type, use: d.use, fixed: d.fixed });
  };
  const annotations = () => w.empty('xs:element', { ref: 'common:Annotations', minOccurs: 0 });
  const openRestriction = (name: string, base: string, abstract?: boolean) =>
    w
      .open('xs:complexType', { name, abstract: abstract ? 'true' : undefined })
      .open('xs:complexContent')
      .open('xs:restriction', { base });
  const closeRestriction = () => w.close('xs:restriction').close('xs:complexContent').close('xs:complexType');

  // DataSetType
  openRestriction('DataSetType', timeSeries ? 'dsd:TimeSeriesDataSetType' : 'dsd:DataSetType');
  w.open('xs:sequence');
  annotations();
  w.empty('xs:element', { name: 'DataProvider', type: 'common:DataProviderReferenceType', form: 'unqualified', minOccurs: 0 });
  if (groups.length > 0) {
    const groupType = several ? 'GroupType' : ncName(groups[0].id);
    w.empty('xs:element', { name: 'Group', type: groupType, form: 'unqualified', minOccurs: 0, maxOccurs: 'unbounded' });
  }
  w.open('xs:choice', { minOccurs: 0 });
  if (flat) w.empty('xs:element', { name: 'Obs', type: 'ObsType', form: 'unqualified', maxOccurs: 'unbounded' });
  else w.empty('xs:element', { name: 'Series', type: 'SeriesType', form: 'unqualified', maxOccurs: 'unbounded' });
  w.close('xs:choice').close('xs:sequence');
  writeAttributes(dataSetAttrs);
  closeRestriction();

  // SeriesType
  if (!flat) {
    openRestriction('SeriesType', timeSeries ? 'dsd:TimeSeriesType' : 'dsd:SeriesType');
    w.open('xs:sequence');
    annotations();
    w.empty('xs:element', { name: 'Obs', type: 'ObsType', form: 'unqualified', minOccurs: 0, maxOccurs: 'unbounded' });
    w.close('xs:sequence');
    writeAttributes(seriesAttrs);
    closeRestriction();
  }

  // ObsType
  openRestriction('ObsType', timeSeries ? 'dsd:TimeSeriesObsType' : 'dsd:ObsType');
  w.open('xs:sequence');
  annotations();
  w.close('xs:sequence');
  writeAttributes(obsAttrs);
  closeRestriction();

  // Groups: after Series and Obs, so that the first type declaring a dimension is SeriesType or
  // ObsType (the TCK's attribute-placement rules look up the first one).
  if (several) {
    openRestriction('GroupType', 'dsd:GroupType', true);
    w.open('xs:sequence');
    annotations();
    w.close('xs:sequence');
    w.empty('xs:attribute', { name: 'type', type: 'GroupType.ID', use: 'optional' });
    if (!hasRysd) w.empty('xs:attribute', { name: RYSD, type: 'xs:gMonthDay', use: 'prohibited' });
    w.empty('xs:anyAttribute', { namespace: '##local' });
    closeRestriction();
    w.open('xs:simpleType', { name: 'GroupType.ID' }).open('xs:restriction', { base: 'common:IDType' });
    for (const g of groups) w.empty('xs:enumeration', { value: g.id });
    w.close('xs:restriction').close('xs:simpleType');
  }
  for (const { group, list } of groupAttrs) {
    openRestriction(ncName(group.id), several ? 'GroupType' : 'dsd:GroupType');
    w.open('xs:sequence');
    annotations();
    w.close('xs:sequence');
    writeAttributes(list);
    closeRestriction();
  }

  // Simple types, in the order the components first needed them.
  for (const st of types.simpleTypes) {
    w.open('xs:simpleType', { name: st.name }).open('xs:restriction', { base: st.base });
    if (st.enumeration) {
      // An empty allowed set must accept nothing; an xs:restriction without facets accepts all.
      if (st.enumeration.length === 0) w.empty('xs:pattern', { value: '[^\\s\\S]' });
      for (const v of st.enumeration) w.empty('xs:enumeration', { value: v });
    }
    for (const [facet, value] of st.facets ?? []) w.empty(`xs:${facet}`, { value });
    w.close('xs:restriction').close('xs:simpleType');
  }

  return w.close('xs:schema').toString();
}

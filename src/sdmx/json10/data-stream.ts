/**
 * The streaming core both SDMX-JSON data writers share (1.0 for SDMX 2.1, 2.0.0 for SDMX 3.0):
 * where each component is presented, the value dictionaries, and the text of one `dataSet`.
 *
 * Both field guides ("dataSet", "series", "observations") key series and observations by the
 * indices of their dimension values in the `values` lists of `structure(s)`, and attributes by
 * indices too. A streaming writer cannot know those lists in advance, so each component gets a
 * small dictionary that hands out indices in order of first appearance; the data set is written
 * first and the structure, listing each dictionary in index order, after it (JSON member order
 * carries no meaning: 1.0 guide, introduction). Dictionaries hold distinct values only, so memory
 * grows with the number of distinct codes, not of series. Free-text attribute values are distinct
 * values too: both formats reference every attribute value by index (2.0.0 could write uncoded
 * ones inline, but clients such as SPC's sdmx-json-parser and the .Stat Suite's data rules look
 * every attribute value up in its `values` list).
 *
 * Choices:
 * - presentation levels (guides, "dimensions, attributes"): every dimension but the one at
 *   observation is a series dimension, in DSD order with the time dimension at its position;
 *   in a flat view (AllDimensions) every dimension is at observation level. Nothing is moved to
 *   the dataSet level, as a streaming writer cannot know that a dimension has one value;
 * - attributes: relationship DataSet → dataSet level; Dimensions or Group whose dimensions are
 *   all series dimensions → series level; anything else (Observation, or a relationship naming
 *   the dimension at observation, or any attribute in a flat view) → observation level. An
 *   observation-level value is read from the observation, then from its series (so a caller may
 *   leave series attributes on the series in a cross-section or flat view);
 * - detail (REST 1.5 4_4_data_queries.md): full = everything; dataonly = no attributes;
 *   serieskeysonly = series keys, no attributes, no observations; nodata = dataSet and series
 *   attributes, no observations;
 * - a missing value (null, or a non-finite number, which JSON cannot hold) is `null`; other
 *   numbers are written by JSON.stringify, the shortest round-trip form (same as String(n));
 * - absent attributes are `null`; arrays are never shortened (the guides allow dropping trailing
 *   absent attributes, which saves little and trips naive clients);
 * - a message may hold several data sets (one per release with includeHistory): they share the
 *   dictionaries, as both guides have one structure per message whose indices every data set
 *   uses. Each data set states its `action` (Information unless told), `validFrom`/`validTo`,
 *   `publicationYear`, and links to its dataflow and, when it names one, its data provider;
 * - in a flat view `series()` may be called many times per data set, each call a pseudo-series
 *   holding the next observations: they all go into the one `observations` object.
 */
import { itemUrnOf, type DataAttribute, type DataStructure } from '../model.js';
import { dataProviderRef, type DataMessageContext, type DataSetInfo, type Observation, type Series } from '../data/model.js';

type Json = Record<string, unknown>;

/** Past this many values a dictionary is searched through a Map rather than its list. */
const LISTED_VALUES = 16;

/**
 * Distinct values of one component, indexed in order of first appearance. Most dictionaries of
 * a message hold one or a few values: those are searched in their list, and a Map is only made
 * for larger ones.
 */
export class ValueIndex {
  private index: Map<string, number> | undefined;
  readonly values: string[] = [];

  indexOf(v: string): number {
    if (this.index) {
      let i = this.index.get(v);
      if (i === undefined) {
        i = this.values.length;
        this.index.set(v, i);
        this.values.push(v);
      }
      return i;
    }
    const i = this.values.indexOf(v);
    if (i >= 0) return i;
    this.values.push(v);
    if (this.values.length > LISTED_VALUES) this.index = new Map(this.values.map((x, n) => [x, n]));
    return this.values.length - 1;
  }
}

/** A dimension as presented: its DSD position (0-based, time included) and its values so far. */
export interface DimensionSlot {
  readonly id: string;
  readonly keyPosition: number;
  readonly values: ValueIndex;
}

/** An attribute as presented, with the values it met. */
export interface AttributeSlot {
  readonly attr: DataAttribute;
  readonly values: ValueIndex;
}

export interface DataLayout {
  readonly flat: boolean;
  readonly withObservations: boolean;
  readonly seriesDimensions: readonly DimensionSlot[];
  readonly observationDimensions: readonly DimensionSlot[];
  readonly dataSetAttributes: readonly AttributeSlot[];
  readonly seriesAttributes: readonly AttributeSlot[];
  readonly observationAttributes: readonly AttributeSlot[];
}

/** The dimensions an attribute depends on, with groups resolved (1.0 guide, "attribute relationship"). */
export function attributeDimensions(dsd: DataStructure, a: DataAttribute): readonly string[] | undefined {
  const r = a.relationship;
  if (r.kind === 'Dimensions') return r.dimensions;
  if (r.kind === 'Group') return dsd.groups?.find((g) => g.id === r.group)?.dimensions ?? [];
  return undefined;
}

/**
 * Layouts differ only in their value dictionaries once the DSD, view and detail are known: the
 * rest is worked out once and copied with fresh dictionaries.
 */
const layouts = new WeakMap<DataStructure, Map<string, DataLayout>>();

export function dataLayout(ctx: DataMessageContext): DataLayout {
  const key = `${ctx.dimensionAtObservation}|${ctx.detail}`;
  let byKey = layouts.get(ctx.dsd);
  if (!byKey) layouts.set(ctx.dsd, (byKey = new Map()));
  let shape = byKey.get(key);
  if (!shape) {
    shape = buildLayout(ctx);
    if (byKey.size >= 64) byKey.clear();
    byKey.set(key, shape);
  }
  return withFreshValues(shape);
}

function withFreshValues(l: DataLayout): DataLayout {
  const dimensions = new Map<DimensionSlot, DimensionSlot>();
  const dimension = (d: DimensionSlot) => {
    let copy = dimensions.get(d);
    if (!copy) dimensions.set(d, (copy = { ...d, values: new ValueIndex() }));
    return copy;
  };
  const attribute = (a: AttributeSlot): AttributeSlot => ({ ...a, values: new ValueIndex() });
  return {
    ...l,
    seriesDimensions: l.seriesDimensions.map(dimension),
    observationDimensions: l.observationDimensions.map(dimension),
    dataSetAttributes: l.dataSetAttributes.map(attribute),
    seriesAttributes: l.seriesAttributes.map(attribute),
    observationAttributes: l.observationAttributes.map(attribute),
  };
}

function buildLayout(ctx: DataMessageContext): DataLayout {
  const dsd = ctx.dsd;
  const all = [...dsd.dimensions, dsd.timeDimension].sort((a, b) => a.position - b.position);
  const slots = all.map((d, i): DimensionSlot => ({ id: d.id, keyPosition: i, values: new ValueIndex() }));
  const flat = ctx.dimensionAtObservation === 'AllDimensions';
  if (!flat && !slots.some((s) => s.id === ctx.dimensionAtObservation)) {
    throw new Error(`dimensionAtObservation ${ctx.dimensionAtObservation} is not a dimension of ${dsd.id}`);
  }
  const atObs = (s: DimensionSlot) => flat || s.id === ctx.dimensionAtObservation;
  const seriesDimensions = slots.filter((s) => !atObs(s));
  const seriesIds = new Set(seriesDimensions.map((s) => s.id));

  const withAttributes = ctx.detail === 'full' || ctx.detail === 'nodata';
  const withObservations = ctx.detail === 'full' || ctx.detail === 'dataonly';
  const dataSetAttributes: AttributeSlot[] = [];
  const seriesAttributes: AttributeSlot[] = [];
  const observationAttributes: AttributeSlot[] = [];
  if (withAttributes) {
    for (const attr of dsd.attributes) {
      const slot: AttributeSlot = { attr, values: new ValueIndex() };
      const dims = attributeDimensions(dsd, attr);
      if (attr.relationship.kind === 'DataSet') dataSetAttributes.push(slot);
      else if (!flat && dims !== undefined && dims.every((d) => seriesIds.has(d))) seriesAttributes.push(slot);
      else if (ctx.detail === 'full') observationAttributes.push(slot);
    }
  }
  return {
    flat,
    withObservations,
    seriesDimensions,
    observationDimensions: slots.filter(atObs),
    dataSetAttributes,
    seriesAttributes,
    observationAttributes,
  };
}

/** The observation value as SDMX-JSON writes it: a number, or null when missing. */
export function obsValue(v: number | null): string {
  return v === null || !Number.isFinite(v) ? 'null' : JSON.stringify(v);
}

/**
 * The JSON of a default data set's head (no action, dates or provider given), kept per dataflow
 * and format: most messages have one such data set.
 */
const defaultHeads = new WeakMap<object, Map<string, string>>();
export function defaultDataSetHead(dataflow: object, variant: string, make: () => Json): string {
  let byVariant = defaultHeads.get(dataflow);
  if (!byVariant) defaultHeads.set(dataflow, (byVariant = new Map()));
  let head = byVariant.get(variant);
  if (head === undefined) byVariant.set(variant, (head = JSON.stringify(make())));
  return head;
}

/** True when a data set says nothing of itself (a default data set). */
export function isDefaultDataSet(info: DataSetInfo): boolean {
  return info.action === undefined && info.validFromDate === undefined && info.validToDate === undefined && info.publicationYear === undefined && info.dataProvider === undefined;
}

/** The members a data set states about itself, `links` (its dataflow) first among its links. */
export function dataSetHead(info: DataSetInfo, links: readonly Json[]): Json {
  const provider = dataProviderRef(info);
  return {
    action: info.action ?? 'Information',
    validFrom: info.validFromDate,
    validTo: info.validToDate,
    publicationYear: info.publicationYear,
    links: provider ? [...links, { rel: 'dataprovider', urn: itemUrnOf(provider) }] : links,
  };
}

/**
 * Writes `dataSet` objects in pieces: `open()` (head, data set attributes and the opening of
 * `series` or, in a flat view, `observations`), `series(s)` for each series, `close()`; then the
 * next data set, with the same dictionaries.
 */
export class DataSetStream {
  readonly layout: DataLayout;
  private first = true;

  /**
   * `absentFirst`: the values lists of series and observation attributes start with an entry for
   * "no value", which no index refers to, and indices count from 1 (see ../json20/data-writer.ts).
   */
  constructor(
    private readonly ctx: DataMessageContext,
    private readonly options: { readonly absentFirst?: boolean } = {},
  ) {
    this.layout = dataLayout(ctx);
  }

  /** `head`: the format's own data set members (action, links...), written first; or its JSON. */
  open(head: Json | string): string {
    const l = this.layout;
    this.first = true;
    let out = (typeof head === 'string' ? head : JSON.stringify(head)).slice(0, -1);
    if (l.dataSetAttributes.length > 0) {
      const given = this.ctx.dataSetAttributes ?? {};
      out += `,"attributes":${this.attributeArray(l.dataSetAttributes, (id) => given[id], 0)}`;
    }
    return `${out},"${l.flat ? 'observations' : 'series'}":{`;
  }

  series(s: Series): string {
    const l = this.layout;
    if (l.flat) {
      if (!l.withObservations) return '';
      return s.observations.map((o) => this.sep() + this.observation(s, o)).join('');
    }
    // Keys are indices joined by `:`, so they need no JSON escaping.
    let key = '';
    for (let i = 0; i < l.seriesDimensions.length; i++) {
      const d = l.seriesDimensions[i]!;
      key += (i > 0 ? ':' : '') + d.values.indexOf(required(s.key[d.id], d.id, 'series key'));
    }
    let body = '';
    if (l.seriesAttributes.length > 0) body = `"attributes":${this.attributeArray(l.seriesAttributes, (id) => s.attributes[id], this.firstIndex)}`;
    if (l.withObservations) {
      let observations = '';
      for (let i = 0; i < s.observations.length; i++) observations += (i > 0 ? ',' : '') + this.observation(s, s.observations[i]!);
      body += `${body ? ',' : ''}"observations":{${observations}}`;
    }
    return `${this.sep()}"${key}":{${body}}`;
  }

  close(): string {
    return '}}';
  }

  private sep(): string {
    if (this.first) {
      this.first = false;
      return '';
    }
    return ',';
  }

  /** `"key":[value, attributes...]` of one observation. */
  private observation(s: Series, o: Observation): string {
    const l = this.layout;
    let key = '';
    for (let i = 0; i < l.observationDimensions.length; i++) {
      const d = l.observationDimensions[i]!;
      const v = o.dimensions?.[d.id] ?? (!l.flat && d.id === this.ctx.dimensionAtObservation ? o.at : s.key[d.id]);
      key += (i > 0 ? ':' : '') + d.values.indexOf(required(v, d.id, 'observation key'));
    }
    let arr = obsValue(o.value);
    const attributes = l.observationAttributes;
    for (let i = 0; i < attributes.length; i++) {
      arr += ',' + this.attributeValue(attributes[i]!, o.attributes[attributes[i]!.attr.id] ?? s.attributes[attributes[i]!.attr.id], this.firstIndex);
    }
    return `"${key}":[${arr}]`;
  }

  /** `[i, null, j...]`: an index per attribute, null when absent. */
  private attributeArray(slots: readonly AttributeSlot[], valueOf: (id: string) => string | undefined, first: number): string {
    let out = '[';
    for (let i = 0; i < slots.length; i++) out += (i > 0 ? ',' : '') + this.attributeValue(slots[i]!, valueOf(slots[i]!.attr.id), first);
    return out + ']';
  }

  /** One attribute as JSON: the index of its value (counted from `first`), null when absent. */
  private attributeValue(a: AttributeSlot, v: string | undefined, first: number): string {
    return v === undefined ? 'null' : String(a.values.indexOf(v) + first);
  }

  /** Where the indices of series and observation attribute values start. */
  private get firstIndex(): number {
    return this.options.absentFirst ? 1 : 0;
  }
}

function required(v: string | undefined, id: string, where: string): string {
  if (v === undefined) throw new Error(`SDMX-JSON data: no value for dimension ${id} in the ${where}`);
  return v;
}

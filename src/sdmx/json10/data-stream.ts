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
 * values too: SDMX-JSON 1.0 can only reference them by index, whereas 2.0.0 writes them inline
 * (`direct`, see below), so only 1.0 keeps them.
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

/** Distinct values of one component, indexed in order of first appearance. */
export class ValueIndex {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  indexOf(v: string): number {
    let i = this.index.get(v);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(v, i);
      this.values.push(v);
    }
    return i;
  }
}

/** A dimension as presented: its DSD position (0-based, time included) and its values so far. */
export interface DimensionSlot {
  readonly id: string;
  readonly keyPosition: number;
  readonly values: ValueIndex;
}

/** An attribute as presented. `direct`: values are written inline, not as indices (2.0.0 only). */
export interface AttributeSlot {
  readonly attr: DataAttribute;
  readonly direct: boolean;
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

export function dataLayout(ctx: DataMessageContext, direct: (a: DataAttribute) => boolean): DataLayout {
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
      const slot: AttributeSlot = { attr, direct: direct(attr), values: new ValueIndex() };
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

  constructor(
    private readonly ctx: DataMessageContext,
    direct: (a: DataAttribute) => boolean,
  ) {
    this.layout = dataLayout(ctx, direct);
  }

  /** `head`: the format's own data set members (action, links...), written first. */
  open(head: Json): string {
    const l = this.layout;
    this.first = true;
    let out = JSON.stringify(head).slice(0, -1);
    if (l.dataSetAttributes.length > 0) {
      const given = this.ctx.dataSetAttributes ?? {};
      out += `,"attributes":${this.attributeArray(l.dataSetAttributes, (id) => given[id])}`;
    }
    return `${out},"${l.flat ? 'observations' : 'series'}":{`;
  }

  series(s: Series): string {
    const l = this.layout;
    if (l.flat) {
      if (!l.withObservations) return '';
      return s.observations.map((o) => this.sep() + this.observation(s, o)).join('');
    }
    const key = l.seriesDimensions.map((d) => d.values.indexOf(required(s.key[d.id], d.id, 'series key'))).join(':');
    const parts: string[] = [];
    if (l.seriesAttributes.length > 0) {
      parts.push(`"attributes":${this.attributeArray(l.seriesAttributes, (id) => s.attributes[id])}`);
    }
    if (l.withObservations) {
      parts.push(`"observations":{${s.observations.map((o) => this.observation(s, o)).join(',')}}`);
    }
    return `${this.sep()}${JSON.stringify(key)}:{${parts.join(',')}}`;
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
    const key = l.observationDimensions
      .map((d) => {
        const v = o.dimensions?.[d.id] ?? (!l.flat && d.id === this.ctx.dimensionAtObservation ? o.at : s.key[d.id]);
        return d.values.indexOf(required(v, d.id, 'observation key'));
      })
      .join(':');
    let arr = obsValue(o.value);
    if (l.observationAttributes.length > 0) {
      const attrs = this.attributeArray(l.observationAttributes, (id) => o.attributes[id] ?? s.attributes[id]);
      arr += `,${attrs.slice(1, -1)}`;
    }
    return `${JSON.stringify(key)}:[${arr}]`;
  }

  /** `[i, null, "text"...]`: an index per attribute (or the value itself when direct), null when absent. */
  private attributeArray(slots: readonly AttributeSlot[], valueOf: (id: string) => string | undefined): string {
    const items = slots.map((a) => {
      const v = valueOf(a.attr.id);
      if (v === undefined) return null;
      return a.direct ? v : a.values.indexOf(v);
    });
    return JSON.stringify(items);
  }
}

function required(v: string | undefined, id: string, where: string): string {
  if (v === undefined) throw new Error(`SDMX-JSON data: no value for dimension ${id} in the ${where}`);
  return v;
}

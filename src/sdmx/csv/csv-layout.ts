/**
 * What the SDMX-CSV writers (1.0 and 2.0) have in common: which component columns a message
 * has, the flat rows a series turns into, and localised labels.
 *
 * CSV is always flat (SDMX-CSV 1.0 and 2.0 "Design principles": one row per observation), so the
 * view asked for with `dimensionAtObservation` only decides where each dimension value is found
 * (series key, `Observation.at` or `Observation.dimensions`), never the columns. `detail`
 * decides the columns and the row grain (REST 1.5 4_4_data_queries.md `detail`):
 * - full: every dimension, OBS_VALUE, every DSD attribute (SDMX-CSV 1.0 requires all attribute
 *   columns even when unused, as a streaming writer cannot know which are used);
 * - dataonly: dimensions and OBS_VALUE only;
 * - serieskeysonly: one row per series holding the series key only (every dimension but the one
 *   at observation: for a cross-section that includes TIME_PERIOD);
 * - nodata: serieskeysonly plus the attributes not attached to observations.
 * In a flat view (AllDimensions) there are no series, so serieskeysonly and nodata write one row
 * per observation key instead (all dimensions, no OBS_VALUE).
 *
 * Labels: a code's name comes from its codelist; a component's name is its concept's name when
 * the context gives concept names (`componentName`), else its codelist's name (an uncoded
 * component then has no name known here and is written by id alone). Names are chosen in the header's language order, then
 * English, then any language present.
 */
import type { Codelist, Component, DataAttribute, Dataflow, Text } from '../model.js';
import type { DataMessageContext, Series } from '../data/model.js';

export type CsvLabels = 'id' | 'name' | 'both';

/** The best text for the preferred languages: each language (exact tag, then its primary subtag), then en, then any. */
export function pickText(text: Text | undefined, languages: readonly string[] = []): string | undefined {
  if (!text) return undefined;
  for (const lang of [...languages, 'en']) {
    if (text[lang] !== undefined) return text[lang];
    const primary = lang.split('-')[0] ?? lang;
    if (text[primary] !== undefined) return text[primary];
  }
  for (const v of Object.values(text)) return v;
  return undefined;
}

/** `AGENCY:ID(VERSION)`, the structure reference of SDMX-CSV 1.0 `DATAFLOW` and 2.0 `STRUCTURE_ID`. */
export function flowReference(df: Dataflow): string {
  return `${df.agencyID}:${df.id}(${df.version})`;
}

/** Localised names of components and codes, with a small per-component code → name dictionary. */
export class CsvNames {
  private readonly languages: readonly string[];
  private readonly codeNames = new Map<string, Map<string, string> | undefined>();

  constructor(private readonly ctx: DataMessageContext) {
    this.languages = ctx.header.languages ?? [];
  }

  text(t: Text | undefined): string | undefined {
    return pickText(t, this.languages);
  }

  /** A component's name: its concept's name, else its codelist's (see the module comment). */
  componentName(componentId: string): string | undefined {
    return this.text(this.ctx.componentName?.(componentId) ?? this.ctx.codelistOf(componentId)?.name);
  }

  /** The name of a code, undefined when the component is uncoded or the code unknown. */
  codeName(componentId: string, code: string): string | undefined {
    let names = this.codeNames.get(componentId);
    if (!this.codeNames.has(componentId)) {
      const cl: Codelist | undefined = this.ctx.codelistOf(componentId);
      names = cl ? new Map() : undefined;
      for (const item of cl?.items ?? []) {
        const n = this.text(item.name);
        if (n !== undefined) names!.set(item.id, n);
      }
      this.codeNames.set(componentId, names);
    }
    return names?.get(code);
  }

  /** Header cells of one component: `ID`, `ID: Name` (both) or `ID`, `Name` (name). */
  headerCells(componentId: string, labels: CsvLabels): string[] {
    const name = labels === 'id' ? undefined : this.componentName(componentId);
    if (labels === 'name') return [componentId, name ?? componentId];
    return [name !== undefined ? `${componentId}: ${name}` : componentId];
  }

  /** Value cells of one component: id, `ID: Name` (both, coded) or id and name (name). */
  valueCells(componentId: string, value: string | undefined, labels: CsvLabels): string[] {
    if (value === undefined) return labels === 'name' ? ['', ''] : [''];
    if (labels === 'id') return [value];
    const name = this.codeName(componentId, value);
    if (labels === 'name') return [value, name ?? ''];
    return [name !== undefined ? `${value}: ${name}` : value];
  }
}

export interface CsvLayout {
  /** Dimension columns (the time dimension included), in DSD order. */
  readonly dimensions: readonly Component[];
  /** The primary measure column, when observation values are written. */
  readonly measure?: Component;
  readonly attributes: readonly DataAttribute[];
  /** Ids of the dimensions that form the series key (SDMX-CSV 2.0 `SERIES_KEY`), in DSD order. */
  readonly seriesKeyDimensions: readonly string[];
  /** One row per observation (true) or per series (false). */
  readonly perObservation: boolean;
}

/** A layout depends on the DSD, the view and the detail only: worked out once for each. */
const layouts = new WeakMap<DataMessageContext['dsd'], Map<string, CsvLayout>>();

export function csvLayout(ctx: DataMessageContext): CsvLayout {
  let byView = layouts.get(ctx.dsd);
  if (!byView) layouts.set(ctx.dsd, (byView = new Map()));
  const key = `${ctx.dimensionAtObservation}|${ctx.detail}`;
  let layout = byView.get(key);
  if (!layout) byView.set(key, (layout = buildLayout(ctx)));
  return layout;
}

function buildLayout(ctx: DataMessageContext): CsvLayout {
  const { dsd, detail, dimensionAtObservation: atObs } = ctx;
  const all: Component[] = [...dsd.dimensions, dsd.timeDimension].sort(
    (a, b) => (a as { position: number }).position - (b as { position: number }).position,
  );
  const flat = atObs === 'AllDimensions';
  const seriesKeyDimensions = flat ? [] : all.filter((d) => d.id !== atObs).map((d) => d.id);
  const keysOnly = detail === 'serieskeysonly' || detail === 'nodata';
  return {
    dimensions: keysOnly && !flat ? all.filter((d) => d.id !== atObs) : all,
    measure: keysOnly ? undefined : dsd.primaryMeasure,
    attributes:
      detail === 'full'
        ? dsd.attributes
        : detail === 'nodata'
          ? dsd.attributes.filter((a) => a.relationship.kind !== 'Observation')
          : [],
    seriesKeyDimensions,
    perObservation: !keysOnly || flat,
  };
}

export interface CsvRow {
  /** Every dimension value known for the row. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number | null;
  /** Data set, series and observation attributes, merged (SDMX-CSV replicates them per row). */
  readonly attributes: Readonly<Record<string, string>>;
  /** True when the row is one observation (it then has a full key: SDMX-CSV 2.0 `OBS_KEY`). */
  readonly isObservation: boolean;
}

/** The rows of one series, produced lazily so a long series is never copied whole. */
export function* csvRows(ctx: DataMessageContext, layout: CsvLayout, s: Series): Generator<CsvRow> {
  const atObs = ctx.dimensionAtObservation;
  const seriesAttributes = { ...ctx.dataSetAttributes, ...s.attributes };
  if (!layout.perObservation) {
    yield { dimensions: s.key, value: null, attributes: seriesAttributes, isObservation: false };
    return;
  }
  for (const o of s.observations) {
    const dimensions: Record<string, string> = { ...s.key, ...o.dimensions };
    if (o.at !== undefined && atObs !== 'AllDimensions') dimensions[atObs] = o.at;
    yield { dimensions, value: o.value, attributes: { ...seriesAttributes, ...o.attributes }, isObservation: true };
  }
}

/**
 * OBS_VALUE as text: the shortest round-trip form, empty when missing (SDMX-CSV has no NaN).
 * JSON.stringify writes a finite number exactly as String() does, but String() also keeps the
 * result in V8's number-string cache, which holds on to it long enough to be promoted: over a
 * million-row export that filled the old generation with dead strings (docs/performance.md).
 */
export function measureText(value: number | null): string {
  if (value === null) return '';
  return Number.isFinite(value) ? JSON.stringify(value) : String(value);
}

/**
 * One SDMX-JSON data set being read: turns its series keys, observation keys and value arrays
 * into records with the help of its structure (sdmx-json-structure.ts). The reader
 * (sdmx-json-reader.ts) walks the document and calls in here as members arrive.
 */
import { UploadFormatError, type UploadAction, type UploadRecord } from '../records.js';
import type { JsonValue } from './json-tokenizer.js';
import { actionLetter } from './ml-message.js';
import { componentValue, indexedValue, literal, presentComponents, type JsonComponent, type JsonStructure } from './sdmx-json-structure.js';

type Values = Record<string, string>;

interface GroupPattern {
  /** Positions (keyPosition) of the dimensions the groups of this pattern name. */
  readonly positions: readonly number[];
  readonly byKey: Map<string, Values>;
}

interface Context {
  readonly structure: JsonStructure;
  /** Data set dimensions and attributes: where every record starts from. */
  readonly base: Values;
  readonly groups: readonly GroupPattern[];
  /** keyPosition of each series and observation dimension, for dimension groups. */
  readonly seriesPositions: readonly number[];
  readonly observationPositions: readonly number[];
  readonly dimensionCount: number;
}

interface SeriesState {
  readonly key: string;
  readonly at: string;
  readonly keyIndices: readonly string[];
  values: Values;
  attributesSeen: boolean;
  readonly held: [string, JsonValue][];
}

export class JsonDataSet {
  dataStarted = false;
  private action: UploadAction | undefined;
  private structureIndex = 0;
  private attributes: JsonValue | undefined;
  private groupValues: JsonValue | undefined;
  private context: Context | undefined;
  private series: SeriesState | undefined;

  constructor(
    private readonly index: number,
    private readonly out: UploadRecord[],
    private readonly structureAt: (index: number) => JsonStructure,
  ) {}

  private get at(): string {
    return `dataSets[${this.index}]`;
  }

  /** A data set member read before its data. */
  head(name: string, value: JsonValue): void {
    if (name === 'action') {
      const text = literal(value) ?? '';
      this.action = actionLetter(text);
      if (!this.action) throw new UploadFormatError(`unknown data set action ${JSON.stringify(text)}`, `${this.at}.action`);
    } else if (name === 'structure') {
      const index = Number(literal(value));
      if (!Number.isInteger(index) || index < 0) throw new UploadFormatError('structure must be an index', `${this.at}.structure`);
      this.structureIndex = index;
    } else if (name === 'attributes') this.attributes = value;
    else if (name === 'dimensionGroupAttributes') this.groupValues = value;
  }

  startData(): void {
    this.dataStarted = true;
    this.context ??= this.makeContext();
  }

  startSeries(key: string): void {
    const ctx = this.context!;
    const at = `${this.at}.series[${JSON.stringify(key)}]`;
    const keyIndices = splitKey(key, ctx.structure.dimensions.series.length, at);
    const values: Values = Object.assign({}, ctx.base);
    ctx.structure.dimensions.series.forEach((d, i) => put(values, d.id, indexedValue(d, keyIndices[i]!, at)));
    this.series = { key, at, keyIndices, values, attributesSeen: ctx.structure.attributes.series.length === 0, held: [] };
  }

  seriesAttributes(given: JsonValue): void {
    const s = this.series!;
    if (!Array.isArray(given)) throw new UploadFormatError('series attributes must be an array', `${s.at}.attributes`);
    const list = presentComponents(this.context!.structure.attributes.series, given, 0);
    list.forEach((a, i) => put(s.values, a.id, componentValue(a, given[i], `${s.at}.attributes`)));
    this.releaseHeld(s);
  }

  endSeries(): void {
    const s = this.series!;
    if (!s.attributesSeen) {
      for (const a of this.context!.structure.attributes.series) put(s.values, a.id, a.default);
      this.releaseHeld(s);
    }
    this.series = undefined;
  }

  /** One observation: in the current series (seriesKey given) or directly in the data set. */
  observation(seriesKey: string | undefined, key: string, given: JsonValue): void {
    const s = seriesKey === undefined ? undefined : this.series;
    if (s && !s.attributesSeen) {
      s.held.push([key, given]);
      return;
    }
    const ctx = this.context!;
    const at = s ? `${s.at}.observations[${JSON.stringify(key)}]` : `${this.at}.observations[${JSON.stringify(key)}]`;
    if (!Array.isArray(given)) throw new UploadFormatError('an observation must be an array', at);
    const { dimensions, measures, attributes } = ctx.structure;
    const keyIndices = splitKey(key, dimensions.observation.length, at);
    const values: Values = Object.assign({}, s ? s.values : ctx.base);
    if (ctx.groups.length > 0) this.addGroupAttributes(values, s?.keyIndices ?? [], keyIndices);
    for (let i = 0; i < dimensions.observation.length; i++) {
      const d = dimensions.observation[i]!;
      put(values, d.id, indexedValue(d, keyIndices[i]!, at));
    }
    for (let i = 0; i < measures.length; i++) put(values, measures[i]!.id, componentValue(measures[i]!, given[i], at));
    const skip = measures.length;
    const present = presentComponents(attributes.observation, given, skip);
    for (let i = 0; i < present.length; i++) put(values, present[i]!.id, componentValue(present[i]!, given[skip + i], at));
    const record: { values: Values; at: string; action?: UploadAction; structure?: string } = { values, at };
    if (this.action) record.action = this.action;
    if (ctx.structure.ref) record.structure = ctx.structure.ref;
    this.out.push(record);
  }

  end(): void {
    this.series = undefined;
  }

  private releaseHeld(s: SeriesState): void {
    s.attributesSeen = true;
    for (const [key, given] of s.held.splice(0)) this.observation(s.key, key, given);
  }

  private makeContext(): Context {
    const structure = this.structureAt(this.structureIndex);
    const at = this.at;
    const base: Values = {};
    for (const d of structure.dimensions.dataSet) put(base, d.id, indexedValue(d, '0', `${at} (data set dimension ${d.id})`));
    const given = Array.isArray(this.attributes) ? this.attributes : [];
    presentComponents(structure.attributes.dataSet, given, 0).forEach((a, i) => put(base, a.id, componentValue(a, given[i], `${at}.attributes`)));
    const all = [...structure.dimensions.dataSet, ...structure.dimensions.series, ...structure.dimensions.observation];
    const position = (d: JsonComponent) => d.keyPosition ?? all.indexOf(d);
    return {
      structure,
      base,
      groups: this.groupPatterns(structure),
      seriesPositions: structure.dimensions.series.map(position),
      observationPositions: structure.dimensions.observation.map(position),
      dimensionCount: all.length,
    };
  }

  /** 2.0 `dimensionGroupAttributes`: keys over all dimensions, empty where a group does not vary. */
  private groupPatterns(structure: JsonStructure): GroupPattern[] {
    const at = `${this.at}.dimensionGroupAttributes`;
    const given = this.groupValues;
    if (given === undefined || given === null) return [];
    if (typeof given !== 'object' || Array.isArray(given)) throw new UploadFormatError('dimensionGroupAttributes must be an object', at);
    const patterns = new Map<string, GroupPattern>();
    for (const [key, list] of Object.entries(given as Record<string, JsonValue>)) {
      if (!Array.isArray(list)) throw new UploadFormatError('group attributes must be an array', `${at}[${JSON.stringify(key)}]`);
      const parts = key.split(':');
      const positions = parts.flatMap((p, i) => (p === '' ? [] : [i]));
      const values: Values = {};
      structure.attributes.dimensionGroup.forEach((a, i) => {
        if (list[i] !== undefined) put(values, a.id, componentValue(a, list[i], `${at}[${JSON.stringify(key)}]`));
      });
      const name = positions.join(',');
      let pattern = patterns.get(name);
      if (!pattern) patterns.set(name, (pattern = { positions, byKey: new Map() }));
      pattern.byKey.set(positions.map((p) => parts[p]).join(':'), values);
    }
    return [...patterns.values()];
  }

  private addGroupAttributes(values: Values, seriesIndices: readonly string[], observationIndices: readonly string[]): void {
    const ctx = this.context!;
    const byPosition: string[] = new Array<string>(ctx.dimensionCount).fill('0');
    ctx.seriesPositions.forEach((p, i) => (byPosition[p] = seriesIndices[i]!));
    ctx.observationPositions.forEach((p, i) => (byPosition[p] = observationIndices[i]!));
    for (const g of ctx.groups) {
      const found = g.byKey.get(g.positions.map((p) => byPosition[p]).join(':'));
      if (!found) continue;
      for (const id in found) if (values[id] === undefined) values[id] = found[id]!;
    }
  }
}

function put(values: Values, id: string, value: string | undefined): void {
  if (value !== undefined && value !== '') values[id] = value;
}

/** `0:1:2` → its indices, as many as the level has dimensions. */
function splitKey(key: string, count: number, at: string): string[] {
  const parts = count === 0 && key === '' ? [] : key.split(':');
  if (parts.length !== count) throw new UploadFormatError(`the key ${JSON.stringify(key)} has ${parts.length} indices where ${count} dimensions are expected`, at);
  return parts;
}

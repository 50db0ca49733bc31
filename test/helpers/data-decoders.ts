/**
 * Reads any data message we emit back into one canonical shape, as a client would: every
 * observation with its full key (time included), value and attributes. Route tests use it to
 * prove that the same query gives the same observations in every format.
 */
import { XMLParser } from 'fast-xml-parser';
import { parseCsv } from './csv.js';

export interface DecodedObservation {
  /** Every dimension, TIME_PERIOD included. */
  readonly key: Readonly<Record<string, string>>;
  readonly value: number | null;
  readonly attributes: Readonly<Record<string, string>>;
}

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const toNumber = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '' || v === 'NaN') return null;
  return Number(v);
};

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  isArray: (name) => ['DataSet', 'Series', 'Obs', 'Value'].includes(name),
  parseAttributeValue: false,
  parseTagValue: false,
});

/** SDMX-ML 2.1 generic (time series, cross-section or flat). */
export function decodeGeneric21(text: string): DecodedObservation[] {
  const doc = xml.parse(text) as J;
  const root = doc.GenericData ?? doc.GenericTimeSeriesData;
  const atObs: string = root.Header.Structure.dimensionAtObservation;
  const values = (node: J): Record<string, string> =>
    Object.fromEntries(((node?.Value ?? []) as J[]).map((v: J) => [v.id, v.value]));
  const out: DecodedObservation[] = [];
  for (const ds of root.DataSet ?? []) {
    for (const s of ds.Series ?? []) {
      const seriesKey = values(s.SeriesKey);
      const seriesAttrs = values(s.Attributes);
      for (const o of s.Obs ?? []) {
        out.push({
          key: { ...seriesKey, [o.ObsDimension.id ?? atObs]: o.ObsDimension.value },
          value: toNumber(o.ObsValue?.value),
          attributes: { ...seriesAttrs, ...values(o.Attributes) },
        });
      }
    }
    for (const o of ds.Obs ?? []) {
      out.push({ key: values(o.ObsKey), value: toNumber(o.ObsValue?.value), attributes: values(o.Attributes) });
    }
  }
  return out;
}

/**
 * SDMX-ML 2.1 structure-specific and SDMX-ML 3.0: components are XML attributes; `dimensions`
 * says which are key parts (the rest but OBS_VALUE are attributes).
 */
export function decodeStructureSpecific(text: string, dimensions: readonly string[], measure = 'OBS_VALUE'): DecodedObservation[] {
  const doc = xml.parse(text) as J;
  const root = doc.StructureSpecificData ?? doc.StructureSpecificTimeSeriesData ?? doc.Data;
  const split = (node: J) => {
    const key: Record<string, string> = {};
    const attributes: Record<string, string> = {};
    let value: number | null = null;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (typeof v !== 'string' || k === 'type' || k === 'action' || k.startsWith('xmlns')) continue;
      if (dimensions.includes(k)) key[k] = v;
      else if (k === measure) value = toNumber(v);
      else attributes[k] = v;
    }
    return { key, attributes, value };
  };
  const out: DecodedObservation[] = [];
  for (const ds of root.DataSet ?? []) {
    for (const s of ds.Series ?? []) {
      const series = split(s);
      for (const o of s.Obs ?? []) {
        const obs = split(o);
        out.push({ key: { ...series.key, ...obs.key }, value: obs.value, attributes: { ...series.attributes, ...obs.attributes } });
      }
    }
    for (const o of ds.Obs ?? []) {
      const obs = split(o);
      out.push({ key: obs.key, value: obs.value, attributes: obs.attributes });
    }
  }
  return out;
}

/** SDMX-CSV 1.0 or 2.0 with ids (labels=both cells are `ID: name`; the id is kept). */
export function decodeCsv(text: string, dimensions: readonly string[]): DecodedObservation[] {
  const skip = new Set(['DATAFLOW', 'STRUCTURE', 'STRUCTURE_ID', 'STRUCTURE_NAME', 'ACTION', 'OBS_VALUE', 'SERIES_KEY', 'OBS_KEY']);
  const idOf = (header: string) => header.split(':')[0]!.trim();
  return parseCsv(text).map((row) => {
    const key: Record<string, string> = {};
    const attributes: Record<string, string> = {};
    let value: number | null = null;
    for (const [h, cell] of Object.entries(row)) {
      const id = idOf(h);
      const code = cell.includes(': ') ? cell.split(': ')[0]! : cell;
      if (id === 'OBS_VALUE') value = toNumber(cell);
      else if (dimensions.includes(id)) key[id] = code;
      else if (!skip.has(id) && code !== '') attributes[id] = code;
    }
    return { key, value, attributes };
  });
}

/** SDMX-JSON 1.0 (`data.structure`) or 2.0 (`data.structures[0]`), any view. */
export function decodeJson(text: string): DecodedObservation[] {
  const doc = JSON.parse(text) as J;
  const structure = doc.data.structure ?? doc.data.structures[0];
  const dims = structure.dimensions;
  const attrs = structure.attributes ?? {};
  const valueOf = (component: J, index: number | null | undefined): string | undefined => {
    if (index === null || index === undefined) return undefined;
    if (!component.values || component.values.length === 0) return String(index);
    const v = component.values[index];
    return v?.id ?? v?.value ?? v?.name;
  };
  const keyOf = (components: J[], indexes: string): Record<string, string> => {
    if (components.length === 0) return {};
    const parts = indexes.split(':');
    return Object.fromEntries(components.map((c: J, i: number) => [c.id, valueOf(c, Number(parts[i]))!]));
  };
  const attributesOf = (components: J[] = [], indexes: unknown[] = []): Record<string, string> => {
    const out: Record<string, string> = {};
    components.forEach((c: J, i: number) => {
      const v = valueOf(c, indexes[i] as number);
      if (v !== undefined) out[c.id] = v;
    });
    return out;
  };
  const measureCount = Array.isArray(structure.measures?.observation) ? structure.measures.observation.length : 1;
  const out: DecodedObservation[] = [];
  for (const ds of doc.data.dataSets) {
    for (const [seriesIndexes, s] of Object.entries((ds.series ?? {}) as Record<string, J>)) {
      const seriesKey = keyOf(dims.series ?? [], seriesIndexes);
      const seriesAttributes = attributesOf(attrs.series, s.attributes);
      for (const [obsIndexes, o] of Object.entries((s.observations ?? {}) as Record<string, unknown[]>)) {
        out.push({
          key: { ...seriesKey, ...keyOf(dims.observation ?? [], obsIndexes) },
          value: toNumber(o[0]),
          attributes: { ...seriesAttributes, ...attributesOf(attrs.observation, o.slice(measureCount)) },
        });
      }
    }
    for (const [obsIndexes, o] of Object.entries((ds.observations ?? {}) as Record<string, unknown[]>)) {
      out.push({
        key: keyOf(dims.observation ?? [], obsIndexes),
        value: toNumber(o[0]),
        attributes: attributesOf(attrs.observation, o.slice(measureCount)),
      });
    }
  }
  return out;
}

/** Order-free comparable form: one line per observation, sorted. */
export function canonical(observations: readonly DecodedObservation[], withAttributes = true): string[] {
  return observations
    .map((o) => {
      const key = Object.entries(o.key)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const attrs = withAttributes
        ? ` ${Object.entries(o.attributes)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`
        : '';
      return `${key} → ${o.value === null ? 'null' : o.value}${attrs}`;
    })
    .sort();
}

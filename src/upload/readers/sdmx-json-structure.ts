/**
 * The `structure` section of an SDMX-JSON data message (1.0 `data.structure`, 2.0
 * `data.structures[]`), as the reader needs it to turn positional indices back into ids and
 * values (shared/sdmx/json-docs/1.0 "Handling component values", 2.0 "Handling indexes").
 *
 * One rule serves both versions: an index (a JSON number) into a component's `values` when the
 * component lists values, the value itself otherwise (2.0 writes uncoded values directly). A
 * listed value is its `id`, else its `value` (2.0 uncoded), else its `name` (1.0 uncoded
 * attributes). Localised texts give their English text (else the first); multi-valued ones are
 * joined with `;`, as SDMX-CSV writes them. An attribute left out of its array takes the
 * component's `default`; `null` means no value.
 */
import { UploadFormatError } from '../records.js';
import { JsonNumber, type JsonValue } from './json-tokenizer.js';
import { refFromRestUrl, refFromUrn } from './structure-ref.js';

export interface JsonComponent {
  readonly id: string;
  readonly values?: readonly JsonValue[];
  readonly default?: string;
  readonly keyPosition?: number;
}

export interface JsonStructure {
  /** AGENCY:ID(VERSION) from the dataflow (else data structure, else provision agreement) link. */
  readonly ref?: string;
  readonly dimensions: Levels;
  readonly attributes: Levels & { readonly dimensionGroup: readonly JsonComponent[] };
  /** 2.0 `measures.observation`; a single OBS_VALUE when the message has none (1.0, or 2.0 leaving it out). */
  readonly measures: readonly JsonComponent[];
}

interface Levels {
  readonly dataSet: readonly JsonComponent[];
  readonly series: readonly JsonComponent[];
  readonly observation: readonly JsonComponent[];
}

type JsonObject = { readonly [key: string]: JsonValue };

const OBS_VALUE: readonly JsonComponent[] = [{ id: 'OBS_VALUE' }];
const LINK_ORDER = ['dataflow', 'datastructure', 'provisionagreement'];

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

export function jsonStructure(json: JsonValue, at: string): JsonStructure {
  if (!isObject(json)) throw new UploadFormatError('a structure must be an object', at);
  const dims = isObject(json.dimensions) ? json.dimensions : {};
  const attrs = isObject(json.attributes) ? json.attributes : {};
  const measures = isObject(json.measures) ? components(json.measures.observation, `${at}.measures.observation`) : [];
  const level = (o: JsonObject, name: string, what: string) => components(o[name], `${at}.${what}.${name}`);
  return {
    ref: structureRef(json.links),
    dimensions: { dataSet: level(dims, 'dataSet', 'dimensions'), series: level(dims, 'series', 'dimensions'), observation: level(dims, 'observation', 'dimensions') },
    attributes: {
      dataSet: level(attrs, 'dataSet', 'attributes'),
      dimensionGroup: level(attrs, 'dimensionGroup', 'attributes'),
      series: level(attrs, 'series', 'attributes'),
      observation: level(attrs, 'observation', 'attributes'),
    },
    measures: measures.length > 0 ? measures : OBS_VALUE,
  };
}

function components(list: JsonValue | undefined, at: string): JsonComponent[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new UploadFormatError('components must be listed in an array', at);
  return list.map((c, i) => {
    if (!isObject(c) || typeof c.id !== 'string') throw new UploadFormatError('a component without an id', `${at}[${i}]`);
    const keyPosition = c.keyPosition instanceof JsonNumber ? Number(c.keyPosition.text) : undefined;
    const dflt = c.default === undefined ? undefined : literal(c.default);
    return {
      id: c.id,
      ...(Array.isArray(c.values) && { values: c.values }),
      ...(dflt !== undefined && { default: dflt }),
      ...(keyPosition !== undefined && { keyPosition }),
    };
  });
}

function structureRef(links: JsonValue | undefined): string | undefined {
  if (!Array.isArray(links)) return undefined;
  for (const rel of LINK_ORDER) {
    for (const link of links) {
      if (!isObject(link) || link.rel !== rel) continue;
      const ref =
        (typeof link.urn === 'string' ? refFromUrn(link.urn) : undefined) ??
        (typeof link.href === 'string' ? refFromRestUrl(link.href) ?? refFromUrn(link.href) : undefined);
      if (ref) return ref;
    }
  }
  return undefined;
}

/** A value written directly (not as an index) as text; undefined for null. */
export function literal(v: JsonValue): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return v;
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const parts = v.map(literal).filter((p): p is string => p !== undefined);
    return parts.length > 0 ? parts.join(';') : undefined;
  }
  const localised = v.en ?? Object.values(v)[0];
  return localised === undefined ? undefined : literal(localised);
}

/** One entry of a component's `values` as text. */
function listedValue(v: JsonValue): string | undefined {
  if (!isObject(v)) return literal(v);
  for (const field of ['id', 'value', 'values', 'name', 'names'] as const) {
    if (v[field] !== undefined) return literal(v[field]);
  }
  return undefined;
}

/** The value a message gives for a component: an index into its values, or the value itself. */
export function componentValue(c: JsonComponent, given: JsonValue | undefined, at: string): string | undefined {
  if (given === undefined) return c.default;
  if (given instanceof JsonNumber && c.values) return indexedValue(c, given.text, at);
  return literal(given);
}

/**
 * The components that the values from `from` on in `given` stand for. Normally all of them, in
 * order; but OECD's .Stat writes attributes listed with no values at all (`values: []`) and
 * leaves them out of the index arrays. A value at such an attribute's place cannot be meant for
 * it, so that array is read with those attributes left out.
 */
export function presentComponents(list: readonly JsonComponent[], given: readonly JsonValue[], from: number): readonly JsonComponent[] {
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.values?.length !== 0) continue;
    const v = given[from + i];
    if (v !== undefined && v !== null) return list.filter((c) => c.values?.length !== 0);
  }
  return list;
}

/** The value at index `index` (text of an integer) of a component's values. */
export function indexedValue(c: JsonComponent, index: string, at: string): string | undefined {
  const i = Number(index);
  const v = Number.isInteger(i) && i >= 0 ? c.values?.[i] : undefined;
  if (v === undefined) throw new UploadFormatError(`index ${JSON.stringify(index)} does not point to a value of ${c.id}`, at);
  return listedValue(v);
}

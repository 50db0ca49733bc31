/**
 * Parses REST data and availability requests of both APIs into `DataQuery` / `AvailabilityQuery`.
 *
 * - API 1.x (SDMX 2.1): /data/{flowRef}/{key}/{providerRef}, /availableconstraint/…/{componentId};
 *   `all` and `latest` keywords, `+` for OR in keys and providers, startPeriod/endPeriod/detail.
 * - API 2.x (SDMX 3.0): /data/{context}/{agency}/{id}/{version}/{key}, /availability/…/{componentId};
 *   `*` and `~`, `,` between keys, `c[COMPONENT]` filters, attributes/measures instead of detail.
 *
 * Syntax only: whether the flow exists and the key fits its DSD is the data service's business.
 * Every error is a 400 naming the offending text and what was expected.
 */
import type { DataDetail } from '../data/model.js';
import {
  AVAILABILITY_REFERENCES,
  FILTER_OPERATORS,
  type ArtefactSelector,
  type AttributeSelection,
  type AvailabilityQuery,
  type AvailabilityReference,
  type ComponentFilter,
  type Condition,
  type DataContext,
  type DataQuery,
  type DataSelection,
  type FilterOperator,
  type KeyPattern,
  type MeasureSelection,
  type ProviderSelector,
} from '../data/query.js';
import { ServiceError } from '../../errors.js';
import { parseInstant, queryPeriodEnd, queryPeriodStart } from '../time-period.js';
import { parseRawQuery } from './query-string.js';
import type { ApiVersion } from './structure-request.js';

const syntax = (text: string) => new ServiceError('invalid-input', text);

const AGENCY = /^[A-Za-z][A-Za-z\d_-]*(\.[A-Za-z][A-Za-z\d_-]*)*$/;
const RESOURCE_ID = /^[A-Za-z\d_@$-]+$/;
const CODE = /^[A-Za-z\d_@$-]+$/;
const COMPONENT_ID = /^[A-Za-z][A-Za-z\d_-]*$/;
const VERSION_21 = /^(latest|\d+(\.\d+)*)$/;
// Loose on purpose: the service matches wildcards (`1.0+.0`, `1.*.0`, `+`) against real versions.
const VERSION_30 = /^(\d+\+?|\*|\+)(\.(\d+\+?|\*|\+)){0,2}(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const CONTEXTS: readonly DataContext[] = ['datastructure', 'dataflow', 'provisionagreement', '*'];
const DETAILS: readonly DataDetail[] = ['full', 'dataonly', 'serieskeysonly', 'nodata'];
const MODES = ['exact', 'available'] as const;
/** Read by the route (format and labels) or harmless; `_…` are browser cache-busters. */
const IGNORED = ['format', 'formatVersion', 'lang', 'labels'];
const FILTER_PARAM = /^c\[(.*)\]$/s;

const DATA_PARAMS: Record<ApiVersion, readonly string[]> = {
  '2.1': ['startPeriod', 'endPeriod', 'updatedAfter', 'firstNObservations', 'lastNObservations', 'dimensionAtObservation', 'detail', 'includeHistory'],
  '3.0': ['c[COMPONENT]', 'updatedAfter', 'asOf', 'firstNObservations', 'lastNObservations', 'dimensionAtObservation', 'attributes', 'measures', 'includeHistory'],
};
const AVAILABILITY_PARAMS: Record<ApiVersion, readonly string[]> = {
  '2.1': ['startPeriod', 'endPeriod', 'updatedAfter', 'references', 'mode'],
  '3.0': ['c[COMPONENT]', 'updatedAfter', 'asOf', 'references', 'mode'],
};

/** REST 1.x parameters that REST 2.x dropped, with what replaces them. */
const REPLACED_IN_30: Record<string, string> = {
  startPeriod: 'filter on time with c[TIME_PERIOD]=ge:2019+le:2020',
  endPeriod: 'filter on time with c[TIME_PERIOD]=ge:2019+le:2020',
  detail: 'use attributes and measures instead (e.g. attributes=none&measures=none for series keys only)',
};

/** Drops undefined members so that an absent parameter leaves no key behind. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function checkParamNames(api: ApiVersion, params: ReadonlyMap<string, string>, accepted: readonly string[], what: string): void {
  for (const name of params.keys()) {
    if (IGNORED.includes(name) || name.startsWith('_') || accepted.includes(name)) continue;
    if (api === '3.0' && FILTER_PARAM.test(name)) continue;
    if (api === '3.0' && name === 'c') throw syntax('Query parameter "c" needs a component: c[COMPONENT]=value');
    if (api === '3.0' && REPLACED_IN_30[name]) {
      throw syntax(`Query parameter "${name}" does not exist in REST 2.x ${what} queries: ${REPLACED_IN_30[name]}`);
    }
    throw syntax(`Unknown query parameter "${name}" for a ${what} query: accepted are ${[...accepted, ...IGNORED].join(', ')}`);
  }
}

function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw syntax(`Invalid ${name} "${raw}": expected one of ${allowed.join(', ')}`);
  return raw as T;
}

function positiveInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw syntax(`Invalid ${name} "${raw}": expected a positive integer such as 3`);
  return Number(raw);
}

function instant(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseInstant(raw);
  if (parsed === undefined) throw syntax(`Invalid ${name} "${raw}": expected a date or dateTime such as 2020-01-31 or 2020-01-31T12:00:00Z`);
  return parsed;
}

function componentId(name: string, raw: string): string {
  if (!COMPONENT_ID.test(raw)) throw syntax(`Invalid ${name} "${raw}": expected an id such as TIME_PERIOD`);
  return raw;
}

/** Path segments with trailing empty ones removed (a trailing slash), empty ones read as absent. */
function pathParts(segments: readonly string[], max: number, resource: string): (string | undefined)[] {
  let end = segments.length;
  while (end > 0 && segments[end - 1] === '') end--;
  if (end > max) throw syntax(`Too many path segments after ${resource}: expected at most ${max}, got "${segments.slice(0, end).join('/')}"`);
  return segments.slice(0, end).map((s) => (s === '' ? undefined : s));
}

// ---- REST 1.x ----

function flowRef21(raw: string | undefined): ArtefactSelector {
  const expected = 'expected ID, AGENCY,ID or AGENCY,ID,VERSION';
  if (raw === undefined) throw syntax(`Missing dataflow reference: ${expected}`);
  const parts = raw.split(',');
  if (parts.length > 3) throw syntax(`Invalid dataflow reference "${raw}": ${expected}`);
  const [agency, id, version] = parts.length === 1 ? ['*', parts[0] as string, 'latest'] : [parts[0] as string, parts[1] as string, parts[2] ?? 'latest'];
  if (agency !== '*' && !AGENCY.test(agency)) throw syntax(`Invalid agency "${agency}" in dataflow reference "${raw}": ${expected}`);
  if (!RESOURCE_ID.test(id)) throw syntax(`Invalid dataflow id "${id}" in dataflow reference "${raw}": ${expected}`);
  if (!VERSION_21.test(version)) throw syntax(`Invalid version "${version}" in dataflow reference "${raw}": expected latest or a number such as 1.0`);
  // The specification equates a bare ID with all,ID,latest.
  return { agencyId: agency === 'all' ? '*' : agency, id, version };
}

function code(raw: string, key: string): string {
  if (!CODE.test(raw)) throw syntax(`Invalid code "${raw}" in key "${key}": codes are letters, digits, _, @, $ or -`);
  return raw;
}

function key21(raw: string | undefined): KeyPattern[] | undefined {
  if (raw === undefined || raw === 'all') return undefined;
  return [raw.split('.').map((position) => (position === '' ? undefined : position.split('+').map((c) => code(c, raw))))];
}

function providers21(raw: string | undefined): ProviderSelector[] | undefined {
  if (raw === undefined || raw === 'all') return undefined;
  return raw.split('+').map((ref) => {
    const parts = ref.split(',');
    const [agency, id] = parts.length === 2 ? parts : [undefined, parts[0] as string];
    if (parts.length > 2 || !RESOURCE_ID.test(id as string) || (agency !== undefined && !AGENCY.test(agency))) {
      throw syntax(`Invalid data provider reference "${ref}" in "${raw}": expected PROVIDER_ID or AGENCY,PROVIDER_ID`);
    }
    return compact({ agencyId: agency, id: id as string });
  });
}

function periodBounds(params: ReadonlyMap<string, string>): Pick<DataSelection, 'startPeriod' | 'endPeriod'> {
  const startPeriod = params.get('startPeriod');
  const endPeriod = params.get('endPeriod');
  const forms = 'expected a period such as 2019, 2019-Q3, 2019-07, 2019-W27, 2019-D180 or 2019-07-01';
  const from = startPeriod === undefined ? undefined : queryPeriodStart(startPeriod);
  const to = endPeriod === undefined ? undefined : queryPeriodEnd(endPeriod);
  if (startPeriod !== undefined && from === undefined) throw syntax(`Invalid startPeriod "${startPeriod}": ${forms}`);
  if (endPeriod !== undefined && to === undefined) throw syntax(`Invalid endPeriod "${endPeriod}": ${forms}`);
  if (from !== undefined && to !== undefined && from > to) throw syntax(`startPeriod "${startPeriod}" is after endPeriod "${endPeriod}"`);
  return { startPeriod, endPeriod };
}

function selection21(parts: (string | undefined)[], params: ReadonlyMap<string, string>): DataSelection {
  const [flowRef, key, providerRef] = parts;
  return {
    api: '2.1',
    context: 'dataflow',
    flow: flowRef21(flowRef),
    keys: key21(key),
    providers: providers21(providerRef),
    filters: [],
    ...periodBounds(params),
    updatedAfter: instant('updatedAfter', params.get('updatedAfter')),
  };
}

// ---- REST 2.x ----

function artefactPart(raw: string | undefined, what: string, pattern: RegExp): string {
  if (raw === undefined || raw === '*') return '*';
  if (raw.includes(',')) throw syntax(`Several ${what}s ("${raw}") in one query are not supported: give one ${what} or *`);
  if (!pattern.test(raw)) throw syntax(`Invalid ${what} "${raw}"`);
  return raw;
}

function version30(raw: string | undefined): string {
  if (raw === undefined || raw === '~' || raw === 'latest') return '~';
  if (raw === '*') return raw;
  if (raw.includes(',')) throw syntax(`Several versions ("${raw}") in one query are not supported: give one version, ~ or *`);
  if (!VERSION_30.test(raw)) throw syntax(`Invalid version "${raw}": expected ~, *, + or a version such as 1.0.0 or 1.0+.0`);
  return raw;
}

function keys30(raw: string | undefined): KeyPattern[] | undefined {
  if (raw === undefined || raw === '*') return undefined;
  return raw.split(',').map((key) => {
    if (key === '') throw syntax(`Empty key in "${raw}": separate keys with a single comma`);
    if (key.includes('+')) throw syntax(`"+" is not allowed in key "${key}" in REST 2.x: select several codes with c[DIMENSION]=A,B or list whole keys separated by ","`);
    return key.split('.').map((position) => (position === '' || position === '*' ? undefined : [code(position, key)]));
  });
}

function condition(text: string, component: string): Condition {
  const colon = text.indexOf(':');
  const prefix = colon < 0 ? '' : text.slice(0, colon);
  // Only a known operator counts as one, so `2020-01-01T10:00:00` remains a plain value.
  if (!(FILTER_OPERATORS as readonly string[]).includes(prefix)) return { op: 'eq', value: text };
  const value = text.slice(colon + 1);
  if (value === '') throw syntax(`Missing value after "${prefix}:" in c[${component}]`);
  return { op: prefix as FilterOperator, value };
}

function filters30(params: ReadonlyMap<string, string>): ComponentFilter[] {
  const result: ComponentFilter[] = [];
  for (const [name, raw] of params) {
    const match = FILTER_PARAM.exec(name);
    if (!match) continue;
    const component = componentId('component in ' + name, match[1] as string);
    if (raw === '') throw syntax(`Empty value for ${name}: expected values such as ${name}=A,B or ${name}=ge:2019+le:2020`);
    const anyOf = raw.split(',').map((alternative) =>
      alternative.split('+').map((text) => {
        if (text === '') throw syntax(`Empty condition in ${name}=${raw}: "," separates alternatives, "+" joins conditions`);
        return condition(text, component);
      }),
    );
    result.push({ component, anyOf });
  }
  return result;
}

function idList(name: string, raw: string): string[] {
  const ids = raw.split(',').map((id) => componentId(`${name} id`, id));
  return [...new Set(ids)];
}

const LEVELS = ['dataset', 'series', 'obs'] as const;
type Level = (typeof LEVELS)[number];

function attributes30(raw: string | undefined): AttributeSelection {
  if (raw === undefined || raw === 'dsd') return { kind: 'dsd' };
  if (raw === 'all' || raw === 'none') return { kind: raw };
  // Reference metadata attributes: we hold none.
  if (raw === 'msd') return { kind: 'none' };
  const tokens = raw.split(',');
  for (const t of tokens) {
    if (['dsd', 'msd', 'all', 'none'].includes(t)) throw syntax(`"${t}" cannot be combined with other values in attributes=${raw}`);
  }
  const levels = tokens.filter((t): t is Level => (LEVELS as readonly string[]).includes(t));
  if (levels.length === tokens.length) return { kind: 'levels', levels: [...new Set(levels)] };
  if (levels.length) throw syntax(`attributes=${raw} mixes attachment levels (dataset, series, obs) with attribute ids`);
  return { kind: 'ids', ids: idList('attributes', raw) };
}

function measures30(raw: string | undefined): MeasureSelection {
  if (raw === undefined || raw === 'all') return { kind: 'all' };
  if (raw === 'none') return { kind: 'none' };
  for (const t of raw.split(',')) {
    if (t === 'all' || t === 'none') throw syntax(`"${t}" cannot be combined with other values in measures=${raw}`);
  }
  return { kind: 'ids', ids: idList('measures', raw) };
}

/** REST 1.x `detail` equivalent of the 2.x selections, for writers that only know detail. */
function detailOf(attributes: AttributeSelection, measures: MeasureSelection): DataDetail {
  if (measures.kind === 'none') return attributes.kind === 'none' ? 'serieskeysonly' : 'nodata';
  return attributes.kind === 'none' ? 'dataonly' : 'full';
}

function selection30(parts: (string | undefined)[], params: ReadonlyMap<string, string>): DataSelection {
  const [context, agency, id, version, key] = parts;
  return {
    api: '3.0',
    context: oneOf('context', context, CONTEXTS, '*'),
    flow: { agencyId: artefactPart(agency, 'agency', AGENCY), id: artefactPart(id, 'resource id', RESOURCE_ID), version: version30(version) },
    keys: keys30(key),
    filters: filters30(params),
    updatedAfter: instant('updatedAfter', params.get('updatedAfter')),
    asOf: instant('asOf', params.get('asOf')),
  };
}

function references(api: ApiVersion, raw: string | undefined): AvailabilityReference[] {
  if (raw === undefined) return ['none'];
  // REST 1.x takes one value; 2.x a comma-separated list.
  const values = api === '3.0' ? raw.split(',') : [raw];
  const refs = values.map((v) => oneOf('references', v, AVAILABILITY_REFERENCES, 'none'));
  if (refs.length > 1 && refs.includes('none')) throw syntax(`references=${raw}: "none" cannot be combined with other values`);
  return [...new Set(refs)];
}

// ---- Entry points ----

/** @param segments URL-decoded path segments after `data`. */
export function parseDataRequest(api: ApiVersion, segments: readonly string[], rawQuery: string): DataQuery {
  const params = parseRawQuery(rawQuery);
  checkParamNames(api, params, DATA_PARAMS[api], api === '2.1' ? 'REST 1.x data' : 'data');
  const parts = pathParts(segments, api === '2.1' ? 3 : 5, 'data');
  const common = {
    firstNObservations: positiveInteger('firstNObservations', params.get('firstNObservations')),
    lastNObservations: positiveInteger('lastNObservations', params.get('lastNObservations')),
    dimensionAtObservation: params.has('dimensionAtObservation') ? componentId('dimensionAtObservation', params.get('dimensionAtObservation') as string) : undefined,
    includeHistory: oneOf('includeHistory', params.get('includeHistory'), ['true', 'false'], 'false') === 'true',
  };
  if (api === '2.1') {
    return compact({ ...selection21(parts, params), ...common, detail: oneOf('detail', params.get('detail'), DETAILS, 'full') });
  }
  const attributes = attributes30(params.get('attributes'));
  const measures = measures30(params.get('measures'));
  return compact({ ...selection30(parts, params), ...common, attributes, measures, detail: detailOf(attributes, measures) });
}

/** @param segments URL-decoded path segments after `availableconstraint` (1.x) or `availability` (2.x). */
export function parseAvailabilityRequest(api: ApiVersion, segments: readonly string[], rawQuery: string): AvailabilityQuery {
  const params = parseRawQuery(rawQuery);
  checkParamNames(api, params, AVAILABILITY_PARAMS[api], api === '2.1' ? 'REST 1.x availability' : 'availability');
  const max = api === '2.1' ? 4 : 6;
  const parts = pathParts(segments, max, api === '2.1' ? 'availableconstraint' : 'availability');
  const selection = api === '2.1' ? selection21(parts, params) : selection30(parts, params);
  const component = parts[max - 1];
  const all = api === '2.1' ? 'all' : '*';
  return compact({
    ...selection,
    componentId: component === undefined || component === all ? undefined : componentId('component id', component),
    mode: oneOf('mode', params.get('mode'), MODES, 'exact'),
    references: references(api, params.get('references')),
  });
}

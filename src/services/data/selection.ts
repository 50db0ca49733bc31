/**
 * Turns a query's key, provider and component filters into the series to read and the tests
 * each observation must pass. Keys are checked against the DSD here (arity, REST 2.x padding),
 * and every filter is classified by the component it names: a dimension filters series, the
 * time dimension, attributes and the measure filter observations.
 */
import type { DataStructure } from '../../sdmx/model.js';
import type { ComponentFilter, DataSelection, KeyPattern } from '../../sdmx/data/query.js';
import { queryPeriodEnd, queryPeriodStart } from '../../sdmx/time-period.js';
import type { ObservationRow, StoredSeries } from '../../storage/repositories.js';
import { filterHolds, holdsForPeriod, holdsForText, periodBoundsOf } from './conditions.js';
import { ServiceError } from '../../errors.js';

export interface ObservationTest {
  /** Narrowing pushed into SQL (overlap rule). */
  readonly periodEndFrom?: string;
  readonly periodStartTo?: string;
  /**
   * The full test, applied to every candidate row (it repeats the SQL narrowing harmlessly).
   * The row holds its periods: a scan for a non-trivial test reads them (`withPeriods`).
   */
  accepts(row: ObservationRow, attributes: () => Readonly<Record<string, string>>): boolean;
  readonly isTrivial: boolean;
}

export interface Selection {
  /**
   * Whether a series is selected. `keyInDsdOrder`: the caller knows the series' key holds its
   * codes in DSD dimension order, so the key is matched as text, without reading `dimensions`
   * (the fast path over a whole catalogue).
   */
  matchesSeries(s: StoredSeries, keyInDsdOrder?: boolean): boolean;
  /** True when every series of the target is selected (no key, provider or series filter). */
  readonly selectsAll: boolean;
  /**
   * Every code combination the keys allow, in DSD dimension order, when each key names codes
   * at every position and there are few combinations: the series can then be looked up rather
   * than matched. Undefined otherwise. Found series must still pass `matchesSeries`.
   */
  readonly exactKeys?: readonly (readonly string[])[];
  /** The key patterns, checked against the DSD (undefined: no key, every series of the providers). */
  readonly keys?: readonly KeyPattern[];
  readonly observations: ObservationTest;
}

/** A key pattern against a key's text (codes joined by `.` in DSD order), reading no substring. */
function keyTextMatches(pattern: KeyPattern, key: string): boolean {
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    let end = key.indexOf('.', start);
    if (end < 0) end = key.length;
    const codes = pattern[i];
    if (codes !== undefined && !codes.some((c) => c.length === end - start && key.startsWith(c, start))) return false;
    start = end + 1;
  }
  return true;
}

/** Past this many code combinations a key is matched against the catalogue, not looked up. */
const MAX_ENUMERATED_KEYS = 256;

export function enumerateKeys(keys: readonly KeyPattern[] | undefined): string[][] | undefined {
  if (!keys) return undefined;
  let total = 0;
  for (const k of keys) {
    let n = 1;
    for (const codes of k) {
      if (codes === undefined) return undefined;
      n *= codes.length;
    }
    total += n;
    if (total > MAX_ENUMERATED_KEYS) return undefined;
  }
  const out: string[][] = [];
  for (const k of keys) {
    let combinations: string[][] = [[]];
    for (const codes of k) combinations = combinations.flatMap((c) => codes!.map((code) => [...c, code]));
    out.push(...combinations);
  }
  return out;
}

function checkKeys(dsd: DataStructure, keys: readonly KeyPattern[], api: '2.1' | '3.0'): KeyPattern[] {
  const n = dsd.dimensions.length;
  return keys.map((k) => {
    if (k.length === n) return k;
    if (api === '3.0' && k.length < n) return [...k, ...new Array<undefined>(n - k.length).fill(undefined)];
    const ids = dsd.dimensions.map((d) => d.id).join('.');
    throw new ServiceError('invalid-input', `The key has ${k.length} dimension values; ${dsd.id} has ${n} dimensions (${ids})`);
  });
}

export function buildSelection(dsd: DataStructure, q: DataSelection, providers: ReadonlySet<string> | undefined): Selection {
  const keys = q.keys ? checkKeys(dsd, q.keys, q.api) : undefined;
  const dimensionIds = dsd.dimensions.map((d) => d.id);
  const timeId = dsd.timeDimension.id;
  const attributeIds = new Set(dsd.attributes.map((a) => a.id));
  const measureId = dsd.primaryMeasure.id;

  const seriesFilters: ComponentFilter[] = [];
  const timeFilters: ComponentFilter[] = [];
  const attributeFilters: ComponentFilter[] = [];
  const measureFilters: ComponentFilter[] = [];
  for (const f of q.filters) {
    if (dimensionIds.includes(f.component)) seriesFilters.push(f);
    else if (f.component === timeId) timeFilters.push(f);
    else if (attributeIds.has(f.component)) attributeFilters.push(f);
    else if (f.component === measureId) measureFilters.push(f);
    else {
      const known = [...dimensionIds, timeId, ...attributeIds, measureId].join(', ');
      throw new ServiceError('invalid-input', `c[${f.component}]: ${dsd.id} has no component ${f.component} (components: ${known})`);
    }
  }

  const matchesSeries = (s: StoredSeries, keyInDsdOrder = false): boolean => {
    if (providers && !providers.has(s.provider)) return false;
    if (keys) {
      if (keyInDsdOrder) {
        if (!keys.some((k) => keyTextMatches(k, s.key))) return false;
      } else {
        const dimensions = s.dimensions;
        if (!keys.some((k) => k.every((codes, i) => codes === undefined || codes.includes(dimensions[dimensionIds[i]!]!)))) return false;
      }
    }
    if (seriesFilters.length === 0) return true;
    const dimensions = s.dimensions;
    return seriesFilters.every((f) => filterHolds(f, dimensions[f.component], holdsForText));
  };

  let from = q.startPeriod === undefined ? undefined : queryPeriodStart(q.startPeriod);
  let to = q.endPeriod === undefined ? undefined : queryPeriodEnd(q.endPeriod);
  for (const f of timeFilters) {
    const b = periodBoundsOf(f);
    if (b.from !== undefined && (from === undefined || b.from > from)) from = b.from;
    if (b.to !== undefined && (to === undefined || b.to < to)) to = b.to;
  }
  const isTrivial = from === undefined && to === undefined && timeFilters.length + attributeFilters.length + measureFilters.length === 0;
  const observations: ObservationTest = {
    periodEndFrom: from,
    periodStartTo: to,
    isTrivial,
    accepts(row, attributes) {
      const [, , timePeriod, rowValue, , , periodStart = '', periodEnd = ''] = row;
      if (from !== undefined && periodEnd < from) return false;
      if (to !== undefined && periodStart > to) return false;
      if (timeFilters.length && !timeFilters.every((f) => filterHolds(f, { timePeriod, periodStart, periodEnd }, holdsForPeriod))) return false;
      const value = rowValue === null ? undefined : String(rowValue);
      if (!measureFilters.every((f) => filterHolds(f, value, holdsForText))) return false;
      if (attributeFilters.length) {
        const attrs = attributes();
        if (!attributeFilters.every((f) => filterHolds(f, attrs[f.component], holdsForText))) return false;
      }
      return true;
    },
  };
  const selectsAll = !keys && !providers && seriesFilters.length === 0;
  return { matchesSeries, selectsAll, observations, exactKeys: enumerateKeys(keys), keys };
}

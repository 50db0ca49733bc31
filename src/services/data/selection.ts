/**
 * Turns a query's key, provider and component filters into the series to read and the tests
 * each observation must pass. Keys are checked against the DSD here (arity, REST 2.x padding),
 * and every filter is classified by the component it names: a dimension filters series, the
 * time dimension, attributes and the measure filter observations.
 */
import { SdmxErrors, SdmxRequestError } from '../../sdmx/errors.js';
import type { DataStructure } from '../../sdmx/model.js';
import type { ComponentFilter, DataSelection, KeyPattern } from '../../sdmx/data/query.js';
import { queryPeriodEnd, queryPeriodStart } from '../../sdmx/time-period.js';
import type { StoredObservation, StoredSeries } from '../../storage/repositories.js';
import { filterHolds, holdsForPeriod, holdsForText, periodBoundsOf } from './conditions.js';

export interface ObservationTest {
  /** Narrowing pushed into SQL (overlap rule). */
  readonly periodEndFrom?: string;
  readonly periodStartTo?: string;
  /** The full test, applied to every candidate row (it repeats the SQL narrowing harmlessly). */
  accepts(row: StoredObservation, attributes: () => Readonly<Record<string, string>>): boolean;
  readonly isTrivial: boolean;
}

export interface Selection {
  matchesSeries(s: StoredSeries): boolean;
  readonly observations: ObservationTest;
}

function checkKeys(dsd: DataStructure, keys: readonly KeyPattern[], api: '2.1' | '3.0'): KeyPattern[] {
  const n = dsd.dimensions.length;
  return keys.map((k) => {
    if (k.length === n) return k;
    if (api === '3.0' && k.length < n) return [...k, ...new Array<undefined>(n - k.length).fill(undefined)];
    const ids = dsd.dimensions.map((d) => d.id).join('.');
    throw new SdmxRequestError(SdmxErrors.syntax(`The key has ${k.length} dimension values; ${dsd.id} has ${n} dimensions (${ids})`));
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
      throw new SdmxRequestError(SdmxErrors.syntax(`c[${f.component}]: ${dsd.id} has no component ${f.component} (components: ${known})`));
    }
  }

  const matchesSeries = (s: StoredSeries): boolean => {
    if (providers && !providers.has(s.provider)) return false;
    if (keys && !keys.some((k) => k.every((codes, i) => codes === undefined || codes.includes(s.dimensions[dimensionIds[i]!]!)))) return false;
    return seriesFilters.every((f) => filterHolds(f, s.dimensions[f.component], holdsForText));
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
      if (from !== undefined && row.periodEnd < from) return false;
      if (to !== undefined && row.periodStart > to) return false;
      if (!timeFilters.every((f) => filterHolds(f, row, holdsForPeriod))) return false;
      const value = row.value === null ? undefined : String(row.value);
      if (!measureFilters.every((f) => filterHolds(f, value, holdsForText))) return false;
      if (attributeFilters.length) {
        const attrs = attributes();
        if (!attributeFilters.every((f) => filterHolds(f, attrs[f.component], holdsForText))) return false;
      }
      return true;
    },
  };
  return { matchesSeries, observations };
}

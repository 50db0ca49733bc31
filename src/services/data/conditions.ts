/**
 * REST 2.x component filters (`c[ID]=op:value`) evaluated on one value. Codes and texts compare
 * as strings; the measure compares as a number when both sides are numbers; the time dimension
 * compares periods by the instants they cover, so `ge:2020-01` keeps the year 2020 and
 * `le:2019` keeps 2019-Q4 (the same overlap rule as REST 1.x startPeriod/endPeriod).
 */
import type { ComponentFilter, Condition } from '../../sdmx/data/query.js';
import { queryPeriodEnd, queryPeriodStart } from '../../sdmx/time-period.js';

function compareText(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function holdsForText(c: Condition, value: string | undefined): boolean {
  if (value === undefined) return c.op === 'ne' || c.op === 'nc';
  switch (c.op) {
    case 'eq':
      return value === c.value;
    case 'ne':
      return value !== c.value;
    case 'co':
      return value.includes(c.value);
    case 'nc':
      return !value.includes(c.value);
    case 'sw':
      return value.startsWith(c.value);
    case 'ew':
      return value.endsWith(c.value);
    case 'lt':
      return compareText(value, c.value) < 0;
    case 'le':
      return compareText(value, c.value) <= 0;
    case 'gt':
      return compareText(value, c.value) > 0;
    case 'ge':
      return compareText(value, c.value) >= 0;
  }
}

export interface PeriodOfObservation {
  readonly timePeriod: string;
  readonly periodStart: string;
  readonly periodEnd: string;
}

export function holdsForPeriod(c: Condition, p: PeriodOfObservation): boolean {
  const start = queryPeriodStart(c.value);
  const end = queryPeriodEnd(c.value);
  switch (c.op) {
    case 'ge':
      return start !== undefined && p.periodEnd >= start;
    case 'gt':
      return end !== undefined && p.periodStart > end;
    case 'le':
      return end !== undefined && p.periodStart <= end;
    case 'lt':
      return start !== undefined && p.periodEnd < start;
    case 'eq':
      return p.timePeriod === c.value || (start === p.periodStart && end === p.periodEnd);
    case 'ne':
      return !(p.timePeriod === c.value || (start === p.periodStart && end === p.periodEnd));
    default:
      return holdsForText(c, p.timePeriod);
  }
}

/** A filter holds when one of its alternatives holds entirely. */
export function filterHolds<V>(f: ComponentFilter, value: V, holds: (c: Condition, v: V) => boolean): boolean {
  return f.anyOf.some((all) => all.every((c) => holds(c, value)));
}

/** Period bounds a time filter implies for every alternative, to narrow the SQL scan. */
export function periodBoundsOf(f: ComponentFilter): { from?: string; to?: string } {
  let from: string | undefined;
  let to: string | undefined;
  for (const [i, all] of f.anyOf.entries()) {
    let altFrom: string | undefined;
    let altTo: string | undefined;
    for (const c of all) {
      if (c.op === 'ge' || c.op === 'gt' || c.op === 'eq') altFrom = maxOf(altFrom, c.op === 'gt' ? queryPeriodEnd(c.value) : queryPeriodStart(c.value));
      if (c.op === 'le' || c.op === 'lt' || c.op === 'eq') altTo = minOf(altTo, c.op === 'lt' ? queryPeriodStart(c.value) : queryPeriodEnd(c.value));
    }
    // The union of the alternatives: the loosest bound wins; one unbounded side unbinds it.
    from = i === 0 ? altFrom : from === undefined || altFrom === undefined ? undefined : minOf(from, altFrom);
    to = i === 0 ? altTo : to === undefined || altTo === undefined ? undefined : maxOf(to, altTo);
  }
  return { from, to };
}

function maxOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
function minOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

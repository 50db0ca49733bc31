/**
 * What every quality indicator is made of: a number with its unit, and the counts it comes
 * from. Shares are percentages of a stated whole, durations are days (the unit of the ESS
 * timeliness and punctuality indicators), revisions are in the unit of measure of the figures
 * revised (a UNIT_MEASURE code: never a mean over counts and rates together). A quantity that
 * has no whole to be a share of, or nothing to average, is null rather than 0 or NaN, so a
 * report can say "not applicable" instead of a made-up figure.
 * Definitions: docs/quality-indicators.md.
 */

/** A number and what it counts or measures. */
export interface Quantity<U extends string = string> {
  readonly value: number;
  readonly unit: U;
}

export type Percent = Quantity<'percent'>;
export type Days = Quantity<'day'>;

const MS_PER_DAY = 86_400_000;

/** `part` as a percentage of `whole`; null when the whole is empty. */
export function percent(part: number, whole: number): Percent | null {
  return whole > 0 ? { value: (100 * part) / whole, unit: 'percent' } : null;
}

/** A duration in milliseconds, in days (fractions kept: 12 hours is 0.5). */
export function days(ms: number): Days {
  return { value: ms / MS_PER_DAY, unit: 'day' };
}

/** The mean of durations in milliseconds, in days; null when there are none. */
export function meanDays(ms: readonly number[]): Days | null {
  if (ms.length === 0) return null;
  let sum = 0;
  for (const x of ms) sum += x;
  return days(sum / ms.length);
}

/** The largest of durations in milliseconds, in days; null when there are none. */
export function maxDays(ms: readonly number[]): Days | null {
  return ms.length === 0 ? null : days(Math.max(...ms));
}

/** The smallest of durations in milliseconds, in days; null when there are none. */
export function minDays(ms: readonly number[]): Days | null {
  return ms.length === 0 ? null : days(Math.min(...ms));
}

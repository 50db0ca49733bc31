/**
 * The map's value classes: quantiles, up to five classes with about the same number of countries
 * each. Crime figures are strongly skewed (homicide rates run from below 1 to above 40 per 100,000,
 * most countries under 5), so equal-interval or "nice" breaks would put most countries in the first
 * class and leave the map one colour; quantiles show each country's rank and use every colour.
 * A class's range is the lowest and highest value it holds, so the legend states exactly what is
 * in it (a gap between two ranges means no country lies between them), and the first and last
 * ranges end at the minimum and the maximum.
 */

export const CLASS_COUNT = 5;

export interface ValueClass {
  /** Palette step 1…5 (CSS class q1…q5), spread over the palette when there are fewer classes. */
  readonly step: number;
  readonly min: number;
  readonly max: number;
  /** How many values it holds. */
  readonly count: number;
}

export interface Classification {
  /** Ordered by value: every value of a class is above every value of the classes before it. */
  readonly classes: readonly ValueClass[];
  /** The class of a value that was classified (any number: the class whose range starts at or below it). */
  classOf(value: number): ValueClass;
}

/**
 * Quantile classes of finite values. Equal values always share a class (so there may be fewer
 * than `wanted` classes: all-equal values make one); no values make none.
 */
export function quantileClasses(values: readonly number[], wanted: number = CLASS_COUNT): Classification {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  const bounds: [number, number][] = [];
  let start = 0;
  for (let k = 1; k <= wanted && start < n; k++) {
    let end = k === wanted ? n : Math.max(start + 1, Math.round((k * n) / wanted));
    // Ties stay together: the class grows until the next value differs.
    while (end < n && sorted[end] === sorted[end - 1]) end++;
    if (end > start) bounds.push([start, end]);
    start = end;
  }
  const m = bounds.length;
  const classes = bounds.map(([s, e], i) => ({
    step: m === 1 ? Math.ceil(CLASS_COUNT / 2) : 1 + Math.round((i * (CLASS_COUNT - 1)) / (m - 1)),
    min: sorted[s],
    max: sorted[e - 1],
    count: e - s,
  }));
  return {
    classes,
    classOf(value: number): ValueClass {
      let found = classes[0];
      for (const c of classes) if (c.min <= value) found = c;
      return found;
    },
  };
}

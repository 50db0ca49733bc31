/**
 * Gathers the observations of one demo release in memory, series by series, so the release is
 * written with a single `addData` call. Also where source text becomes a stored value: numbers
 * exactly as published, annual periods checked for plausibility, duplicates resolved.
 *
 * Duplicates (two source values on one dataflow, key and period): the same value is kept once
 * and counted as skipped (UN-CTS lists unsentenced totals under two indicators); a different
 * value keeps the first and reports the second with both values.
 */
import { AGENCY, DIMENSION_IDS, VERSION, type DataflowId } from '../cli/structures/common.js';
import type { MappedSeries } from '../cli/structures/cts-mapping.js';
import { periodRange } from '../sdmx/time-period.js';
import type { ObservationToWrite, SeriesToWrite } from '../storage/repositories.js';
import type { FileTally, LoadLog } from './report.js';

export const dataflowRef = (id: DataflowId): string => `${AGENCY}:${id}(${VERSION})`;

/** A decimal number as published (no hex, no `Infinity`, no empty text that `Number` reads as 0). */
const DECIMAL = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

export function parseValue(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/** Earliest year the demo sources can hold; anything older is a typo (UN-CTS prisons: 1013). */
const FIRST_YEAR = 1900;

/** A source year → annual period, or the reason it is refused. */
export function annualPeriod(year: string, lastYear: number): { period: string; start: string; end: string } | { error: string } {
  const range = /^\d{4}$/.test(year) ? periodRange(year) : undefined;
  if (!range) return { error: `"${year}" is not a year` };
  const n = Number(year);
  if (n < FIRST_YEAR || n > lastYear) return { error: `implausible year ${year} (outside ${FIRST_YEAR}–${lastYear})` };
  return { period: year, start: range.start, end: range.end };
}

interface Pending {
  readonly observation: ObservationToWrite;
  readonly file: string;
  readonly line: number;
}

interface PendingSeries {
  readonly dataflow: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly observations: Map<string, Pending>;
}

export interface SourceValue {
  readonly tally: FileTally;
  readonly line: number;
  readonly mapped: MappedSeries;
  /** The source's year text. */
  readonly year: string;
  readonly value: number;
  readonly attributes: Readonly<Record<string, string>>;
}

export class ReleaseCollector {
  private readonly series = new Map<string, PendingSeries>();
  private readonly dataflows: ReadonlySet<string>;
  private readonly periods = new Map<string, ReturnType<typeof annualPeriod>>();

  constructor(
    readonly provider: string,
    dataflows: readonly DataflowId[],
    private readonly log: LoadLog,
    /** Latest plausible reference year (the load's own year). */
    readonly lastYear: number,
  ) {
    this.dataflows = new Set(dataflows);
  }

  add(v: SourceValue): void {
    const { tally, line, mapped } = v;
    if (!this.dataflows.has(mapped.dataflow)) {
      this.log.unmapped(tally, line, `maps to ${mapped.dataflow}, which this release does not cover`);
      return;
    }
    let period = this.periods.get(v.year);
    if (!period) this.periods.set(v.year, (period = annualPeriod(v.year, this.lastYear)));
    if ('error' in period) {
      this.log.unmapped(tally, line, period.error);
      return;
    }
    const key = `${mapped.dataflow}:${DIMENSION_IDS.map((d) => mapped.key[d]).join('.')}`;
    let s = this.series.get(key);
    if (!s) {
      const dimensions = Object.fromEntries(DIMENSION_IDS.map((d) => [d, mapped.key[d]]));
      s = { dataflow: dataflowRef(mapped.dataflow), dimensions, observations: new Map() };
      this.series.set(key, s);
    }
    const had = s.observations.get(period.period);
    if (had) {
      if (had.observation.value === v.value) {
        this.log.skip(tally, 'same value as another row for the same key and period');
      } else {
        this.log.unmapped(
          tally,
          line,
          `${key} ${period.period}: value ${v.value} conflicts with ${had.observation.value} ` +
            `(${had.file} line ${had.line}), which is kept`,
        );
      }
      return;
    }
    s.observations.set(period.period, {
      observation: {
        timePeriod: period.period,
        periodStart: period.start,
        periodEnd: period.end,
        value: v.value,
        attributes: v.attributes,
      },
      file: tally.file,
      line,
    });
    this.log.loaded(tally);
  }

  /** Series in first-seen order, observations by period. */
  toSeries(): SeriesToWrite[] {
    return [...this.series.values()].map((s) => ({
      dataflow: s.dataflow,
      provider: this.provider,
      dimensions: s.dimensions,
      observations: [...s.observations.values()]
        .map((p) => p.observation)
        .sort((a, b) => (a.periodStart < b.periodStart ? -1 : a.periodStart > b.periodStart ? 1 : 0)),
    }));
  }
}

/**
 * What a dataflow's public data hold, counted from the current values the one observation
 * reader yields (observation-reader.ts: the vintage of the highest-ranked visible release per
 * series and period, withdrawals skipped), so every count is what the SDMX and JSON data routes
 * would return for the same visible state: series and observations, the period covered, and
 * per dimension the codes that hold data with their series and observation counts.
 *
 * Counted once per flow view (a view stands for one set of visible releases, flow-views.ts), so
 * the counts change exactly when a release becomes visible and never before. The scan yields to
 * the event loop between storage pages, so a first request after a release does not hold up
 * every other request, and concurrent requests share one scan.
 */
import type { DataRepository } from '../../storage/repositories.js';
import { periodRange } from '../../sdmx/time-period.js';
import type { FlowView } from '../data/data-service.js';
import { readSeries } from '../data/observation-reader.js';
import { paginate } from '../data/pages.js';
import type { ObservationTest } from '../data/selection.js';
import type { DataTarget } from '../data/target.js';

export interface CodeCount {
  series: number;
  observations: number;
}

export interface FlowStats {
  /** Series with at least one current value. */
  readonly series: number;
  readonly observations: number;
  /** The earliest-starting and latest-ending periods, as written (undefined without data). */
  readonly firstPeriod?: string;
  readonly lastPeriod?: string;
  /** Dimension id → code → counts, for the codes that hold data. */
  readonly codes: ReadonlyMap<string, ReadonlyMap<string, CodeCount>>;
}

/** Every current value passes. */
const EVERYTHING: ObservationTest = { isTrivial: true, accepts: () => true };

/** Storage pages read between two yields to the event loop. */
const PAGES_PER_TURN = 4;

const stats = new WeakMap<FlowView, Promise<FlowStats>>();

/** The counts of a view, computed once (the promise is shared while it runs). */
export function flowStats(data: DataRepository, target: DataTarget, view: FlowView): Promise<FlowStats> {
  let known = stats.get(view);
  if (!known) {
    known = count(data, target, view);
    stats.set(view, known);
    // A failed scan is not kept: the next request tries again.
    known.catch(() => stats.delete(view));
  }
  return known;
}

async function count(data: DataRepository, target: DataTarget, view: FlowView): Promise<FlowStats> {
  const dimensionIds = target.dsd.dimensions.map((d) => d.id);
  const codes = new Map(dimensionIds.map((id) => [id, new Map<string, CodeCount>()]));
  let series = 0;
  let observations = 0;
  let first: { period: string; start: string } | undefined;
  let last: { period: string; end: string } | undefined;
  const ranges = new Map<string, { start: string; end: string } | undefined>();
  const pages = paginate(view.series, view.rowCounts, undefined);
  for (let p = 0; p < pages.length; p += PAGES_PER_TURN) {
    if (p > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const read = readSeries(data, { pages: pages.slice(p, p + PAGES_PER_TURN), releases: view.releases, test: EVERYTHING });
    for (const { series: s, rows } of read) {
      series += 1;
      observations += rows.length;
      const dimensions = s.dimensions;
      for (const id of dimensionIds) {
        const code = dimensions[id];
        if (code === undefined) continue;
        const byCode = codes.get(id)!;
        const c = byCode.get(code);
        if (c) {
          c.series += 1;
          c.observations += rows.length;
        } else byCode.set(code, { series: 1, observations: rows.length });
      }
      for (const row of rows) {
        const period = row[2];
        let range = ranges.get(period);
        if (!ranges.has(period)) ranges.set(period, (range = periodRange(period)));
        if (!range) continue;
        if (!first || range.start < first.start) first = { period, start: range.start };
        if (!last || range.end > last.end) last = { period, end: range.end };
      }
    }
  }
  return { series, observations, firstPeriod: first?.period, lastPeriod: last?.period, codes };
}
